import assert from "node:assert/strict";
import { assertClose, EMPYRICAL } from "./_testdata.ts";
import { maxDrawdown } from "./max_drawdown.ts";

// Expected values: empyrical test_stats.py `test_max_drawdown`.
Deno.test("maxDrawdown matches empyrical's published values", () => {
  assert.ok(Number.isNaN(maxDrawdown(EMPYRICAL.empty)));
  assertClose(maxDrawdown(EMPYRICAL.one), 0);
  assertClose(maxDrawdown(EMPYRICAL.simpleBenchmark), 0);
  assertClose(maxDrawdown(EMPYRICAL.mixed), -0.1);
  assertClose(maxDrawdown(EMPYRICAL.positive), 0);
  assertClose(maxDrawdown(EMPYRICAL.negative), -0.36590730349873601);
  assertClose(maxDrawdown(new Float64Array([0.1, -0.1, 0.1])), -0.1);
});

Deno.test("maxDrawdown: first-period loss counts, NaN is flat", () => {
  // equity starts at 1: 1 -> 0.8 is -20 %
  assertClose(maxDrawdown(new Float64Array([-0.2, 0.1])), -0.2, 1e-15);
  // 1 -> 1.25 -> (NaN, flat) -> 1.0: 1 / 1.25 - 1 = -0.2
  assertClose(maxDrawdown(new Float64Array([0.25, NaN, -0.2])), -0.2, 1e-15);
});
