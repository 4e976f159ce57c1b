import assert from "node:assert/strict";
import { alpha } from "./alpha.ts";
import { assertClose, EMPYRICAL } from "./_testdata.ts";

// Expected values: empyrical test_stats.py `test_alpha_beta` (compounded alpha, empyrical >= 0.5).
Deno.test("alpha matches empyrical's published values", () => {
  const d = { periodsPerYear: 252 };
  assertClose(alpha(EMPYRICAL.mixed.subarray(1), EMPYRICAL.negative.subarray(1), d), -0.9997853834885004);
  assertClose(alpha(EMPYRICAL.mixed, EMPYRICAL.mixed, d), 0);
  assertClose(alpha(EMPYRICAL.mixed, EMPYRICAL.mixed.map((v) => -v), d), 0);
  assert.ok(Number.isNaN(alpha(EMPYRICAL.one, EMPYRICAL.one, d)));
});

Deno.test("alpha: hand-worked with a risk-free rate", () => {
  // r = b + 0.01 per period: beta 1, so rf cancels: (1 + 0.01) ** 2 - 1 = 0.0201
  const r = new Float64Array([0.03, -0.01, 0.02]);
  const b = new Float64Array([0.02, -0.02, 0.01]);
  assertClose(alpha(r, b, { periodsPerYear: 2, riskFree: 0.05 }), 0.0201, 1e-12);
  // r = 0.5 b + 0.01: alpha per period 0.01 + (1 - 0.5) rf_p
  const r2 = b.map((v) => 0.5 * v + 0.01);
  const rfp = Math.pow(1.05, 1 / 2) - 1;
  assertClose(alpha(r2, b, { periodsPerYear: 2, riskFree: 0.05 }), Math.pow(1 + 0.01 + 0.5 * rfp - rfp, 2) - 1, 1e-12);
  assert.throws(() => alpha(r, b.subarray(1), { periodsPerYear: 2 }), RangeError);
});
