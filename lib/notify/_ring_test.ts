import assert from "node:assert/strict";
import { Ring } from "./_ring.ts";

Deno.test("Ring keeps the newest `capacity` items in order and reports each drop", () => {
  const r = new Ring<number>(3);
  const drops = [1, 2, 3, 4, 5].map((v) => r.push(v));
  assert.deepEqual(drops, [false, false, false, true, true]);
  assert.equal(r.size, 3);
  assert.deepEqual([r.shift(), r.shift()], [3, 4]);
  r.push(6);
  r.push(7);
  assert.deepEqual([r.shift(), r.shift(), r.shift(), r.shift()], [5, 6, 7, undefined]);
  assert.equal(r.size, 0);
});
