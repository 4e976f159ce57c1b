import assert from "node:assert/strict";
import { assertClose, EMPYRICAL } from "./_testdata.ts";
import { valueAtRisk } from "./value_at_risk.ts";

Deno.test("valueAtRisk: numpy percentile (empyrical value_at_risk)", () => {
  // np.percentile(mixed, 5) = -0.076 and np.percentile(mixed, 1) = -0.0952 (numpy 2.4.6):
  // sorted -0.10, -0.04, 0, ...; rank 8 * 0.05 = 0.4 -> -0.10 + 0.4 * 0.06 = -0.076
  assertClose(valueAtRisk(EMPYRICAL.mixed), -0.076, 1e-15);
  assertClose(valueAtRisk(EMPYRICAL.mixed, { confidence: 0.99 }), -0.0952, 1e-15);
});

Deno.test("valueAtRisk: NaN skipped, empty, bad confidence", () => {
  assert.equal(valueAtRisk(new Float64Array([NaN, 0.02, -0.01, 0.03, -0.04, 0.05]), { confidence: 0.75 }), -0.01);
  assert.equal(valueAtRisk(new Float64Array([0.02])), 0.02);
  assert.ok(Number.isNaN(valueAtRisk(EMPYRICAL.empty)));
  assert.throws(() => valueAtRisk(EMPYRICAL.mixed, { confidence: 1 }), RangeError);
  assert.throws(() => valueAtRisk(EMPYRICAL.mixed, { confidence: 95 }), /confidence/);
});

Deno.test("valueAtRisk: selection agrees with a full sort on large, tied data", () => {
  const r = new Float64Array(10_001);
  for (let i = 0; i < r.length; i++) r[i] = Math.round(Math.sin(i * 12.9898) * 43758.5453 % 1 * 50) / 1000;
  const sorted = Float64Array.from(r).sort();
  for (const c of [0.9, 0.95, 0.99, 0.999]) {
    const h = (sorted.length - 1) * (1 - c);
    const lo = Math.floor(h);
    const want = sorted[lo]! + (h - lo) * (sorted[lo + 1]! - sorted[lo]!);
    assertClose(valueAtRisk(r, { confidence: c }), want, 1e-15, `confidence ${c}`);
  }
});
