import assert from "node:assert/strict";
import { simulate } from "./simulate.ts";
import { simulateFinalEquity } from "./simulate_final_equity.ts";
import type { BacktestOptionsInput } from "./backtest_options.ts";
import { crossSignals, prng, randomFrame, sma } from "./_testing.ts";
import { Frame } from "../frame/mod.ts";
import { emaCross, IndicatorCache, smaCross } from "../strategies/mod.ts";
import type { SignalSet } from "../types/mod.ts";

Deno.test("kernel equals the general engine bit for bit, for every option combination it supports", () => {
  let compared = 0, ruined = 0;
  for (let seed = 1; seed <= 6; seed++) {
    const f = randomFrame(3000, seed);
    const rnd = prng(seed * 101);
    const fast = sma(f.close, 2 + Math.floor(rnd() * 10)), slow = sma(f.close, 15 + Math.floor(rnd() * 40));
    const signals = crossSignals(fast, slow);
    for (const fee of [0, 0.001, 0.01]) {
      for (const fixedFee of [0, 1, 499]) {
        for (const spread of [0, 0.002]) {
          for (const slippage of [0, 0.0005]) {
            for (const finalize of ["open", "close"] as const) {
              const o: BacktestOptionsInput = { fill: "close", fee, fixedFee, spread, slippage, finalize, cash: 1000 };
              const k = simulateFinalEquity({ close: f.close, fast, slow }, o);
              const r = simulate(f, signals, o);
              assert.equal(k.equity, r.finalEquity, `seed ${seed} ${JSON.stringify(o)}`);
              assert.equal(k.trades, r.trades.length);
              if (r.ruinedAt >= 0) ruined++;
              compared++;
            }
          }
        }
      }
    }
  }
  assert.equal(compared, 6 * 72);
  // fixedFee 499 on 1000 cash drives some runs to ruin, so that rule is compared too.
  assert.ok(ruined > 0);
});

Deno.test("kernel equals simulate on sma_cross / ema_cross signals, many seeds and params", () => {
  let compared = 0, withTrades = 0;
  for (let seed = 1; seed <= 25; seed++) {
    // Prices on a coarse tick grid make SMAs tie often, so touches (fast == slow) are exercised.
    const raw = randomFrame(1500, seed);
    const close = raw.close.map((c) => Math.round(c * 4) / 4);
    const frame = new Frame(raw.ts, { close });
    const cache = new IndicatorCache(frame);
    const rnd = prng(seed * 7919);
    for (let k = 0; k < 8; k++) {
      const fastP = 1 + Math.floor(rnd() * 12), slowP = fastP + 1 + Math.floor(rnd() * 30);
      for (const strategy of [smaCross, emaCross]) {
        const p = strategy.params.parse({ fast: fastP, slow: slowP });
        const hint = strategy.crossover!(p);
        const fast = cache.indicator(hint.fast.key, hint.fast.compute);
        const slow = cache.indicator(hint.slow.key, hint.slow.compute);
        const s = strategy.signals(frame, p, cache) as SignalSet;
        const o: BacktestOptionsInput = { fill: "close", fee: 0.001, cash: 10_000, finalize: k % 2 ? "open" : "close" };
        const kern = simulateFinalEquity({ close, fast, slow }, o);
        const r = simulate(frame, s, o);
        assert.equal(kern.equity, r.finalEquity, `seed ${seed} ${strategy.name} ${fastP}/${slowP}`);
        assert.equal(kern.trades, r.trades.length);
        if (kern.trades > 0) withTrades++;
        compared++;
      }
    }
  }
  assert.equal(compared, 25 * 8 * 2);
  assert.ok(withTrades > compared / 2);
});

Deno.test("kernel: cross semantics (no entry when already above at the first defined bar; a touch is no exit)", () => {
  const close = new Float64Array([10, 12, 11, 13, 14, 15]);
  // bar 0 NaN; bar 1 already above (no previous defined bar: no entry); bar 2 touches (no exit,
  // nothing held anyway); bar 3 above after equal: entry at 13; bar 4 equal: no exit; bar 5 above
  // again after equal: crossedAbove again but already long (ignored).
  const fast = new Float64Array([NaN, 2, 1, 2, 1, 2]);
  const slow = new Float64Array([1, 1, 1, 1, 1, 1]);
  assert.deepEqual(simulateFinalEquity({ close, fast, slow }, { fill: "close", cash: 1300, finalize: "open" }), {
    equity: 1500,
    trades: 1,
  });
  // Already above from the first defined bar on: never enters.
  const above = simulateFinalEquity({ close, fast: new Float64Array(6).fill(2), slow }, { fill: "close", cash: 10 });
  assert.deepEqual(above, { equity: 10, trades: 0 });
  // A NaN in the middle breaks the "previous bar" for the next one.
  const gap = simulateFinalEquity({
    close,
    fast: new Float64Array([0, NaN, 2, 2, 0, 0]),
    slow,
  }, { fill: "close", cash: 10 });
  assert.deepEqual(gap, { equity: 10, trades: 0 });
});

Deno.test("kernel rejects options it does not implement", () => {
  const x = new Float64Array(3);
  assert.throws(() => simulateFinalEquity({ close: x, fast: x, slow: x }), /fill "close"/);
  assert.throws(() => simulateFinalEquity({ close: x, fast: x, slow: x }, { fill: "close", lot: 1 }), RangeError);
  assert.throws(
    () => simulateFinalEquity({ close: x, fast: x.subarray(1), slow: x }, { fill: "close" }),
    /equal lengths, got 3, 2, 3/,
  );
});

Deno.test("kernel equals the engine when closes have NaN gaps (no fill at NaN, marks at the last known close)", () => {
  let compared = 0, gaps = 0;
  for (let seed = 1; seed <= 8; seed++) {
    const f = randomFrame(2000, seed);
    const rnd = prng(seed * 31);
    // Indicators from the clean closes, so crossings land on NaN bars too.
    const fast = sma(f.close, 3 + Math.floor(rnd() * 5)), slow = sma(f.close, 12 + Math.floor(rnd() * 20));
    const close = f.close.slice();
    for (let i = 0; i < close.length; i++) if (rnd() < 0.05) close[i] = NaN;
    close[close.length - 1] = NaN;
    const frame = new Frame(f.ts, { close });
    const signals = crossSignals(fast, slow);
    for (const finalize of ["open", "close"] as const) {
      for (const fixedFee of [0, 2]) {
        const o: BacktestOptionsInput = { fill: "close", fee: 0.001, fixedFee, finalize, cash: 1000 };
        const r = simulate(frame, signals, o);
        const k = simulateFinalEquity({ close, fast, slow }, o);
        assert.ok(Number.isFinite(r.finalEquity));
        assert.equal(k.equity, r.finalEquity, `seed ${seed} ${JSON.stringify(o)}`);
        assert.equal(k.trades, r.trades.length);
        gaps += r.skipped.missingBar;
        compared++;
      }
    }
  }
  assert.equal(compared, 32);
  assert.ok(gaps > 0);
});
