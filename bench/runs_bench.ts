/**
 * lib/runs speed: listing recorded runs by scanning run.json files versus a DuckDB query over
 * them (the registry lists by scan; `query` is for analysis), recording one run, writing a
 * 1,000,000-row equity curve to Parquet, and recording a sweep's best run as the CLI does (a 1M-row
 * equity table from BacktestResult.equityTable(), 12K trades, a 1.5 MB report).
 *
 *   deno bench -A bench/runs_bench.ts            # BENCH_RUNS runs in the registry (default 1000)
 *
 * Each run.json carries a realistic manifest (a quality report with 50 gaps), about 14 KB.
 * @module
 */
import { BacktestResult, type SimResult } from "../lib/backtest/mod.ts";
import { RunRegistry, writeParquet } from "../lib/runs/mod.ts";
import type { Trade } from "../lib/types/mod.ts";

const RUNS = Number(Deno.env.get("BENCH_RUNS") ?? 1000);
const dir = await Deno.makeTempDir({ prefix: "runs-bench-" });
const runs = await RunRegistry.open({ dir });
const gaps = Array.from({ length: 50 }, (_, i) => ({ start: i * 1e9, end: i * 1e9 + 6e5, missing: 2, kind: "gap" }));
const manifest = (i: number) => ({
  engine_version: "0.1.0",
  strategy: { name: i % 2 ? "sma_cross" : "ema_cross", code_hash: "ab".repeat(32) },
  params: { fast: i % 50, slow: 60 + (i % 100) },
  data: [{ series: "samples:GOOG:1d", hash: "cd".repeat(32), bars: 2148, quality: { gaps, warnings: ["2 gaps"] } }],
  id: (i + 1).toString(16).padStart(64, "0"),
});
const stats = Object.fromEntries(Array.from({ length: 40 }, (_, k) => [`stat_${k}`, k / 7]));
for (let i = 0; i < RUNS; i++) {
  await runs.record({
    kind: "single",
    series: ["samples:GOOG:1d"],
    strategy: i % 2 ? "sma_cross" : "ema_cross",
    params: { fast: i % 50 },
    options: { fee: 0.001 },
    manifest: manifest(i),
    stats: { ...stats, sharpe: (i % 37) / 10 },
  }, { now: new Date(Date.UTC(2024, 0, 1) + i * 60_000) });
}
const n = 1_000_000;
const ts = BigInt64Array.from({ length: n }, (_, i) => BigInt(i * 60_000));
const equity = Float64Array.from({ length: n }, (_, i) => 10_000 + Math.sin(i / 1000) * 100);

Deno.bench(`list all ${RUNS} runs (scan run.json)`, { group: "list" }, async () => {
  await runs.list({ limit: RUNS });
});
Deno.bench(`list: 20 newest sma_cross runs of ${RUNS}`, { group: "list" }, async () => {
  await runs.list({ strategy: "sma_cross", limit: 20 });
});
Deno.bench(`query: the same ${RUNS} runs through DuckDB read_json`, { group: "list" }, async () => {
  await runs.query("SELECT id, strategy, stats['sharpe'] AS sharpe FROM runs ORDER BY id DESC");
});
Deno.bench("record one run (run.json only)", async () => {
  await runs.record({
    kind: "single",
    series: ["x:Y:1d"],
    strategy: "sma_cross",
    params: {},
    options: {},
    manifest: manifest(RUNS + 1),
    stats,
  });
});
Deno.bench("writeParquet: 1,000,000 rows x (ts, equity)", { n: 3, warmup: 1 }, async () => {
  await writeParquet(`${dir}/eq.parquet`, { ts, equity });
});

// A sweep's best run on 1M one-minute bars: equityTable() (ts, equity, drawdown, benchmark) built by the result, then
// recorded with its trades and report, as cli/_backtest_run.ts does. Each iteration is a new result (no cached table).
const bars = Float64Array.from({ length: n }, (_, i) => 1_704_067_200_000 + i * 60_000);
const benchmark = Float64Array.from({ length: n }, (_, i) => 10_000 + Math.cos(i / 700) * 300);
const trades: Trade[] = Array.from({ length: 12_000 }, (_, k) => ({
  asset: "SMA1M",
  direction: "long",
  entryIndex: k * 80,
  exitIndex: k * 80 + 40,
  entryTs: bars[k * 80]!,
  exitTs: bars[k * 80 + 40]!,
  entryPrice: 100 + Math.sin(k),
  exitPrice: 100 + Math.sin(k + 1),
  size: 10,
  pnl: Math.sin(k + 1) - Math.sin(k),
  return: (Math.sin(k + 1) - Math.sin(k)) / 100,
  fees: 0.2,
  bars: 40,
  durationMs: 2_400_000,
  exitReason: k % 3 ? "signal" : "end",
}));
const report = `<html>${"x".repeat(1_500_000)}</html>`;
Deno.bench("record a sweep's best run: equityTable() of 1,000,000 rows + 12K trades + report", {
  n: 5,
  warmup: 1,
}, async () => {
  const result = new BacktestResult({
    stats: { final_equity: equity[n - 1]! },
    sim: { ts: bars, equity, trades } as unknown as SimResult,
    manifest: {} as BacktestResult["manifest"],
    benchmark,
  });
  await runs.record({
    kind: "sweep",
    series: ["csv:SMA1M:1m"],
    strategy: "sma_cross",
    params: { fast: 24, slow: 46 },
    options: {},
    manifest: manifest(RUNS + 2),
    stats,
    equity: result.equityTable(),
    trades: result.trades,
    files: { "report.html": report },
  });
});
globalThis.addEventListener("unload", () => Deno.removeSync(dir, { recursive: true }));
