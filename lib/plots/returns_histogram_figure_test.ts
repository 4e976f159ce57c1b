import assert from "node:assert/strict";
import { returnsHistogramFigure } from "./returns_histogram_figure.ts";
import { assertSnapshot, parseSvg } from "./_snapshot.ts";

// Hand-worked: 10 finite returns; bins = 4 asks for a step near (0.03 - -0.02) / 4 = 0.0125 =
// 1.25e-2, rounded up to the nice 2e-2. Edges at multiples of 0.02: [-0.02, 0) holds 4,
// [0, 0.02) holds 4, [0.02, 0.04) holds 2.
const returns = [-0.02, -0.015, -0.01, -0.005, 0, 0.005, 0.01, 0.01, 0.02, 0.03, NaN];

Deno.test("returnsHistogramFigure bins on nice edges through zero and colors by sign", async () => {
  const fig = returnsHistogramFigure({ returns, bins: 4 });
  const svg = parseSvg(fig.svg);
  const rects = svg.marks("rect");
  assert.equal(rects.length, 3);
  // Heights are proportional to the counts 4, 4, 2: compare with the first bar's height.
  const h = rects.map((r) => Number(r.getAttribute("height")));
  assert.ok(Math.abs(h[1]! - h[0]!) < 1e-9 && Math.abs(h[2]! - h[0]! / 2) < 1e-6, `heights ${h}`);
  assert.deepEqual(rects.map((r) => r.getAttribute("fill")), ["#e5484d", "#2f9e44", "#2f9e44"]);
  // mean = 0.025 / 10 = 0.25%; squared deviations (in 1e-3 units: -22.5, -17.5, -12.5, -7.5,
  // -2.5, 2.5, 7.5, 7.5, 17.5, 27.5) sum to 2212.5e-6, so the sample sd is √(2212.5e-6 / 9) = 1.568%.
  assert.equal(svg.texts()[1], "n = 10 · mean 0.25% · sd 1.57% · worst −2.00% · best 3.00%");
  assert.equal(svg.marks("rule").length, 3, "zero count, zero return, mean");
  await assertSnapshot("returns_histogram", fig.svg);
});

Deno.test("returnsHistogramFigure handles empty input and rejects a bad bin count", () => {
  const svg = parseSvg(returnsHistogramFigure({ returns: [NaN] }).svg);
  assert.equal(svg.marks("rect").length, 0);
  assert.equal(svg.texts()[1], "n = 0 · mean n/a · sd n/a · worst n/a · best n/a");
  assert.throws(() => returnsHistogramFigure({ returns, bins: 0 }), /bins must be a positive integer, got 0/);
});

Deno.test("returnsHistogramFigure of an equity curve draws its bar returns, the same SVG", () => {
  let s = 3;
  const rand = () => (s = (s * 1664525 + 1013904223) >>> 0) / 2 ** 32;
  const equity = new Float64Array(20_000); // more than one 8,192-return chunk
  equity[0] = 10_000;
  for (let i = 1; i < equity.length; i++) equity[i] = equity[i - 1]! * (1 + (rand() - 0.5) * 0.02);
  equity[1234] = NaN;
  const returns = Float64Array.from({ length: equity.length - 1 }, (_, i) => equity[i + 1]! / equity[i]! - 1);
  assert.equal(returnsHistogramFigure({ equity }).svg, returnsHistogramFigure({ returns }).svg);
  assert.equal(returnsHistogramFigure({ equity: [] }).svg, returnsHistogramFigure({ returns: [] }).svg);
  assert.throws(() => returnsHistogramFigure({}), /returns must be a Float64Array or an array of numbers/);
});
