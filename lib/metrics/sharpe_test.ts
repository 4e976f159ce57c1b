import assert from "node:assert/strict";
import { assertClose, EMPYRICAL, yearlyRate } from "./_testdata.ts";
import { sharpe } from "./sharpe.ts";

// Expected values: empyrical test_stats.py `test_sharpe_ratio` (periods 'daily' = 252).
Deno.test("sharpe matches empyrical's published values", () => {
  const d = { periodsPerYear: 252 };
  assertClose(sharpe(EMPYRICAL.mixed, d), 1.6368951821422701);
  assertClose(sharpe(EMPYRICAL.positive, d), 52.915026221291804);
  assertClose(sharpe(EMPYRICAL.negative, d), -24.406808633910085);
  // empyrical's risk_free = simple_benchmark (0.01 per day) -> a yearly 1.01^252 - 1 here
  assertClose(sharpe(EMPYRICAL.mixed, { ...d, riskFree: yearlyRate(0.01, 252) }), -1.3095161457138154);
  assert.ok(Number.isNaN(sharpe(EMPYRICAL.empty, d)));
  assert.ok(Number.isNaN(sharpe(EMPYRICAL.one, d)));
});

Deno.test("sharpe: hand-worked, NaN skipped, zero dispersion, ddof", () => {
  // r = 0.01, 0.03: mean 0.02, sample sd sqrt(((-0.01)^2 + 0.01^2) / 1) = 0.0141421; x sqrt(4) = 2.828427
  const r = new Float64Array([0.01, 0.03]);
  assertClose(sharpe(r, { periodsPerYear: 4 }), 2 * Math.SQRT2, 1e-12);
  assertClose(sharpe(new Float64Array([NaN, 0.01, NaN, 0.03]), { periodsPerYear: 4 }), 2 * Math.SQRT2, 1e-12);
  // ddof 0: population sd 0.01 -> 0.02 / 0.01 * 2 = 4
  assertClose(sharpe(r, { periodsPerYear: 4, ddof: 0 }), 4, 1e-12);
  assert.ok(Number.isNaN(sharpe(new Float64Array([0.5, 0.5, 0.5]), { periodsPerYear: 4 })));
});

Deno.test("sharpe rejects bad arguments", () => {
  assert.throws(() => sharpe(EMPYRICAL.mixed, { periodsPerYear: 0 }), RangeError);
  assert.throws(() => sharpe(EMPYRICAL.mixed, { periodsPerYear: NaN }), /periodsPerYear/);
  assert.throws(() => sharpe(EMPYRICAL.mixed, { periodsPerYear: 252, riskFree: -1 }), RangeError);
});
