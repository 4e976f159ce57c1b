import assert from "node:assert/strict";
import { returnsFromEquity } from "./returns_from_equity.ts";

Deno.test("returnsFromEquity: simple returns, one fewer than bars", () => {
  const r = returnsFromEquity(new Float64Array([100, 125, 100, NaN, 50]));
  assert.equal(r.length, 4);
  assert.equal(r[0], 0.25); // 125 / 100 - 1
  assert.ok(Math.abs(r[1]! - -0.2) < 1e-15); // 100 / 125 - 1
  assert.ok(Number.isNaN(r[2]!) && Number.isNaN(r[3]!));
  assert.equal(returnsFromEquity(new Float64Array([1])).length, 0);
  assert.equal(returnsFromEquity(new Float64Array(0)).length, 0);
});

Deno.test("returnsFromEquity: out buffer", () => {
  const out = new Float64Array(1);
  assert.equal(returnsFromEquity(new Float64Array([2, 3]), out), out);
  assert.equal(out[0], 0.5);
  assert.throws(() => returnsFromEquity(new Float64Array([2, 3]), new Float64Array(2)), RangeError);
});
