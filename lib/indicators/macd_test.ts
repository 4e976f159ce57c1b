import assert from "node:assert/strict";
import { macd, macdWarmup } from "./macd.ts";
import { assertSeriesClose, fixtures } from "./_test_utils.ts";
import { assertCausal, randomBars } from "../testing/mod.ts";

// Independent reference: each EMA as alpha*x + (1-alpha)*prev from a slice-mean seed placed at
// the first index where `period` values of its input exist.
function naiveEma(x: ArrayLike<number>, p: number, from: number): Float64Array {
  const out = new Float64Array(x.length).fill(NaN);
  const start = from + p - 1;
  if (start >= x.length) return out;
  let s = 0;
  for (let j = from; j <= start; j++) s += x[j]!;
  out[start] = s / p;
  const a = 2 / (p + 1);
  for (let i = start + 1; i < x.length; i++) out[i] = a * x[i]! + (1 - a) * out[i - 1]!;
  return out;
}

Deno.test("macd: matches two EMAs and an EMA of their difference", () => {
  const close = randomBars({ n: 1200, seed: 12 }).close;
  for (const [fast, slow, signal] of [[12, 26, 9], [3, 5, 2], [1, 2, 1]] as const) {
    const fastE = naiveEma(close, fast, 0);
    const slowE = naiveEma(close, slow, 0);
    const line = fastE.map((v, i) => v - slowE[i]!);
    const sig = naiveEma(line, signal, slow - 1);
    const got = macd(close, { fast, slow, signal });
    assertSeriesClose(got.macd, line, 1e-9, "macd");
    assertSeriesClose(got.signal, sig, 1e-9, "signal");
    assertSeriesClose(got.histogram, line.map((v, i) => v - sig[i]!), 1e-9, "histogram");
  }
  assert.deepEqual(macdWarmup(), { macd: 25, signal: 33, histogram: 33 });
  const m = macd(close);
  assert.ok(Number.isNaN(m.signal[32]!) && Number.isFinite(m.signal[33]!) && Number.isNaN(m.macd[24]!));
});

Deno.test("macd: seed 'first' matches pandas ewm(adjust=False) recursions from bar 0", () => {
  const x = Float64Array.of(10, 11, 12, 11, 13);
  const rec = (v: ArrayLike<number>, p: number): number[] => {
    const a = 2 / (p + 1);
    const out = [v[0]!];
    for (let i = 1; i < v.length; i++) out.push(a * v[i]! + (1 - a) * out[i - 1]!);
    return out;
  };
  const line = rec(x, 2).map((v, i) => v - rec(x, 3)[i]!);
  const got = macd(x, { fast: 2, slow: 3, signal: 2, seed: "first" });
  assertSeriesClose(got.macd, line, 1e-12, "macd");
  assertSeriesClose(got.signal, rec(line, 2), 1e-12, "signal");
  assert.deepEqual(macdWarmup({ seed: "first" }), { macd: 0, signal: 0, histogram: 0 });
});

Deno.test("macd: rejects fast >= slow", () => {
  assert.throws(() => macd(Float64Array.of(1), { fast: 26, slow: 12 }), {
    name: "RangeError",
    message: /fast \(26\).*slow \(12\)/,
  });
});

Deno.test("macd: is causal", () => {
  const { clean, gappy } = fixtures(600, 101);
  for (const f of [clean, gappy]) {
    for (const seed of ["sma", "first"] as const) {
      assertCausal((k) => ({ ...macd(f.close.subarray(0, k), { seed }) }), f.length, { name: `macd ${seed}` });
    }
  }
});
