import assert from "node:assert/strict";
import { assertClose, EMPYRICAL, yearlyRate } from "./_testdata.ts";
import { sortino } from "./sortino.ts";

// Expected values: empyrical test_stats.py `test_sortino` (daily, 252).
Deno.test("sortino matches empyrical's published values", () => {
  const d = { periodsPerYear: 252 };
  assertClose(sortino(EMPYRICAL.mixed, d), 2.456518422202588);
  assertClose(sortino(EMPYRICAL.mixed, { ...d, riskFree: yearlyRate(0.01, 252) }), -1.7457431218879385);
  assertClose(sortino(EMPYRICAL.negative, d), -13.532743075043401);
  assert.equal(sortino(EMPYRICAL.positive, d), Infinity);
  assert.equal(sortino(EMPYRICAL.simpleBenchmark, d), Infinity);
  assert.ok(Number.isNaN(sortino(EMPYRICAL.one, d)));
  assert.ok(Number.isNaN(sortino(EMPYRICAL.empty, d)));
});

Deno.test("sortino: hand-worked downside over all periods", () => {
  // r = 0.03, -0.01, 0.01: mean 0.01; downside sqrt((0 + 0.0001 + 0) / 3) = 0.0057735; ratio 1.7320508
  const v = sortino(new Float64Array([0.03, -0.01, 0.01]), { periodsPerYear: 1 });
  assertClose(v, Math.sqrt(3), 1e-12);
  // NaN is skipped, not counted in the denominator
  assertClose(sortino(new Float64Array([0.03, NaN, -0.01, 0.01]), { periodsPerYear: 1 }), Math.sqrt(3), 1e-12);
  assert.ok(Number.isNaN(sortino(new Float64Array([0, 0]), { periodsPerYear: 1 })));
});
