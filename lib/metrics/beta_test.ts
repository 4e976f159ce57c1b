import assert from "node:assert/strict";
import { assertClose, EMPYRICAL, randomReturns } from "./_testdata.ts";
import { beta } from "./beta.ts";

// Expected values: empyrical test_stats.py `test_alpha_beta` (mixed[1:] vs negative[1:]).
Deno.test("beta matches empyrical's published values", () => {
  assertClose(beta(EMPYRICAL.mixed.subarray(1), EMPYRICAL.negative.subarray(1)), -0.71296296296296313);
  assertClose(beta(EMPYRICAL.mixed, EMPYRICAL.mixed), 1);
  assertClose(beta(EMPYRICAL.mixed, EMPYRICAL.mixed.map((v) => -v)), -1);
});

Deno.test("beta: pairs with a NaN are dropped; flat benchmark; misaligned", () => {
  const r = randomReturns(50, 3);
  const b = randomReturns(50, 4);
  const rn = Float64Array.from(r);
  rn[10] = NaN;
  const bn = Float64Array.from(b);
  bn[20] = NaN;
  const keep = [...r.keys()].filter((i) => i !== 10 && i !== 20);
  const want = beta(Float64Array.from(keep, (i) => r[i]!), Float64Array.from(keep, (i) => b[i]!));
  assertClose(beta(rn, bn), want, 1e-14);
  assert.ok(Number.isNaN(beta(r.subarray(0, 5), new Float64Array(5).fill(0.01))));
  assert.ok(Number.isNaN(beta(EMPYRICAL.one, EMPYRICAL.one)));
  assert.throws(() => beta(r, b.subarray(1)), RangeError);
});
