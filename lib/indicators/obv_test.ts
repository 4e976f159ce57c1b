import assert from "node:assert/strict";
import { obv, obvWarmup } from "./obv.ts";
import { assertSeriesClose, fixtures } from "./_test_utils.ts";
import { assertCausal, randomBars } from "../testing/mod.ts";

Deno.test("obv: hand-worked values and missing bars", () => {
  const bars = { close: Float64Array.of(10, 11, 11, 9, NaN, 12, 13), volume: Float64Array.of(5, 2, 3, 4, 1, 6, 7) };
  // +2, 0, -4, missing, missing (previous close missing), +7
  assertSeriesClose(obv(bars), [0, 2, 2, -2, NaN, NaN, 5], 0, "obv");
  assert.equal(obvWarmup(), 0);
});

Deno.test("obv: matches a cumulative sum of signed volume", () => {
  const f = randomBars({ n: 800, seed: 15 });
  let total = 0;
  const want = f.close.map((c, i) => (total += i === 0 ? 0 : Math.sign(c - f.close[i - 1]!) * f.volume[i]!));
  assertSeriesClose(obv(f), want, 1e-6, "obv");
});

Deno.test("obv: is causal", () => {
  const { clean, gappy } = fixtures(500, 131);
  for (const f of [clean, gappy]) assertCausal((k) => obv(f.slice(0, k)), f.length, { name: "obv" });
});
