import assert from "node:assert/strict";
import { crossedBelow } from "./crossed_below.ts";
import { fixtures } from "./_test_utils.ts";
import { rsi } from "./rsi.ts";
import { assertCausal } from "../testing/mod.ts";

Deno.test("crossedBelow: needs all four values defined", () => {
  const a = Float64Array.of(3, 1, NaN, 1, 3, 3, 2);
  const b = Float64Array.of(2, 2, 2, 2, NaN, 4, 2);
  assert.deepEqual([...crossedBelow(a, b)], [0, 1, 0, 0, 0, 0, 0]);
  assert.deepEqual([...crossedBelow(Float64Array.of(3, 2, 1), 2)], [0, 0, 1]);
  assert.deepEqual([...crossedBelow(Float64Array.of(2, 1), 2)], [0, 1]);
});

Deno.test("crossedBelow: is causal", () => {
  const { clean, gappy } = fixtures(600, 161);
  for (const f of [clean, gappy]) {
    assertCausal((k) => crossedBelow(rsi(f.close.subarray(0, k), 14), 50), f.length, { name: "crossedBelow" });
  }
});
