import assert from "node:assert/strict";
import { AssertionError } from "node:assert";
import { assertCausal } from "./causality.ts";
import { randomBars } from "./random_bars.ts";

const close = randomBars({ n: 300, seed: 1 }).close;

Deno.test("assertCausal: passes a trailing computation, single or multi-output", () => {
  const diff = (k: number) => close.subarray(0, k).map((x, i, a) => i === 0 ? NaN : x - a[i - 1]!);
  assertCausal(diff, close.length);
  assertCausal((k) => ({ diff: diff(k), up: Uint8Array.from(diff(k), (d) => d > 0 ? 1 : 0) }), close.length);
});

Deno.test("assertCausal: catches look-ahead, whole-series normalization and a centered window", () => {
  const shifted = (k: number) => close.subarray(0, k).map((_, i, a) => a[i + 1] ?? NaN);
  const normalized = (k: number) => {
    const c = close.subarray(0, k);
    const max = Math.max(...c);
    return c.map((x) => x / max);
  };
  const centered = (k: number) => close.subarray(0, k).map((_, i, a) => (a[i - 1]! + a[i]! + a[i + 1]!) / 3);
  for (const f of [shifted, normalized, centered]) {
    assert.throws(() => assertCausal(f, close.length, { name: "bad" }), (e: unknown) => {
      assert.ok(e instanceof AssertionError);
      assert.match(e.message, /^bad: not causal: value\[\d+\] is .* on the first \d+ rows but .* on all 300 rows$/);
      return true;
    });
  }
});

Deno.test("assertCausal: checks lengths, keys and prefix arguments", () => {
  assert.throws(() => assertCausal((k) => new Float64Array(k + 1), 10), /outputs must align/);
  assert.throws(
    () =>
      assertCausal(
        (k): Record<string, Float64Array> => (k === 10 ? { a: new Float64Array(k) } : { b: new Float64Array(k) }),
        10,
      ),
    /has series \[b\] but on 10 rows \[a\]/,
  );
  assert.throws(() => assertCausal((k) => new Float64Array(k), 10, { prefixes: [11] }), RangeError);
  // NaN equals NaN and -0 equals 0.
  assertCausal((k) => Float64Array.from({ length: k }, (_, i) => (i % 2 ? NaN : i === k - 1 ? -0 : 0)), 5, {
    prefixes: [0, 1, 2, 3, 4],
  });
});

Deno.test("assertCausal: the default prefixes cover short and long inputs", () => {
  const seen: number[] = [];
  assertCausal((k) => {
    seen.push(k);
    return new Float64Array(k);
  }, 1000);
  assert.ok([0, 1, 2, 39, 40, 999].every((k) => seen.includes(k)));
  assert.ok(seen.length > 70 && seen.length < 100);
  seen.length = 0;
  assertCausal((k) => (seen.push(k), new Float64Array(k)), 3);
  assert.deepEqual(seen.sort(), [0, 1, 2, 3, 3]);
});
