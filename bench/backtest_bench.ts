/**
 * Backtest engine speed on 1,000,000 bars of a seeded random walk, with signals from a
 * precomputed fast/slow SMA crossing. Divide the time per iteration by 1e6 for ns per bar.
 *
 * Group "backtest": one full `runBacktest` of sma_cross 10/30 (signals, simulation, every registry
 * stat, trades, manifest with data hash and quality report), target <= 150 ms. "warm" reuses the
 * frame, as a quant running many backtests on loaded data does (hash and quality report are
 * memoized per frame); "cold" gets a fresh copy of the frame each iteration (copy not timed).
 *
 *   ./denow bench -A bench/backtest_bench.ts
 */
import { Frame } from "../lib/frame/mod.ts";
import { runBacktest, simulate, simulateFinalEquity } from "../lib/backtest/mod.ts";
import { mulberry32 } from "../lib/testing/mod.ts";

const N = 1_000_000;

function sma(x: Float64Array, w: number): Float64Array {
  const out = new Float64Array(x.length).fill(NaN);
  let s = 0;
  for (let i = 0; i < x.length; i++) {
    s += x[i]!;
    if (i >= w) s -= x[i - w]!;
    if (i >= w - 1) out[i] = s / w;
  }
  return out;
}

const rnd = mulberry32(42);
const ts = new Float64Array(N), open = new Float64Array(N), high = new Float64Array(N);
const low = new Float64Array(N), close = new Float64Array(N), volume = new Float64Array(N).fill(1);
let p = 100;
for (let i = 0; i < N; i++) {
  ts[i] = 1_600_000_000_000 + i * 60_000;
  open[i] = p;
  p *= 1 + (rnd() - 0.5) * 0.004;
  close[i] = p;
  high[i] = Math.max(open[i]!, p) * (1 + rnd() * 0.001);
  low[i] = Math.min(open[i]!, p) * (1 - rnd() * 0.001);
}
const frame = new Frame(ts, { open, high, low, close, volume });
const fast = sma(close, 10), slow = sma(close, 50);
const entries = new Uint8Array(N), exits = new Uint8Array(N);
let prev = false;
for (let i = 0; i < N; i++) {
  const above = fast[i]! > slow[i]!;
  if (above && !prev) entries[i] = 1;
  if (!above && prev) exits[i] = 1;
  prev = above;
}
const signals = { kind: "signals" as const, entries, exits };
const trades = simulate(frame, signals, { fill: "close" }).trades.length;
console.log(`1M bars, SMA 10/50 crossing: ${trades} trades`);

Deno.bench("simulate 1M bars, fill close, fee", { group: "engine", baseline: true }, () => {
  simulate(frame, signals, { fill: "close", fee: 0.001 });
});

Deno.bench("simulate 1M bars, next_open, fee + spread + lot", { group: "engine" }, () => {
  simulate(frame, signals, { fee: 0.001, spread: 0.0005, lot: 0.001 });
});

Deno.bench("simulate 1M bars, both directions + stop-loss + trailing", { group: "engine" }, () => {
  simulate(frame, { ...signals, shortEntries: exits, shortExits: entries }, {
    direction: "both",
    fee: 0.001,
    stopLoss: 0.01,
    trailingStop: 0.02,
  });
});

Deno.bench("simulateFinalEquity kernel 1M bars (fast/slow series)", { group: "kernel" }, () => {
  simulateFinalEquity({ close, fast, slow }, { fill: "close", fee: 0.001 });
});

const backtestInput = {
  strategy: "sma_cross",
  params: { fast: 10, slow: 30 },
  options: { fill: "close" as const, fee: 0.001 },
  timeframe: "1m",
  calendar: "24/7" as const,
};

Deno.bench(
  "runBacktest sma_cross 1M full stats (warm: same frame)",
  { group: "backtest", baseline: true },
  async () => {
    const r = await runBacktest({ frame, ...backtestInput });
    if (!(r.trades.length > 0)) throw new Error("no trades");
  },
);

Deno.bench("runBacktest sma_cross 1M full stats (cold: fresh frame)", { group: "backtest" }, async (b) => {
  const cols: Record<string, Float64Array> = {};
  for (const [k, v] of Object.entries(frame.columns)) cols[k] = v.slice();
  const fresh = new Frame(frame.ts.slice(), cols);
  b.start();
  const r = await runBacktest({ frame: fresh, ...backtestInput });
  b.end();
  if (!(r.trades.length > 0)) throw new Error("no trades");
});
