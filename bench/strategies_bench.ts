// Strategy signal generation on 1,000,000 bars, and momentum rotation on 10 assets x 100,000 bars.
// "cached" runs use an IndicatorCache filled beforehand, as a sweep does, so they measure only
// the signal logic (crosses, comparisons) on top of shared indicator series.
// Run: ./denow bench -A bench/strategies_bench.ts
import { Frame } from "../lib/frame/mod.ts";
import {
  bollingerBreakout,
  buyAndHold,
  emaCross,
  IndicatorCache,
  macdCross,
  momentumRotation,
  rsiReversion,
  smaCross,
} from "../lib/strategies/mod.ts";
import { randomBars } from "../lib/testing/mod.ts";

const N = 1_000_000;
const frame = randomBars({ n: N, seed: 1 });
const cache = new IndicatorCache(frame);
const sma = { fast: 10, slow: 30 };
const ema = { fast: 12, slow: 26 };
const rsi = { period: 14, lower: 30, upper: 70, exit: "opposite" as const };
const bb = { period: 20, k: 2 };
const mc = { fast: 12, slow: 26, signal: 9 };
cache.prefetch([
  ...smaCross.indicators!(sma),
  ...rsiReversion.indicators!(rsi),
  ...bollingerBreakout.indicators!(bb),
  ...macdCross.indicators!(mc),
]);

Deno.bench("sma_cross 10/30, computing SMAs", { group: "signals 1M bars", baseline: true }, () => {
  smaCross.signals(frame, sma);
});
Deno.bench("sma_cross 10/30, cached SMAs", { group: "signals 1M bars" }, () => {
  smaCross.signals(frame, sma, cache);
});
Deno.bench("ema_cross 12/26, computing EMAs", { group: "signals 1M bars" }, () => {
  emaCross.signals(frame, ema);
});
Deno.bench("macd 12/26/9, cached", { group: "signals 1M bars" }, () => {
  macdCross.signals(frame, mc, cache);
});
Deno.bench("rsi_reversion 14, cached RSI", { group: "signals 1M bars" }, () => {
  rsiReversion.signals(frame, rsi, cache);
});
Deno.bench("bollinger_breakout 20/2, cached bands", { group: "signals 1M bars" }, () => {
  bollingerBreakout.signals(frame, bb, cache);
});
Deno.bench("bollinger_breakout 20/2, computing bands", { group: "signals 1M bars" }, () => {
  bollingerBreakout.signals(frame, bb);
});
Deno.bench("buy_and_hold", { group: "signals 1M bars" }, () => {
  buyAndHold.signals(frame, {});
});

const assets: Record<string, Frame> = {};
for (let i = 0; i < 10; i++) assets[`a${i}`] = randomBars({ n: 100_000, seed: 10 + i });
Deno.bench("momentum_rotation 10 assets x 100k bars, lookback 20, k 3, every 1", () => {
  momentumRotation.weights(assets, { lookback: 20, k: 3, every: 1, weight: 0 });
});
