import assert from "node:assert/strict";
import { drawdownFigure } from "./drawdown_figure.ts";
import { assertSnapshot, parseSvg } from "./_snapshot.ts";
import { equity, ts } from "./_fixtures.ts";

/** Drawdown from the running peak, computed here so the test owns its expected values. */
function underwater(e: Float64Array): Float64Array {
  let peak = -Infinity;
  return e.map((v) => (peak = Math.max(peak, v), v / peak - 1));
}

Deno.test("drawdownFigure draws the underwater area and annotates the maximum drawdown", async () => {
  const dd = underwater(equity);
  const fig = drawdownFigure({ ts, drawdown: dd });
  const svg = parseSvg(fig.svg);
  assert.equal(svg.marks("area").length, 1);
  assert.equal(svg.marks("line").length, 1);
  assert.equal(svg.marks("dot").length, 1, "max drawdown point");
  // Fixture: close = 100 + 10 sin(i/4) + i/2 peaks where cos(i/4) = -0.2 (i ≈ 7.1, bar 7:
  // 113.34) and bottoms at i ≈ 18.0 (bar 18: 99.22), so the max drawdown is 99.22 / 113.34 - 1
  // = -12.45% on day 18 (2024-01-19).
  const worst = (100 + 10 * Math.sin(18 / 4) + 9) / (100 + 10 * Math.sin(7 / 4) + 3.5) - 1;
  assert.ok(Math.abs(worst - -0.1245) < 5e-4);
  assert.ok(Math.abs(Math.min(...dd) - worst) < 1e-12);
  const label = "Max drawdown −12.5% on 2024-01-19 UTC";
  assert.equal(svg.marks("text")[0]?.textContent, label);
  assert.equal(svg.texts()[1], label, "subtitle");
  assert.ok(svg.texts().includes("0%"), "percent ticks");
  await assertSnapshot("drawdown", fig.svg);
});

Deno.test("drawdownFigure with no drawdown says so and marks nothing", () => {
  const svg = parseSvg(drawdownFigure({ ts: [0, 1], drawdown: [0, 0] }).svg);
  assert.equal(svg.marks("dot").length, 0);
  assert.equal(svg.texts()[1], "No drawdown");
});

Deno.test("drawdownFigure rejects positive drawdowns with the fix in the message", () => {
  assert.throws(
    () => drawdownFigure({ ts: [0, 1], drawdown: [0, 0.25] }),
    /must be <= 0.*got 0.25 at index 1.*negatives/,
  );
});

Deno.test("drawdownFigure of an equity curve draws the same SVG as of its drawdown", () => {
  let s = 11;
  const rand = () => (s = (s * 1664525 + 1013904223) >>> 0) / 2 ** 32;
  for (const n of [5, 3000, 50_000]) {
    const ts = Float64Array.from({ length: n }, (_, i) => Date.UTC(2024, 0, 1) + i * 60_000);
    const equity = new Float64Array(n);
    equity[0] = 100;
    for (let i = 1; i < n; i++) equity[i] = equity[i - 1]! * (1 + (rand() - 0.5) * 0.02);
    equity[n >> 1] = NaN;
    equity[0] = NaN; // no peak yet: NaN drawdown
    const drawdown = new Float64Array(n);
    let peak = -Infinity;
    for (let i = 0; i < n; i++) {
      if (equity[i]! > peak) peak = equity[i]!;
      drawdown[i] = peak > 0 ? equity[i]! / peak - 1 : NaN;
    }
    assert.equal(drawdownFigure({ ts, equity }).svg, drawdownFigure({ ts, drawdown }).svg);
  }
});
