import assert from "node:assert/strict";
import { randomBars } from "../testing/mod.ts";
import { rsiReversion } from "./rsi_reversion.ts";
import { parseParams } from "./parse_params.ts";
import { assertRequestsDeclared, assertSignalsCausal, assertWarmupRespected, closeFrame, on, run } from "./_testing.ts";

const base = { period: 2, lower: 30, upper: 70, exit: "opposite" as const };

Deno.test("rsi_reversion: hand-worked RSI(2) signals, shorts mirrored", () => {
  // close 10, 11, 12, 11, 10, 9, 10: changes +1, +1, -1, -1, -1, +1.
  // Wilder RSI(2): bar 2 seed gain 1, loss 0 -> 100; bar 3 gain .5, loss .5 -> 50;
  // bar 4 gain .25, loss .75 -> 25; bar 5 gain .125, loss .875 -> 12.5; bar 6 gain .5625, loss .4375 -> 56.25.
  // Short entry: RSI crosses below 70 on bar 3 (the warmup bar, period + 1); short exit: below 30 on bar 4;
  // long entry: back above 30 on bar 6. No cross above 70 (bar 2 has no previous RSI).
  const frame = closeFrame([10, 11, 12, 11, 10, 9, 10]);
  const s = run(rsiReversion, frame, base);
  assert.deepEqual(on(s.shortEntries), [3]);
  assert.deepEqual(on(s.shortExits), [4]);
  assert.deepEqual(on(s.entries), [6]);
  assert.deepEqual(on(s.exits), []);
  assert.equal(rsiReversion.warmup(base), 3);
  // midline: shorts cover when RSI crosses below 50 (bar 4: 25 < 50 after 50 >= 50);
  // the long on bar 6 would also exit there (56.25 crosses above 50), so that entry is dropped.
  const m = run(rsiReversion, frame, { ...base, exit: "midline" });
  assert.deepEqual(on(m.shortEntries), [3]);
  assert.deepEqual(on(m.shortExits), [4]);
  assert.deepEqual(on(m.exits), [6]);
  assert.deepEqual(on(m.entries), []);
});

Deno.test("rsi_reversion: a jump through both levels in one bar exits but does not enter", () => {
  // close 10, 9, 8, 12: RSI(2) bar 2 = 0 (loss only), bar 3 gain 2, loss .5 -> 100 - 100/5 = 80.
  // It crosses above 30 and above 70 on bar 3: the exit stands, the entry is dropped.
  const s = run(rsiReversion, closeFrame([10, 9, 8, 12]), base);
  assert.deepEqual(on(s.exits), [3]);
  assert.deepEqual(on(s.entries), []);
});

Deno.test("rsi_reversion: causal, warmup respected, indicators declared", () => {
  for (const [seed, missing] of [[5, 0], [6, 0.02]] as const) {
    const frame = randomBars({ n: 500, seed, missing, volatility: 0.02 });
    for (
      const p of [base, { ...base, period: 14 }, { period: 5, lower: 20, upper: 80, exit: "midline" as const }]
    ) {
      assertSignalsCausal(rsiReversion, frame, p);
      assert.ok(assertWarmupRespected(rsiReversion, frame, p) >= 0);
      assertRequestsDeclared(rsiReversion, frame, p);
    }
  }
  assert.equal(rsiReversion.crossover, undefined);
});

Deno.test("rsi_reversion: param errors", () => {
  assert.deepEqual(parseParams(rsiReversion, {}), { period: 14, lower: 30, upper: 70, exit: "opposite" });
  assert.deepEqual(parseParams(rsiReversion, { lower: "25.5", exit: "midline" }), {
    period: 14,
    lower: 25.5,
    upper: 70,
    exit: "midline",
  });
  assert.throws(() => parseParams(rsiReversion, { lower: 80 }), {
    message: "rsi_reversion: lower must be < upper (got lower=80, upper=70)",
  });
  assert.throws(() => parseParams(rsiReversion, { upper: 101 }), {
    message: "rsi_reversion: upper must be a number from 0 to 100 (got 101)",
  });
  assert.throws(() => parseParams(rsiReversion, { exit: "stop" }), {
    message: 'rsi_reversion: exit must be one of "opposite", "midline" (got "stop")',
  });
  assert.throws(() => parseParams(rsiReversion, { exit: "midline", lower: 55, upper: 80 }), {
    message: 'rsi_reversion: exit "midline" needs lower < 50 < upper (got lower=55, upper=80)',
  });
});
