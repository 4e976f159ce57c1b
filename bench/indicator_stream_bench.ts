// Streaming indicator throughput: 1,000,000 bars pushed one at a time (the paper-trading runner's
// access pattern). ns/push is the reported time divided by 1,000,000. The bar object is
// refilled from the columns each push, as a runner would hand over its closed bar.
// Run: ./denow bench -A bench/indicator_stream_bench.ts
import {
  AdxStream,
  BollingerStream,
  EmaStream,
  type IndicatorStream,
  MacdStream,
  RsiStream,
  type StreamBar,
  streamForKey,
} from "../lib/indicators/stream/mod.ts";
import { builtinStrategies } from "../lib/strategies/builtin_strategies.ts";
import { randomBars } from "../lib/testing/mod.ts";

const N = 1_000_000;
const bars = randomBars({ n: N, seed: 1, missing: 0.001 });
const { open, high, low, close, volume } = bars.columns as Record<string, Float64Array>;
const bar: StreamBar = { open: 0, high: 0, low: 0, close: 0, volume: 0 };

function pushAll(stream: IndicatorStream): number {
  let acc = 0;
  for (let i = 0; i < N; i++) {
    bar.open = open![i]!;
    bar.high = high![i]!;
    bar.low = low![i]!;
    bar.close = close![i]!;
    bar.volume = volume![i]!;
    acc += stream.push(bar) || 0;
  }
  return acc;
}

// What the loop costs without an indicator: subtract it to get the stream's own ns/push.
Deno.bench("bar refill only x 1M", { group: "push", baseline: true }, () => {
  let acc = 0;
  for (let i = 0; i < N; i++) {
    bar.open = open![i]!;
    bar.high = high![i]!;
    bar.low = low![i]!;
    bar.close = close![i]!;
    bar.volume = volume![i]!;
    acc += bar.close || 0;
  }
  return void acc;
});
Deno.bench("EmaStream(12) push x 1M", { group: "push" }, () => {
  pushAll(new EmaStream(12));
});
Deno.bench("RsiStream(14) push x 1M", { group: "push" }, () => {
  pushAll(new RsiStream(14));
});
Deno.bench("MacdStream(12/26/9) push x 1M", { group: "push" }, () => {
  pushAll(new MacdStream());
});
Deno.bench("BollingerStream(20, 2) push x 1M", { group: "push" }, () => {
  pushAll(new BollingerStream(20));
});
Deno.bench("AdxStream(14) push x 1M", { group: "push" }, () => {
  pushAll(new AdxStream(14));
});

Deno.bench("EmaStream(12) update(close) x 1M", { group: "update" }, () => {
  const s = new EmaStream(12);
  let acc = 0;
  for (let i = 0; i < N; i++) acc += s.update(close![i]!) || 0;
  return void acc;
});

// The runner's target: 100 symbols x 10,000 bars, every key the built-in strategies request
// with default parameters (10 keys per symbol), one closed bar at a time.
const SYMBOLS = 100;
const PER_SYMBOL = 10_000;
const keys = builtinStrategies.flatMap((s) =>
  "indicators" in s && s.indicators !== undefined ? s.indicators(s.params.parse({})).map((r) => r.key) : []
);
Deno.bench(`runner: ${SYMBOLS} symbols x ${PER_SYMBOL} bars x ${keys.length} keys`, { group: "runner" }, () => {
  for (let sym = 0; sym < SYMBOLS; sym++) {
    const streams = keys.map((k) => streamForKey(k)!);
    const base = sym * PER_SYMBOL;
    for (let i = base; i < base + PER_SYMBOL; i++) {
      bar.open = open![i]!;
      bar.high = high![i]!;
      bar.low = low![i]!;
      bar.close = close![i]!;
      bar.volume = volume![i]!;
      for (const s of streams) s.push(bar);
    }
  }
});
