import assert from "node:assert/strict";
import { cagr } from "./cagr.ts";
import { assertClose, EMPYRICAL } from "./_testdata.ts";

// Expected values: empyrical test_stats.py `test_cagr` and `test_annual_ret`.
Deno.test("cagr matches empyrical's published values", () => {
  assertClose(cagr(EMPYRICAL.mixed, { periodsPerYear: 252 }), 1.9135925373194231);
  assertClose(cagr(EMPYRICAL.mixed, { periodsPerYear: 52 }), 0.24690830513998208);
  assertClose(cagr(EMPYRICAL.mixed, { periodsPerYear: 12 }), 0.052242061386048144);
  assertClose(cagr(EMPYRICAL.one, { periodsPerYear: 252 }), 11.274002099240244);
  assertClose(cagr(new Float64Array([0.03, 0.03, 0.03]), { periodsPerYear: 1 }), 0.03, 1e-12);
  assert.ok(Number.isNaN(cagr(EMPYRICAL.empty, { periodsPerYear: 252 })));
});

Deno.test("cagr: NaN is a flat period that still counts in n; wipe-outs", () => {
  // 1.21 over 4 bars at 2 bars a year = 2 years: 1.21 ** 0.5 - 1 = 0.1
  assertClose(cagr(new Float64Array([0.1, NaN, 0.1, NaN]), { periodsPerYear: 2 }), 0.1, 1e-12);
  assert.equal(cagr(new Float64Array([0.5, -1]), { periodsPerYear: 1 }), -1);
  assert.ok(Number.isNaN(cagr(new Float64Array([0.5, -1.5]), { periodsPerYear: 1 })));
});
