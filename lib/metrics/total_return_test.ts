import assert from "node:assert/strict";
import { assertClose, EMPYRICAL } from "./_testdata.ts";
import { totalReturn } from "./total_return.ts";

// Expected values: last element of empyrical test_stats.py `test_cum_returns` (4 decimals there).
Deno.test("totalReturn matches empyrical's cumulative returns", () => {
  assertClose(totalReturn(EMPYRICAL.mixed), 0.03893, 1e-5);
  assertClose(totalReturn(EMPYRICAL.negative), -0.36590, 1e-5);
});

Deno.test("totalReturn: hand-worked and edge cases", () => {
  // 1.1 * 0.9 * 1.2 = 1.188
  assertClose(totalReturn(new Float64Array([0.1, -0.1, 0.2])), 0.188, 1e-12);
  assertClose(totalReturn(new Float64Array([0.1, NaN])), 0.1, 1e-15);
  assert.ok(Number.isNaN(totalReturn(EMPYRICAL.empty)));
});
