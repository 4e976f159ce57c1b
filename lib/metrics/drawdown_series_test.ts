import assert from "node:assert/strict";
import { drawdownSeries } from "./drawdown_series.ts";

Deno.test("drawdownSeries: hand-worked underwater curve", () => {
  // peaks 100, 100, 100, 110, 110: 0, -0.2, -0.1, 0, 99/110 - 1 = -0.1
  const dd = drawdownSeries(new Float64Array([100, 80, 90, 110, 99]));
  const want = [0, -0.2, -0.1, 0, -0.1];
  for (let i = 0; i < want.length; i++) assert.ok(Math.abs(dd[i]! - want[i]!) < 1e-12, `at ${i}`);
});

Deno.test("drawdownSeries: NaN stays local, out buffer, empty", () => {
  const out = new Float64Array(3);
  const dd = drawdownSeries(new Float64Array([100, NaN, 50]), out);
  assert.equal(dd, out);
  assert.equal(dd[0], 0);
  assert.ok(Number.isNaN(dd[1]!));
  assert.equal(dd[2], -0.5);
  assert.equal(drawdownSeries(new Float64Array(0)).length, 0);
  assert.throws(() => drawdownSeries(new Float64Array(3), new Float64Array(2)), RangeError);
});
