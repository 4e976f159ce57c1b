// Indicator throughput on 1,000,000 bars. Outputs go into preallocated buffers (the sweep
// use case), so the figures measure the algorithms, not the allocator.
// Run: ./denow bench -A bench/indicators_bench.ts
import {
  adx,
  atr,
  bollingerBands,
  crossedAbove,
  ema,
  macd,
  obv,
  roc,
  rollingStd,
  rsi,
  sma,
  stochastic,
  vwap,
  wma,
  zScore,
} from "../lib/indicators/mod.ts";
import { randomBars } from "../lib/testing/mod.ts";

const N = 1_000_000;
const bars = randomBars({ n: N, seed: 1 });
const close = bars.close;
const buf = (): Float64Array => new Float64Array(N);
const out = buf();
const out2 = buf();
const out3 = buf();
const out4 = buf();
const out5 = buf();
const flags = new Uint8Array(N);
const fast = ema(close, 12);
const slow = sma(close, 26);

Deno.bench("sma(20)", { group: "moving averages", baseline: true }, () => {
  sma(close, 20, { out });
});
Deno.bench("sma(200)", { group: "moving averages" }, () => {
  sma(close, 200, { out });
});
Deno.bench("sma(20), new output array", { group: "moving averages" }, () => {
  sma(close, 20);
});
Deno.bench("ema(20)", { group: "moving averages" }, () => {
  ema(close, 20, { out });
});
Deno.bench("wma(20)", { group: "moving averages" }, () => {
  wma(close, 20, { out });
});
Deno.bench("rollingStd(20)", { group: "dispersion" }, () => {
  rollingStd(close, 20, { out });
});
Deno.bench("zScore(20)", { group: "dispersion" }, () => {
  zScore(close, 20, { out });
});
Deno.bench("bollingerBands(20, 2)", { group: "dispersion" }, () => {
  bollingerBands(close, 20, { out: { middle: out, upper: out2, lower: out3, bandwidth: out4, percentB: out5 } });
});
Deno.bench("rsi(14)", { group: "oscillators" }, () => {
  rsi(close, 14, { out });
});
Deno.bench("macd(12, 26, 9)", { group: "oscillators" }, () => {
  macd(close, { out: { macd: out, signal: out2, histogram: out3 } });
});
Deno.bench("stochastic(14, 3, 3)", { group: "oscillators" }, () => {
  stochastic(bars, { smoothK: 3, out: { k: out, d: out2 } });
});
Deno.bench("roc(12)", { group: "oscillators" }, () => {
  roc(close, 12, { out });
});
Deno.bench("atr(14)", { group: "range and trend" }, () => {
  atr(bars, 14, { out });
});
Deno.bench("adx(14)", { group: "range and trend" }, () => {
  adx(bars, 14, { out: { adx: out, plusDI: out2, minusDI: out3 } });
});
Deno.bench("obv", { group: "volume" }, () => {
  obv(bars, { out });
});
Deno.bench("vwap cumulative", { group: "volume" }, () => {
  vwap(bars, { out });
});
Deno.bench("vwap window 20", { group: "volume" }, () => {
  vwap(bars, { window: 20, out });
});
Deno.bench("vwap UTC-day sessions", { group: "volume" }, () => {
  vwap(bars, { sessionMs: 86_400_000, out });
});
Deno.bench("crossedAbove(ema, sma)", { group: "signals" }, () => {
  crossedAbove(fast, slow, { out: flags });
});
