import assert from "node:assert/strict";
import { wma, wmaWarmup } from "./wma.ts";
import { assertSeriesClose, fixtures } from "./_test_utils.ts";
import { assertCausal, randomBars } from "../testing/mod.ts";

function naiveWma(x: Float64Array, p: number): Float64Array {
  return x.map((_, i) => {
    if (i < p - 1) return NaN;
    let s = 0;
    for (let w = 1; w <= p; w++) s += w * x[i - p + w]!;
    return s / (p * (p + 1) / 2);
  });
}

Deno.test("wma: hand-worked values", () => {
  // (1*1 + 2*2 + 3*3) / 6 = 14/6 and (1*2 + 2*3 + 3*4) / 6 = 20/6
  assertSeriesClose(wma(Float64Array.of(1, 2, 3, 4), 3), [NaN, NaN, 14 / 6, 20 / 6], 1e-15, "wma");
  assert.equal(wmaWarmup(3), 2);
});

Deno.test("wma: matches the direct definition on random data, across the rebuild interval", () => {
  for (const missing of [0, 0.01]) {
    const close = randomBars({ n: 4000, seed: 3, price: 64_000, missing }).close;
    for (const p of [1, 2, 9, 100, 1024, 1300]) {
      // Prices reach ~2e5 here, so 1e-6 is a relative error of ~5e-12.
      assertSeriesClose(wma(close, p), naiveWma(close, p), 1e-6, `wma(${p})`);
    }
  }
});

Deno.test("wma: NaN windows, large offsets, flat windows", () => {
  assertSeriesClose(wma(Float64Array.of(1, NaN, 3, 4, 5), 2), [NaN, NaN, NaN, 11 / 3, 14 / 3], 1e-15, "wma");
  const x = Float64Array.from({ length: 2000 }, (_, i) => 1e9 + Math.cos(i) * 1e-3);
  const want = naiveWma(x.map((v) => v - 1e9), 15);
  const got = wma(x, 15);
  for (let i = 14; i < x.length; i++) assert.ok(Math.abs(got[i]! - 1e9 - want[i]!) < 1e-6, `at ${i}`);
  // A bad tick 1000x the price leaves no visible residue once it leaves the window.
  assert.ok(Math.abs(wma(Float64Array.of(0.3, 300, 0.3, 0.3, 0.3, 0.3), 3)[5]! - 0.3) < 1e-13);
});

Deno.test("wma: is causal", () => {
  const { clean, gappy } = fixtures(2500, 31);
  for (const f of [clean, gappy]) assertCausal((k) => wma(f.close.subarray(0, k), 20), f.length, { name: "wma" });
});
