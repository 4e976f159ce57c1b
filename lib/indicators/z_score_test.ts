import assert from "node:assert/strict";
import { zScore, zScoreWarmup } from "./z_score.ts";
import { assertSeriesClose, fixtures, twoPassStd } from "./_test_utils.ts";
import { assertCausal, randomBars } from "../testing/mod.ts";

Deno.test("zScore: hand-worked values", () => {
  // window [1, 2, 6]: mean 3, sample std sqrt((4 + 1 + 9) / 2) = sqrt(7)
  assertSeriesClose(zScore(Float64Array.of(1, 2, 6), 3), [NaN, NaN, 3 / Math.sqrt(7)], 1e-15, "z");
  // population: sqrt(14 / 3)
  assertSeriesClose(zScore(Float64Array.of(1, 2, 6), 3, { ddof: 0 }), [NaN, NaN, 3 / Math.sqrt(14 / 3)], 1e-15, "z");
  assert.equal(zScore(Float64Array.of(9, 4, 4, 4), 3)[3], 0); // flat window
  assert.equal(zScoreWarmup(5), 4);
});

Deno.test("zScore: matches (x - mean) / std on random data", () => {
  const close = randomBars({ n: 1500, seed: 5 }).close;
  for (const p of [2, 20]) {
    const std = twoPassStd(close, p, 1);
    const want = close.map((x, i) => {
      if (i < p - 1) return NaN;
      let m = 0;
      for (let j = i - p + 1; j <= i; j++) m += close[j]!;
      // A flat window (flat bars occur in the fixture) is defined as 0.
      return std[i] === 0 ? 0 : (x - m / p) / std[i]!;
    });
    assertSeriesClose(zScore(close, p), want, 1e-7, `z(${p})`);
  }
});

Deno.test("zScore: is causal", () => {
  const { clean, gappy } = fixtures(600, 51);
  for (const f of [clean, gappy]) assertCausal((k) => zScore(f.close.subarray(0, k), 20), f.length, { name: "zScore" });
});
