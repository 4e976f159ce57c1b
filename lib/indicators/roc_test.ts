import assert from "node:assert/strict";
import { roc, rocWarmup } from "./roc.ts";
import { assertSeriesClose, fixtures } from "./_test_utils.ts";
import { assertCausal, randomBars } from "../testing/mod.ts";

Deno.test("roc: hand-worked values, warm-up and undefined bases", () => {
  assertSeriesClose(roc(Float64Array.of(100, 110, 99, 121), 2), [NaN, NaN, -1, 10], 1e-12, "roc");
  assert.deepEqual([...roc(Float64Array.of(1, 2), 5)], [NaN, NaN]);
  assert.deepEqual([...roc(Float64Array.of(0, 0, 1), 1)], [NaN, NaN, Infinity]);
  assert.equal(rocWarmup(12), 12);
});

Deno.test("roc: matches the direct definition on random data", () => {
  const close = randomBars({ n: 500, seed: 14 }).close;
  const want = close.map((x, i) => i < 12 ? NaN : (x / close[i - 12]! - 1) * 100);
  assertSeriesClose(roc(close, 12), want, 1e-9, "roc");
});

Deno.test("roc: is causal", () => {
  const { clean, gappy } = fixtures(500, 121);
  for (const f of [clean, gappy]) assertCausal((k) => roc(f.close.subarray(0, k), 12), f.length, { name: "roc" });
});
