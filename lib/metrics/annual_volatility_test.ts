import assert from "node:assert/strict";
import { annualVolatility } from "./annual_volatility.ts";
import { assertClose, EMPYRICAL } from "./_testdata.ts";

// Expected values: empyrical test_stats.py `test_annual_volatility` (daily 252, weekly 52, monthly 12).
Deno.test("annualVolatility matches empyrical's published values", () => {
  assertClose(annualVolatility(EMPYRICAL.mixed, { periodsPerYear: 252 }), 0.8552777326693359);
  assertClose(annualVolatility(EMPYRICAL.mixed, { periodsPerYear: 52 }), 0.38851569394870583);
  assertClose(annualVolatility(EMPYRICAL.mixed, { periodsPerYear: 12 }), 0.18663690238892558);
  assertClose(annualVolatility(EMPYRICAL.simpleBenchmark, { periodsPerYear: 252 }), 0);
});

Deno.test("annualVolatility: hand-worked, ddof, too short", () => {
  // 0.01, 0.03: sample variance 0.0002, x 100 bars a year = 0.02
  assertClose(annualVolatility(new Float64Array([0.01, 0.03]), { periodsPerYear: 100 }), Math.sqrt(0.02), 1e-15);
  // population variance 0.0001 x 100 = 0.01
  assertClose(annualVolatility(new Float64Array([0.01, 0.03]), { periodsPerYear: 100, ddof: 0 }), 0.1, 1e-15);
  assert.ok(Number.isNaN(annualVolatility(EMPYRICAL.one, { periodsPerYear: 252 })));
  assert.throws(() => annualVolatility(EMPYRICAL.one, { periodsPerYear: -1 }), RangeError);
});
