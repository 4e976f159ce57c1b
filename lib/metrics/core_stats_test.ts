import assert from "node:assert/strict";
import { annualReturn } from "./annual_return.ts";
import { annualReturnArithmetic } from "./annual_return_arithmetic.ts";
import { annualVolatility } from "./annual_volatility.ts";
import { cagr } from "./cagr.ts";
import { calmar } from "./calmar.ts";
import { coreStats } from "./core_stats.ts";
import { maxDrawdown } from "./max_drawdown.ts";
import { sharpe } from "./sharpe.ts";
import { sortino } from "./sortino.ts";
import { assertClose, EMPYRICAL, randomReturns } from "./_testdata.ts";
import { totalReturn } from "./total_return.ts";

Deno.test("coreStats agrees with the single-metric functions", () => {
  const r = randomReturns(5000, 5);
  r[17] = NaN;
  for (const opts of [{ periodsPerYear: 365 }, { periodsPerYear: 252, riskFree: 0.04 }]) {
    const s = coreStats(r, opts);
    assertClose(s.totalReturn, totalReturn(r), 1e-12);
    assertClose(s.cagr, cagr(r, opts), 1e-12);
    assertClose(s.annualReturn, annualReturn(r, opts), 1e-12);
    assertClose(s.annualReturnArithmetic, annualReturnArithmetic(r, opts), 1e-12);
    assertClose(s.annualVolatility, annualVolatility(r, opts), 1e-12);
    assertClose(s.sharpe, sharpe(r, opts), 1e-12);
    assertClose(s.sortino, sortino(r, opts), 1e-12);
    assertClose(s.maxDrawdown, maxDrawdown(r), 1e-12);
    assertClose(s.calmar, calmar(r, opts), 1e-12);
  }
});

Deno.test("coreStats on empyrical's fixtures and empty input", () => {
  const s = coreStats(EMPYRICAL.mixed, { periodsPerYear: 252 });
  assertClose(s.sharpe, 1.6368951821422701);
  assertClose(s.sortino, 2.456518422202588);
  assertClose(s.cagr, 1.9135925373194231);
  assertClose(s.annualReturn, 1.9135925373194231); // empyrical test_annual_ret
  assertClose(s.maxDrawdown, -0.1);
  assertClose(s.calmar, 19.135925373194233);
  assert.equal(coreStats(EMPYRICAL.positive, { periodsPerYear: 252 }).sortino, Infinity);
  const e = coreStats(EMPYRICAL.empty, { periodsPerYear: 252 });
  for (const v of Object.values(e)) assert.ok(Number.isNaN(v));
  assert.throws(() => coreStats(EMPYRICAL.mixed, { periodsPerYear: 0 }), RangeError);
});
