import assert from "node:assert/strict";
import { decimate } from "./decimate.ts";

const f64 = (a: number[]): Float64Array => Float64Array.from(a);
const range = (n: number): Float64Array => Float64Array.from({ length: n }, (_, i) => i);

/** Deterministic pseudo-random walk (LCG), so failures reproduce. */
function walk(n: number, seed: number): Float64Array {
  const y = new Float64Array(n);
  let s = seed >>> 0, v = 0;
  for (let i = 0; i < n; i++) {
    s = (s * 1664525 + 1013904223) >>> 0;
    v += s / 2 ** 32 - 0.5;
    y[i] = v;
  }
  return y;
}

Deno.test("decimate keeps first, last, min and max per bucket (hand-worked)", () => {
  // x = 0..11 in 2 buckets of width 5.5: indices 0-5 and 6-11.
  // Bucket 0, y = 3 1 4 1 5 9: first 0, min 1 (first of the two 1s, index 1), max 9 (5), last 5.
  // Bucket 1, y = 2 6 5 3 5 8: first 6 = min (2), max 8 = last 11.
  const y = f64([3, 1, 4, 1, 5, 9, 2, 6, 5, 3, 5, 8]);
  assert.deepEqual([...decimate(range(12), y, { buckets: 2 })], [0, 1, 5, 6, 11]);
});

Deno.test("decimate returns short series whole", () => {
  assert.deepEqual([...decimate(range(8), f64([1, 2, 3, 4, 5, 6, 7, 8]), { buckets: 2 })], [0, 1, 2, 3, 4, 5, 6, 7]);
  assert.deepEqual([...decimate(new Float64Array(0), new Float64Array(0), { buckets: 10 })], []);
});

Deno.test("decimate properties on a long random walk: bounded, ordered, extremes kept per bucket", () => {
  for (const [n, buckets, seed] of [[100_000, 800, 1], [12_345, 97, 2], [5_000, 1, 3]] as const) {
    const x = range(n), y = walk(n, seed);
    const idx = decimate(x, y, { buckets });
    assert.ok(idx.length <= 4 * buckets, `${idx.length} points for ${buckets} buckets`);
    assert.ok(idx.length >= Math.min(n, buckets));
    assert.equal(idx[0], 0);
    assert.equal(idx.at(-1), n - 1);
    for (let k = 1; k < idx.length; k++) assert.ok(idx[k]! > idx[k - 1]!, "indices ascending and unique");
    // Every bucket's min and max over the kept points equal those over all points: the line
    // rasterizes to the same vertical extent in every pixel column.
    const fullMin = new Float64Array(buckets).fill(Infinity), fullMax = new Float64Array(buckets).fill(-Infinity);
    const keptMin = new Float64Array(buckets).fill(Infinity), keptMax = new Float64Array(buckets).fill(-Infinity);
    const scale = buckets / (n - 1); // the same arithmetic as decimate, so edges agree exactly
    const bucketOf = (i: number): number => Math.min(buckets - 1, Math.floor(x[i]! * scale));
    for (let i = 0; i < n; i++) {
      const b = bucketOf(i);
      fullMin[b] = Math.min(fullMin[b]!, y[i]!);
      fullMax[b] = Math.max(fullMax[b]!, y[i]!);
    }
    for (const i of idx) {
      const b = bucketOf(i);
      keptMin[b] = Math.min(keptMin[b]!, y[i]!);
      keptMax[b] = Math.max(keptMax[b]!, y[i]!);
    }
    assert.deepEqual(keptMin, fullMin);
    assert.deepEqual(keptMax, fullMax);
    // Hence the global extremes survive.
    const kept = [...idx].map((i) => y[i]!);
    assert.equal(Math.min(...kept), Math.min(...y));
    assert.equal(Math.max(...kept), Math.max(...y));
  }
});

Deno.test("decimate bins by x value: a time gap leaves empty buckets instead of crowding them", () => {
  // 10,000 points over x 0..5,000 and 10,000 over x 95,000..100,000; buckets are 1,000 wide.
  const n = 10_000;
  const x = Float64Array.from({ length: 2 * n }, (_, i) => i < n ? i / 2 : 95_000 + (i - n) / 2);
  const y = walk(2 * n, 4);
  const idx = decimate(x, y, { buckets: 100 });
  // Only buckets 0-4 and 95-99 hold points: at most 4 points from each of those 10.
  assert.ok(idx.length <= 4 * 10, `got ${idx.length}`);
  assert.ok(idx.includes(n - 1) && idx.includes(n), "both sides of the gap kept");
});

Deno.test("decimate skips NaN for extremes but keeps a NaN that opens or closes a bucket", () => {
  const n = 1000;
  const x = range(n);
  const y = Float64Array.from({ length: n }, (_, i) => (i >= 400 && i < 600 ? NaN : Math.sin(i / 50)));
  const idx = decimate(x, y, { buckets: 10 });
  const values = [...idx].map((i) => y[i]!);
  assert.ok(values.some(Number.isNaN), "the gap still breaks the line");
  assert.ok(idx.length <= 40);
  const finite = values.filter(Number.isFinite);
  assert.equal(Math.min(...finite), Math.min(...[...y].filter(Number.isFinite)));
});

Deno.test("decimate with all x equal puts everything in one bucket", () => {
  const idx = decimate(new Float64Array(100).fill(5), walk(100, 5), { buckets: 3 });
  assert.ok(idx.length <= 4);
  assert.equal(idx[0], 0);
  assert.equal(idx.at(-1), 99);
});

Deno.test("decimate rejects bad input with a message naming the value", () => {
  assert.throws(() => decimate(range(3), range(3), { buckets: 0 }), /buckets must be a positive integer.*got 0/);
  assert.throws(() => decimate(range(3), range(4), { buckets: 1 }), /y has 4 values but x has 3/);
  assert.throws(() => decimate(f64([0, 2, 1]), range(3), { buckets: 1 }), /non-decreasing.*got 1 after 2 at index 2/);
  const x = range(100);
  x[50] = NaN;
  assert.throws(() => decimate(x, range(100), { buckets: 2 }), RangeError);
  assert.throws(() => decimate([1, 2] as unknown as Float64Array, range(2), { buckets: 1 }), TypeError);
});
