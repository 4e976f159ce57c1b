/**
 * SMA-X-990, the reference sweep: sma_cross long-only, fill "close", fee 0.001, all-in, cash
 * 10,000, all 990 (fast, slow) pairs with 2 <= fast < slow <= 46, producing final equity and
 * trade count per pair, on (a) SP500-2000.csv (5,105 bars) and (b) 1,000,000 synthetic closes.
 * The figure of merit is ns per (bar x combo) = time per iteration / (bars x 990):
 * (a) 5,105 x 990 = 5.05M bar-combos, (b) 990M bar-combos.
 *
 *   ./denow bench -A bench/sweep_bench.ts
 *
 * Also one runBacktest of sma_cross on 1,000,000 bars with full stats and trades.
 */
import { runBacktest, runSweep, type SweepOptions, SweepWorkerPool } from "../lib/backtest/mod.ts";
import { Frame } from "../lib/frame/mod.ts";
import { SMA_X_990_GRID, SMA_X_990_OPTIONS, sp500Frame, syntheticFrame } from "./_fixtures/sma_x_990.ts";

const sp500 = await sp500Frame();
const synth = syntheticFrame();
const close = synth.close;
// OHLC for the runBacktest bench (quality report and buy-and-hold need only close, but a real run has OHLCV).
const synthOhlcv = new Frame(synth.ts, { open: close, high: close, low: close, close, volume: close });

// Workers started before the sweeps (as the CLI starts them while it parses the CSV): the (b) case with it times the
// worker phase without the workers' start-up.
const pool = new SweepWorkerPool(2);

const sweep =
  (frame: Frame, workers: number, stats: "fast" | "full" = "fast", pooled = false) => async (): Promise<void> => {
    const r = await runSweep({
      frame,
      ...(pooled ? { pool } : {}),
      strategy: "sma_cross",
      grid: SMA_X_990_GRID,
      options: SMA_X_990_OPTIONS,
      workers,
      stats,
      timeframe: frame === sp500 ? "1d" : "1m",
    } as SweepOptions<unknown>);
    if (r.combos !== 990) throw new Error(`expected 990 combos, got ${r.combos}`);
  };

// Sanity, printed once: the sweep must cover 990 pairs.
{
  const r = await runSweep({
    frame: sp500,
    strategy: "sma_cross",
    grid: SMA_X_990_GRID,
    options: SMA_X_990_OPTIONS,
    workers: 0,
  });
  console.log(
    `SMA-X-990 (a): ${r.combos} combos, fast path ${r.fastPath}, best ${
      JSON.stringify(r.best?.params)
    } ${r.best?.value}`,
  );
}

Deno.bench("SMA-X-990 (a) SP500 5,105 bars, 1 worker (in-process)", { group: "a", baseline: true }, sweep(sp500, 0));
Deno.bench("SMA-X-990 (a) SP500 5,105 bars, 2 workers", { group: "a" }, sweep(sp500, 2));
Deno.bench("SMA-X-990 (a) SP500, stats full, 1 worker", { group: "a-full", n: 3, warmup: 1 }, sweep(sp500, 0, "full"));
Deno.bench("SMA-X-990 (a) SP500, stats full, 2 workers", { group: "a-full", n: 3, warmup: 1 }, sweep(sp500, 2, "full"));
Deno.bench("SMA-X-990 (b) 1M synthetic, 1 worker (in-process)", { group: "b", n: 5, warmup: 1 }, sweep(synth, 0));
Deno.bench("SMA-X-990 (b) 1M synthetic, 2 workers", { group: "b", n: 5, warmup: 1 }, sweep(synth, 2));
Deno.bench(
  "SMA-X-990 (b) 1M synthetic, 2 workers of a SweepWorkerPool",
  { group: "b", n: 5, warmup: 1 },
  sweep(synth, 2, "fast", true),
);

Deno.bench(
  "runBacktest sma_cross 10/30, 1M bars, full stats + trades",
  { group: "backtest", n: 10, warmup: 2 },
  async () => {
    const r = await runBacktest({
      frame: synthOhlcv,
      strategy: "sma_cross",
      params: { fast: 10, slow: 30 },
      options: { fill: "close", fee: 0.001 },
      timeframe: "1m",
      calendar: "24/7",
    });
    if (!(r.trades.length > 0)) throw new Error("no trades");
  },
);
