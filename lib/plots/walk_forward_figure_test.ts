import assert from "node:assert/strict";
import { walkForwardFigure, type WalkForwardFold } from "./walk_forward_figure.ts";
import { assertSnapshot, parseSvg } from "./_snapshot.ts";

const d = (day: number): number => Date.UTC(2024, 0, 1 + day);
const folds: WalkForwardFold[] = [1, 2, 3, 4].map((k) => ({
  fold: k,
  trainStart: d(30 * (k - 1)),
  trainEnd: d(30 * (k - 1) + 90),
  testStart: d(30 * (k - 1) + 90),
  testEnd: d(30 * k + 90),
  inSample: 1 + k / 10,
  outOfSample: k === 3 ? NaN : 0.5 - k / 5,
}));

Deno.test("walkForwardFigure draws paired bars per fold and a timeline of windows", async () => {
  const fig = walkForwardFigure({ folds, metric: "Sharpe" });
  const svg = parseSvg(fig.svg);
  assert.equal(svg.all("svg").length, 2, "bars panel and timeline panel");
  const bars = svg.marks("bar");
  assert.equal(bars.length, 4 + 3 + 8, "4 in-sample and 3 finite out-of-sample bars, then 8 windows");
  // mean in-sample (1.1 + 1.2 + 1.3 + 1.4) / 4 = 1.25; out-of-sample (0.3 + 0.1 - 0.3) / 3 = 0.0333.
  // Fold 3 has no out-of-sample value: the mean says it leaves it out.
  assert.equal(svg.texts()[1], "4 folds · mean in-sample 1.25 · mean out-of-sample 0.0333 (leaves out fold 3: n/a)");
  for (const t of ["Fold 1", "Fold 4", "In-sample (train)", "Out-of-sample (test)", "↑ Sharpe"]) {
    assert.ok(svg.texts().includes(t), t);
  }
  await assertSnapshot("walk_forward", fig.svg);
});

Deno.test("walkForwardFigure shows the stitched out-of-sample metric as a dashed line", async () => {
  const fig = walkForwardFigure({ folds, metric: "Sharpe", stitched: 0.42 });
  const svg = parseSvg(fig.svg);
  assert.match(svg.texts()[1]!, /· stitched out-of-sample 0\.420$/);
  assert.ok(svg.texts().includes("Stitched out-of-sample"));
  assert.match(fig.svg, /stroke-dasharray="5,3"/);
  await assertSnapshot("walk_forward_stitched", fig.svg);
  assert.throws(
    () => walkForwardFigure({ folds, metric: "x", stitched: "1" as unknown as number }),
    /stitched must be/,
  );
});

Deno.test("walkForwardFigure rejects windows that end before they start", () => {
  const bad = [{ ...folds[0]!, testEnd: folds[0]!.testStart - 1 }];
  assert.throws(() => walkForwardFigure({ folds: bad, metric: "Sharpe" }), /folds\[0\] has a window that ends before/);
  assert.throws(
    () => walkForwardFigure({ folds: [{ ...folds[0]!, trainStart: NaN }], metric: "x" }),
    /trainStart must be a finite/,
  );
});
