import assert from "node:assert/strict";
import { rollingStd, rollingStdWarmup } from "./rolling_std.ts";
import { assertSeriesClose, fixtures, twoPassStd } from "./_test_utils.ts";
import { assertCausal, randomBars } from "../testing/mod.ts";

Deno.test("rollingStd: textbook example and ddof", () => {
  // Population std of 2, 4, 4, 4, 5, 5, 7, 9 is 2 (mean 5, squared deviations sum to 32).
  const x = Float64Array.of(2, 4, 4, 4, 5, 5, 7, 9);
  assert.equal(rollingStd(x, 8)[7], 2);
  assert.equal(rollingStd(x, 8, { ddof: 1 })[7], Math.sqrt(32 / 7));
  assertSeriesClose(rollingStd(Float64Array.of(1, 3, 5), 2), [NaN, 1, 1], 0, "std");
  assert.ok(rollingStd(x, 1, { ddof: 1 }).every(Number.isNaN)); // n - ddof = 0: undefined
  assert.equal(rollingStdWarmup(20), 19);
  assert.throws(() => rollingStd(x, 2, { ddof: -1 }), { name: "RangeError", message: /ddof.*got -1/ });
});

Deno.test("rollingStd: matches the two-pass definition on random data", () => {
  for (const missing of [0, 0.01]) {
    const close = randomBars({ n: 3000, seed: 4, missing }).close;
    for (const p of [2, 5, 20, 300]) {
      for (const ddof of [0, 1]) {
        assertSeriesClose(rollingStd(close, p, { ddof }), twoPassStd(close, p, ddof), 1e-9, `std(${p}, ${ddof})`);
      }
    }
  }
});

Deno.test("rollingStd: no catastrophic cancellation at 1e9 + 1e-3 noise", () => {
  // A textbook running sum of squares loses every digit here: x^2 ~ 1e18 has a ulp of 128,
  // while the variance is ~1e-7.
  const x = Float64Array.from({ length: 5000 }, (_, i) => 1e9 + 1e-3 * Math.sin(i * 1.7));
  const want = twoPassStd(x, 20, 0);
  const got = rollingStd(x, 20);
  for (let i = 19; i < x.length; i++) {
    assert.ok(Math.abs(got[i]! - want[i]!) <= 1e-3 * want[i]!, `at ${i}: ${got[i]} vs ${want[i]}`);
  }
});

Deno.test("rollingStd: a flat window is exactly 0 and a NaN window is NaN", () => {
  const x = Float64Array.of(5, 1e8, 3, 0.1, 0.1, 0.1, NaN, 0.1, 0.1, 0.1);
  const got = rollingStd(x, 3);
  assert.equal(got[5], 0);
  assert.ok(Number.isNaN(got[6]!) && Number.isNaN(got[8]!));
  assert.equal(got[9], 0);
});

Deno.test("rollingStd: is causal", () => {
  const { clean, gappy } = fixtures(700, 41);
  for (const f of [clean, gappy]) {
    assertCausal((k) => rollingStd(f.close.subarray(0, k), 14, { ddof: 1 }), f.length, { name: "rollingStd" });
  }
});
