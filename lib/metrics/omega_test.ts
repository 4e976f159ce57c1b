import assert from "node:assert/strict";
import { assertClose, EMPYRICAL, yearlyRate } from "./_testdata.ts";
import { omega } from "./omega.ts";

// Expected values: empyrical test_stats.py `test_omega` (empyrical's per-day risk_free as a yearly rate).
Deno.test("omega matches empyrical's published values", () => {
  const d = { periodsPerYear: 252 };
  assertClose(omega(EMPYRICAL.mixed, { ...d, requiredReturn: 10 }), 0.78629772289706013);
  // empyrical's (positive, rf 0.01) -> NaN case: nothing below the threshold. A de-annualized
  // 0.01 is 0.010000000000000009, which puts a 1e-17 loss below it, so test the same case at rf 0.
  assert.ok(Number.isNaN(omega(EMPYRICAL.positive, d)));
  assertClose(omega(EMPYRICAL.positive, { ...d, riskFree: yearlyRate(0.011, 252) }), 1.125);
  assertClose(omega(EMPYRICAL.positive, { ...d, riskFree: yearlyRate(0.02, 252) }), 0);
  assertClose(omega(EMPYRICAL.negative, { ...d, riskFree: yearlyRate(0.01, 252) }), 0);
  assert.ok(Number.isNaN(omega(EMPYRICAL.empty, d)));
  assert.ok(Number.isNaN(omega(EMPYRICAL.one, d)));
});

Deno.test("omega: hand-worked and bad required return", () => {
  // gains 0.02 + 0.03, losses 0.01: 5
  assertClose(omega(new Float64Array([0.02, -0.01, 0.03, NaN]), { periodsPerYear: 1 }), 5, 1e-12);
  // empyrical returns NaN for required_return <= -1; a rate that loses everything is a bad argument here
  assert.throws(() => omega(EMPYRICAL.mixed, { periodsPerYear: 252, requiredReturn: -10 }), RangeError);
});
