import assert from "node:assert/strict";
import { OrderRing } from "./order_ring.ts";

Deno.test("OrderRing counts orders strictly after a cutoff, per window slot, as the cutoff slides", () => {
  const r = new OrderRing(100);
  for (let t = 0; t < 50; t++) r.push(t * 10);
  assert.equal(r.countSince(0, -1), 50);
  assert.equal(r.countSince(0, 0), 49);
  assert.equal(r.countSince(0, 245), 25);
  assert.equal(r.countSince(0, 490), 0);
  // Another slot keeps its own cursor.
  assert.equal(r.countSince(1, 100), 39);
  // Going back is exact too.
  assert.equal(r.countSince(0, 5), 49);
  r.push(1_000);
  assert.equal(r.countSince(0, 490), 1);
});

Deno.test("OrderRing keeps the newest `capacity` times; counts saturate at capacity", () => {
  const r = new OrderRing(3);
  for (let t = 1; t <= 5; t++) r.push(t);
  assert.deepEqual(r.toArray(), [3, 4, 5]);
  assert.equal(r.total, 5);
  assert.equal(r.last, 5);
  assert.equal(r.countSince(0, 0), 3);
  assert.deepEqual(OrderRing.from([1, 2, 3, 4], 2).toArray(), [3, 4]);
});

Deno.test("OrderRing refuses a bad capacity, a non-integer time and a time going backwards", () => {
  assert.throws(() => new OrderRing(0), /capacity must be an integer/);
  const r = new OrderRing(2);
  assert.equal(r.last, -Infinity);
  r.push(10);
  assert.throws(() => r.push(9), /before the previous order's 10/);
  assert.throws(() => r.push(NaN), /integer epoch-ms/);
  r.push(10); // equal times are fine
  assert.equal(r.total, 2);
});

Deno.test("property: countSince equals a brute-force count for any query order, slot and wrap (seeded)", () => {
  let seed = 11;
  const rnd = (): number => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = seed;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  for (let c = 0; c < 50; c++) {
    const cap = 1 + Math.floor(rnd() * 20);
    const r = new OrderRing(cap);
    const all: number[] = [];
    let t = 0;
    for (let step = 0; step < 200; step++) {
      if (rnd() < 0.4) {
        t += Math.floor(rnd() * 5);
        r.push(t);
        all.push(t);
      } else {
        // Mostly forward queries near the newest time, sometimes far back.
        const cutoff = rnd() < 0.8 ? t - Math.floor(rnd() * 20) : Math.floor(rnd() * (t + 1)) - 1;
        const slot = Math.floor(rnd() * 4);
        const kept = all.slice(-cap);
        assert.equal(r.countSince(slot, cutoff), kept.filter((x) => x > cutoff).length, `case ${c} step ${step}`);
      }
    }
  }
});
