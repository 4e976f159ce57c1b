import assert from "node:assert/strict";
import { sma, smaWarmup } from "./sma.ts";
import { assertSeriesClose, fixtures, MOVAVG_CLOSE, published } from "./_test_utils.ts";
import { assertCausal, randomBars } from "../testing/mod.ts";

// StockCharts ChartSchool, "Moving Averages - Simple and Exponential", spreadsheet
// cs-movavg.xls: the 10-day SMA column (5 decimals) for MOVAVG_CLOSE.
const SMA10 = published(9, [
  22.22475,
  22.21283,
  22.23269,
  22.26238,
  22.30606,
  22.42324,
  22.61499,
  22.76692,
  22.90693,
  23.07773,
  23.21178,
  23.37861,
  23.52657,
  23.65378,
  23.71139,
  23.68557,
  23.61298,
  23.50573,
  23.43225,
  23.27734,
  23.13121,
]);

function naiveSma(x: Float64Array, p: number): Float64Array {
  return x.map((_, i) => {
    if (i < p - 1) return NaN;
    let s = 0;
    for (let j = i - p + 1; j <= i; j++) s += x[j]!;
    return s / p;
  });
}

Deno.test("sma: hand-worked values and warm-up", () => {
  assert.deepEqual([...sma(Float64Array.of(2, 4, 6, 8), 2)], [NaN, 3, 5, 7]);
  assert.deepEqual([...sma(Float64Array.of(1, 2), 3)], [NaN, NaN]);
  assert.deepEqual([...sma(Float64Array.of(5, 7), 1)], [5, 7]);
  assert.equal(sma(new Float64Array(0), 3).length, 0);
  assert.equal(smaWarmup(10), 9);
});

Deno.test("sma: matches the StockCharts cs-movavg.xls 10-day SMA", () => {
  assertSeriesClose(sma(Float64Array.from(MOVAVG_CLOSE), 10), SMA10, 1e-9, "sma");
});

Deno.test("sma: matches the direct O(n*period) definition on random data, across the rebuild interval", () => {
  // The gappy series exercises missing values across rebuilds (the naive sum turns NaN too).
  for (const missing of [0, 0.01]) {
    const close = randomBars({ n: 5000, seed: 1, missing }).close;
    for (const p of [1, 2, 7, 50, 1024, 1500]) {
      assertSeriesClose(sma(close, p), naiveSma(close, p), 1e-9, `sma(${p})`);
    }
  }
});

Deno.test("sma: a window holding NaN or Infinity is NaN and recovers after it leaves", () => {
  const x = Float64Array.of(1, 2, NaN, 4, 5, 6, Infinity, 8, 9, 10);
  assertSeriesClose(sma(x, 2), [NaN, 1.5, NaN, NaN, 4.5, 5.5, NaN, NaN, 8.5, 9.5], 0, "sma");
});

Deno.test("sma: no cancellation at large offsets, no residue after an outlier", () => {
  const x = Float64Array.from({ length: 3000 }, (_, i) => 1e9 + Math.sin(i) * 1e-3);
  const got = sma(x, 20);
  const want = naiveSma(x.map((v) => v - 1e9), 20);
  for (let i = 19; i < x.length; i++) assert.ok(Math.abs(got[i]! - 1e9 - want[i]!) < 1e-6, `at ${i}`);
  // A bad tick 1000x the price, then a flat series; rebuilds (every 1024 bars) clear any residue.
  const spiky = Float64Array.from({ length: 3000 }, (_, i) => (i === 1500 ? 300 : 0.3));
  const got2 = sma(spiky, 10);
  for (let i = 1510; i < 3000; i++) assert.ok(Math.abs(got2[i]! - 0.3) < 1e-13, `at ${i}`);
  assert.equal(got2[2999], 0.3);
});

Deno.test("sma: writes into out, and rejects bad arguments with the value seen", () => {
  const x = Float64Array.of(1, 2, 3);
  const out = new Float64Array(3);
  assert.equal(sma(x, 2, { out }), out);
  assert.deepEqual([...out], [NaN, 1.5, 2.5]);
  assert.throws(() => sma(x, 0), { name: "RangeError", message: /period must be a positive integer.*got 0/ });
  assert.throws(() => sma(x, 2.5), { name: "RangeError", message: /got 2\.5/ });
  assert.throws(() => sma([1, 2, 3] as unknown as Float64Array, 2), { name: "TypeError", message: /got Array/ });
  assert.throws(() => sma(x, 2, { out: new Float64Array(2) }), { name: "RangeError", message: /length 2/ });
  assert.throws(() => sma(x, 2, { out: x }), { name: "RangeError", message: /shares memory/ });
});

Deno.test("sma: is causal", () => {
  const { clean, gappy } = fixtures(2500, 11);
  for (const f of [clean, gappy]) {
    for (const p of [1, 5, 30]) assertCausal((k) => sma(f.close.subarray(0, k), p), f.length, { name: `sma(${p})` });
  }
});
