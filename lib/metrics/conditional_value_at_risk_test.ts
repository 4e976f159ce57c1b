import assert from "node:assert/strict";
import { conditionalValueAtRisk } from "./conditional_value_at_risk.ts";
import { assertClose, EMPYRICAL } from "./_testdata.ts";

Deno.test("conditionalValueAtRisk: mean at or below the historical VaR", () => {
  // VaR(0.95) = -0.076: only -0.10 is at or below -> -0.10
  assertClose(conditionalValueAtRisk(EMPYRICAL.mixed), -0.1, 1e-15);
  // VaR(0.9) = -0.052 (rank 0.8 between -0.10 and -0.04): still only -0.10
  assertClose(conditionalValueAtRisk(EMPYRICAL.mixed, { confidence: 0.9 }), -0.1, 1e-15);
  // VaR(0.8): rank 8 * 0.2 = 1.6 -> -0.04 + 0.6 * (0 - -0.04) = -0.016; at or below: -0.10, -0.04 -> -0.07
  assertClose(conditionalValueAtRisk(EMPYRICAL.mixed, { confidence: 0.8 }), -0.07, 1e-15);
  assert.ok(Number.isNaN(conditionalValueAtRisk(EMPYRICAL.empty)));
  assert.throws(() => conditionalValueAtRisk(EMPYRICAL.mixed, { confidence: 0 }), RangeError);
});

/** empyrical's `conditional_value_at_risk(returns, cutoff)`, written out: `np.mean(np.partition(r, k)[:k + 1])`. */
function empyricalCvar(returns: number[], cutoff: number): number {
  const sorted = [...returns].sort((a, b) => a - b);
  const k = Math.floor((sorted.length - 1) * cutoff);
  return sorted.slice(0, k + 1).reduce((a, b) => a + b, 0) / (k + 1);
}

Deno.test("conditionalValueAtRisk equals empyrical's conditional_value_at_risk, ties at the VaR included", () => {
  // empyrical's own checks: a single value is its own CVaR; 0..99 at cutoff 0.05 -> mean(0..4) = 2.
  assert.equal(conditionalValueAtRisk(new Float64Array([0.013]), { confidence: 0.5 }), 0.013);
  assert.equal(conditionalValueAtRisk(Float64Array.from({ length: 100 }, (_, i) => i)), 2);
  // A strategy flat on most bars: VaR(0.95) is 0, and empyrical averages the lowest
  // floor(19 * 0.05) + 1 = 1 return (-0.05), not every return at or below 0 (-0.05 and 17 zeros).
  const flat = [-0.05, ...new Array(17).fill(0), 0.02, 0.03];
  assert.equal(conditionalValueAtRisk(new Float64Array(flat)), -0.05);
  assert.equal(conditionalValueAtRisk(new Float64Array(flat)), empyricalCvar(flat, 0.05));
  // Ties inside the tail count once each, as np.partition keeps them.
  const ties = [-0.02, -0.02, -0.02, -0.01, 0, 0.01, 0.02, 0.03, 0.04, 0.05];
  assertClose(conditionalValueAtRisk(new Float64Array(ties), { confidence: 0.8 }), empyricalCvar(ties, 0.2), 1e-15);
  assertClose(empyricalCvar(ties, 0.2), -0.02, 1e-15);
  for (const c of [0.9, 0.95, 0.99]) {
    const r = Array.from({ length: 333 }, (_, i) => Math.round(Math.sin(i * 1.7) * 20) / 1000); // many ties
    assertClose(conditionalValueAtRisk(new Float64Array(r), { confidence: c }), empyricalCvar(r, 1 - c), 1e-15);
  }
});
