import assert from "node:assert/strict";
import { assertClose, EMPYRICAL } from "./_testdata.ts";
import { tailRatio } from "./tail_ratio.ts";

// Expected values: empyrical test_stats.py `test_tail_ratio`.
Deno.test("tailRatio matches empyrical's published values", () => {
  assertClose(tailRatio(EMPYRICAL.mixed), 0.9473684210526313, 1e-12);
  assertClose(tailRatio(EMPYRICAL.one), 1);
  assert.ok(Number.isNaN(tailRatio(EMPYRICAL.empty)));
});

Deno.test("tailRatio: zero left tail, bad cutoff", () => {
  assert.equal(tailRatio(new Float64Array([0, 0, 0, 0, 1])), Infinity);
  assert.ok(Number.isNaN(tailRatio(new Float64Array([0, 0, 0]))));
  assert.throws(() => tailRatio(EMPYRICAL.mixed, { cutoff: 0.4 }), RangeError);
});
