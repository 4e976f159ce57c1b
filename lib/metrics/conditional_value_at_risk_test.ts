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
