import assert from "node:assert/strict";
import { assertClose, EMPYRICAL } from "./_testdata.ts";
import { dsr } from "./dsr.ts";
import { psr } from "./psr.ts";

Deno.test("dsr: PSR against the expected maximum of the trials", () => {
  // scipy 1.17.1 on empyrical's mixed returns, N = 10, V = 0.01: SR0 = 0.157459830134575,
  // PSR(SR0) = 0.4401591307898055
  assertClose(dsr(EMPYRICAL.mixed, { trials: 10, sharpeVariance: 0.01 }), 0.4401591307898055, 1e-10);
  assert.equal(dsr(EMPYRICAL.mixed, { trials: 1, sharpeVariance: 0.01 }), psr(EMPYRICAL.mixed));
  // more trials, more deflation
  const a = dsr(EMPYRICAL.mixed, { trials: 10, sharpeVariance: 0.01 });
  const b = dsr(EMPYRICAL.mixed, { trials: 1000, sharpeVariance: 0.01 });
  assert.ok(b < a);
  assert.throws(() => dsr(EMPYRICAL.mixed, { trials: 0, sharpeVariance: 0.01 }), RangeError);
});
