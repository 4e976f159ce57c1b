import assert from "node:assert/strict";
import { randomBars } from "../testing/mod.ts";
import { bollingerBreakout } from "./bollinger_breakout.ts";
import { IndicatorCache } from "./indicator_cache.ts";
import { parseParams } from "./parse_params.ts";
import { assertRequestsDeclared, assertSignalsCausal, assertWarmupRespected, closeFrame, on, run } from "./_testing.ts";

Deno.test("bollinger_breakout: hand-worked short breakout and cover", () => {
  // period 4, k 1 (population std):
  // bar 3: window 10,10,10,10 -> bands all 10; close 10 is on them: nothing (comparisons are strict).
  // bar 4: window 10,10,10,7 -> mean 9.25, var (3 * .75^2 + 2.25^2) / 4 = 1.6875, std 1.299,
  //        lower 7.951 > close 7 -> short entry.
  // bar 5: window 10,10,7,10 -> mean 9.25 < close 10 -> short exit.
  // bar 6: window 10,7,10,11 -> mean 9.5, var (.25 + 6.25 + .25 + 2.25) / 4 = 2.25, std 1.5,
  //        upper 11 = close 11: no long entry (not above); close > middle: short exit again.
  const s = run(bollingerBreakout, closeFrame([10, 10, 10, 10, 7, 10, 11]), { period: 4, k: 1 });
  assert.deepEqual(on(s.shortEntries), [4]);
  assert.deepEqual(on(s.shortExits), [5, 6]);
  assert.deepEqual(on(s.entries), []);
  assert.deepEqual(on(s.exits), [4]);
});

Deno.test("bollinger_breakout: entry on the warmup bar, and every bar above the band carries one", () => {
  // period 4, k 1: bar 3 window 10,10,10,13 -> mean 10.75, std 1.299, upper 12.049 < 13 -> entry on bar 3 = warmup.
  // bar 4: window 10,10,13,16 -> mean 12.25, var (5.0625 * 2 + .5625 + 14.0625) / 4 = 6.1875, std 2.487,
  //        upper 14.737 < 16 -> entry again (a state, not a cross).
  const s = run(bollingerBreakout, closeFrame([10, 10, 10, 13, 16]), { period: 4, k: 1 });
  assert.deepEqual(on(s.entries), [3, 4]);
  assert.equal(bollingerBreakout.warmup({ period: 4, k: 1 }), 3);
});

Deno.test("bollinger_breakout: causal, warmup respected, indicators declared", () => {
  for (const [seed, missing] of [[7, 0], [8, 0.02]] as const) {
    const frame = randomBars({ n: 500, seed, missing });
    for (const p of [{ period: 2, k: 0.5 }, { period: 20, k: 2 }, { period: 10, k: 1.5 }]) {
      assertSignalsCausal(bollingerBreakout, frame, p);
      assert.ok(assertWarmupRespected(bollingerBreakout, frame, p) >= 0);
      assertRequestsDeclared(bollingerBreakout, frame, p);
    }
  }
});

Deno.test("bollinger_breakout: a sweep over k shares the middle band", () => {
  const frame = randomBars({ n: 300, seed: 9 });
  const cache = new IndicatorCache(frame);
  for (const k of [1, 1.5, 2, 2.5]) run(bollingerBreakout, frame, { period: 20, k }, cache);
  // one middle band plus an upper and a lower per k
  assert.equal(cache.size, 1 + 2 * 4);
});

Deno.test("bollinger_breakout: param errors", () => {
  assert.deepEqual(parseParams(bollingerBreakout, {}), { period: 20, k: 2 });
  assert.throws(() => parseParams(bollingerBreakout, { period: 1 }), {
    message: "bollinger_breakout: period must be an integer from 2 to 1000 (got 1)",
  });
  assert.throws(() => parseParams(bollingerBreakout, { k: "0" }), {
    message: "bollinger_breakout: k must be a number from 0.1 to 10 (got 0)",
  });
});
