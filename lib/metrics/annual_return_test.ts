import assert from "node:assert/strict";
import { annualReturn } from "./annual_return.ts";
import { cagr } from "./cagr.ts";
import { assertClose, EMPYRICAL, randomReturns } from "./_testdata.ts";

// Expected values: empyrical test_stats.py `test_annual_ret` (mixed_returns at DAILY, WEEKLY,
// MONTHLY, i.e. 252, 52 and 12 periods a year).
Deno.test("annualReturn is empyrical's annual_return: geometric growth per year of bars", () => {
  assertClose(annualReturn(EMPYRICAL.mixed, { periodsPerYear: 252 }), 1.9135925373194231);
  assertClose(annualReturn(EMPYRICAL.mixed, { periodsPerYear: 52 }), 0.24690830513998208);
  assertClose(annualReturn(EMPYRICAL.mixed, { periodsPerYear: 12 }), 0.052242061386048144);
  // Hand-worked: +10 % then +21 % over two yearly bars: sqrt(1.1 * 1.21) - 1
  assertClose(annualReturn(new Float64Array([0.1, 0.21]), { periodsPerYear: 1 }), Math.sqrt(1.331) - 1, 1e-15);
  // Not the arithmetic mean x periods: +50 % then -50 % is a loss per year, not 0.
  assertClose(annualReturn(new Float64Array([0.5, -0.5]), { periodsPerYear: 2 }), -0.25, 1e-15);
  assert.ok(Number.isNaN(annualReturn(EMPYRICAL.empty, { periodsPerYear: 252 })));
  assert.throws(() => annualReturn(EMPYRICAL.one, { periodsPerYear: 0 }), /annualReturn: periodsPerYear/);
});

Deno.test("annualReturn equals cagr by bars (no ts), NaN included as flat periods", () => {
  const r = randomReturns(1000, 4);
  r[10] = NaN;
  assert.equal(annualReturn(r, { periodsPerYear: 365 }), cagr(r, { periodsPerYear: 365 }));
});
