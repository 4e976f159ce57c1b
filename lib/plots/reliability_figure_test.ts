import assert from "node:assert/strict";
import { reliabilityFigure } from "./reliability_figure.ts";
import { parseSvg } from "./_snapshot.ts";

Deno.test("reliabilityFigure draws the diagonal and one curve per series, skipping empty bins", () => {
  const bin = (count: number, p: number, o: number) => ({ count, meanPredicted: p, observedFrequency: o });
  const fig = reliabilityFigure({
    series: [
      { label: "trend_follower", bins: [bin(3, 0.25, 0.3), bin(0, NaN, NaN), bin(5, 0.85, 0.6)] },
      { label: "mean_reverter", bins: [bin(2, 0.45, 0.5)] },
    ],
  });
  const svg = parseSvg(fig.svg);
  assert.equal(svg.marks("dot").length, 3);
  assert.equal(svg.marks("line").length, 3, "the diagonal and two curves");
  assert.equal(svg.texts()[1], "n = 10 forecasts · probability of an up move");
  assert.match(fig.svg, /Perfectly calibrated/);
  assert.match(fig.svg, /trend_follower: predicted 0\.850, observed 0\.600, n = 5/);
  assert.equal(reliabilityFigure({ series: [], subtitle: "empty" }).title, "Reliability of the decisions");
  assert.throws(
    () => reliabilityFigure({ series: [{ label: 1 }] as never }),
    /series\[0\] must be \{ label: string, bins: \[\.\.\.\] \}/,
  );
});
