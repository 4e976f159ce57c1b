// Batch research: one single-series strategy swept (grid or random) over many series in one job (`--data` repeated,
// or a pattern such as `samples:*/BTC:5m`). The work is a plan (the series and their frames, the grid, the options)
// that `runBatch` evaluates on one shared worker pool; a cluster run evaluates the same plan elsewhere and hands back
// the same result, and everything after (the table, the record, the files) does not know which ran it.

import {
  type BacktestResult,
  type BatchSweepProgress,
  type BatchSweepResult,
  hashFrame,
  runBatchSweep,
  type SweepExecutor,
} from "../lib/backtest/mod.ts";
import { formatStat } from "../lib/metrics/mod.ts";
import { batchReport, type BatchReportSeries } from "../lib/report/mod.ts";
import { type Column, type Columns, columnsFromArrow, columnsToCsv } from "../lib/runs/mod.ts";
import { parseParams, registry } from "../lib/strategies/mod.ts";
import { textTable, UsageError } from "./_cli.ts";
import type { GridValue, JobSpec } from "./_backtest_args.ts";
import { expandDataArgs, loadData, type LoadedData } from "./_backtest_data.ts";
import { backtestOf, type JobContext } from "./_backtest_run.ts";
import { checkMetric, writeSweepOut } from "./_backtest_sweep_out.ts";

/** What a batch evaluates: every series with its bars, and the one grid (or random sample) swept over each. */
export interface BatchPlan {
  strategy: string;
  /** The series in the order of the results (as given; a pattern's matches in id order). */
  items: LoadedData[];
  /** Values per param (fixed params as one-value entries). */
  grid: Record<string, GridValue[]>;
  random?: { n: number; seed: number };
  options: JobSpec["options"];
  stats: "fast" | "full";
  metric: string;
  periodsPerYear?: number;
  riskFree?: number;
}

/** Evaluates a plan: {@link runBatch} on this machine; a cluster runner returns the same result from many. */
export type BatchRunner = (ctx: JobContext, plan: BatchPlan) => Promise<BatchSweepResult>;

/**
 * The plan of a batch job: checks what a batch cannot do, expands patterns against the store, loads every series and
 * fixes the grid. Throws a UsageError (exit 2) naming the problem before any sweep runs.
 */
export async function planBatch(job: JobSpec, ctx: Pick<JobContext, "fast" | "afterTax" | "agents" | "progress">) {
  const refuse = (what: string): never => {
    throw new UsageError(
      `${what} is not supported for a batch over several series (${job.data.join(", ")}): run one series at a time`,
    );
  };
  if (job.walkForward) refuse("--walk-forward");
  if (job.risk !== undefined) refuse("--risk");
  if (ctx.afterTax) refuse("--after-tax");
  if (ctx.agents !== undefined || (registry.get(job.strategy) as { prepare?: unknown }).prepare !== undefined) {
    refuse(`${job.strategy} (an agent)`);
  }
  const stats = ctx.fast ? "fast" : "full";
  const metric = ctx.fast && job.metric === "sharpe" ? "final_equity" : job.metric;
  checkMetric(metric);
  const names = await expandDataArgs(job.data);
  const items: LoadedData[] = [];
  const seen = new Map<string, string>();
  for (const name of names) {
    const data = await loadData(name, job.dataOptions);
    const before = seen.get(data.label);
    if (before !== undefined) {
      throw new UsageError(`--data ${before} and --data ${name} are both ${data.label}: give each series once`);
    }
    seen.set(data.label, name);
    items.push(data);
  }
  // After every series loaded: a bad one stops the batch with its error line alone.
  for (const d of items) for (const note of d.notes) ctx.progress(`note: ${d.label}: ${note}`);
  // Without a grid the batch runs the given params (defaults for the rest) once per series.
  let grid = job.grid;
  if (grid === undefined && job.random === undefined) {
    const parsed = parseParams(registry.get(job.strategy), job.params) as Record<string, unknown>;
    grid = Object.fromEntries(Object.keys(job.params).map((k) => [k, [parsed[k] as GridValue]]));
  }
  const d = job.dataOptions;
  return {
    strategy: job.strategy,
    items,
    grid: grid ?? {},
    ...(job.random ? { random: job.random } : {}),
    options: job.options,
    stats,
    metric,
    ...(d.periodsPerYear !== undefined ? { periodsPerYear: d.periodsPerYear } : {}),
    ...(d.riskFree !== undefined ? { riskFree: d.riskFree } : {}),
  } satisfies BatchPlan as BatchPlan;
}

/**
 * Runs a plan: on this machine, every series on one pool of `ctx.workers` threads; with an `executor` (a cluster's),
 * the same plan evaluated elsewhere with the same result. Progress by series and combos either way.
 */
export async function runBatch(ctx: JobContext, plan: BatchPlan, executor?: SweepExecutor): Promise<BatchSweepResult> {
  let lastShown = 0;
  return await runBatchSweep({
    items: plan.items.map((d) => ({
      key: d.label,
      frame: d.frame,
      series: d.series,
      timeframe: d.series.timeframe,
      calendar: d.calendar,
      ...(plan.periodsPerYear !== undefined ? { periodsPerYear: plan.periodsPerYear } : {}),
    })),
    strategy: plan.strategy,
    ...(Object.keys(plan.grid).length || !plan.random ? { grid: plan.grid } : {}),
    ...(plan.random ? { random: plan.random } : {}),
    options: plan.options,
    ...(ctx.workers !== undefined ? { workers: ctx.workers } : {}),
    stats: plan.stats,
    metric: plan.metric,
    ...(plan.riskFree !== undefined ? { riskFree: plan.riskFree } : {}),
    signal: ctx.signal,
    ...(executor ? { executor } : {}),
    onProgress: (p) => {
      const now = performance.now();
      if (p.done < p.total && now - lastShown < 500) return;
      lastShown = now;
      ctx.progress(progressLine(p), p.done < p.total);
    },
  });
}

/** `batch 1/3 series, 120/330 combos (samples:ETH/BTC:5m), 4s left`. */
export function progressLine(p: BatchSweepProgress): string {
  const eta = Number.isFinite(p.etaSec) ? `, ${Math.ceil(p.etaSec)}s left` : "";
  return `batch ${p.seriesDone}/${p.seriesTotal} series, ${p.done}/${p.total} combos` +
    `${p.skipped ? ` (${p.skipped} invalid skipped)` : ""} (${p.series})${eta}`;
}

/**
 * Runs a batch job end to end: its plan, evaluated by `run` (default {@link runBatch}), then one result table keyed
 * by (series, params), the best per series, a summary table, report.html with a heatmap per series, one registry run
 * whose manifest holds every series' data hash, and the --out files. Returns the JSON output.
 */
export async function runBatchJob(
  job: JobSpec,
  ctx: JobContext,
  run: BatchRunner = runBatch,
): Promise<Record<string, unknown>> {
  const plan = await planBatch(job, ctx);
  const result = await run(ctx, plan);
  return await recordBatch(job, ctx, plan, result);
}

/** The outputs of an evaluated plan: table, best per series, summary, report, registry run and files. */
export async function recordBatch(
  job: JobSpec,
  ctx: JobContext,
  plan: BatchPlan,
  result: BatchSweepResult,
): Promise<Record<string, unknown>> {
  const { metric } = result;
  const columns = batchColumns(result);
  const varying = result.paramColumns.filter((k) => (plan.grid[k]?.length ?? (plan.random ? 2 : 0)) > 1);
  // The best run of each series: its manifest carries the series' data hash and quality report.
  const bests: (BacktestResult | undefined)[] = [];
  for (const [i, item] of result.items.entries()) {
    const best = item.sweep.best;
    bests.push(best ? await backtestOf(job, plan.items[i]!, best.params, undefined, ctx, null) : undefined);
  }
  const data = await Promise.all(plan.items.map(async (d, i) =>
    bests[i]?.manifest.data[0] ?? {
      series: d.label,
      hash: await hashFrame(d.frame),
      bars: d.frame.length,
      first: d.frame.length ? d.frame.ts[0]! : null,
      last: d.frame.length ? d.frame.ts[d.frame.length - 1]! : null,
      quality: null,
    }
  ));
  const perSeries = result.items.map((item, i) => {
    const d = plan.items[i]!, s = item.sweep, m = bests[i]?.manifest;
    return {
      series: item.key,
      source: d.source,
      bars: d.frame.length,
      first: d.frame.length ? d.frame.ts[0]! : null,
      last: d.frame.length ? d.frame.ts[d.frame.length - 1]! : null,
      timeframe: d.series.timeframe,
      calendar: d.calendar,
      periods_per_year: m?.periods_per_year ?? null,
      combos: s.combos,
      skipped: s.skipped,
      best: s.best
        ? {
          params: s.best.params,
          value: s.best.value,
          psr: s.best.psr,
          dsr: s.best.dsr,
          trials: s.best.trials,
          stats: s.best.stats,
        }
        : null,
    };
  });
  const first = bests.find((b) => b !== undefined)?.manifest;
  const manifest = {
    kind: "batch",
    engine_version: first?.engine_version ?? null,
    strategy: first?.strategy ?? { name: plan.strategy },
    grid: job.grid ?? null,
    random: job.random ?? null,
    metric,
    stats: plan.stats,
    options: first?.options ?? plan.options,
    risk_free: first?.risk_free ?? plan.riskFree ?? 0,
    benchmark: first?.benchmark ?? null,
    series: result.items.map((x) => x.key),
    data,
    best_manifests: bests.map((b) => b?.manifest.id ?? null),
  };
  const summary = {
    kind: "batch",
    strategy: plan.strategy,
    series: perSeries,
    combos: result.combos,
    skipped: result.skipped,
    metric,
    stats: plan.stats,
    elapsed_ms: Math.round(result.elapsedMs),
    workers: result.workers,
    fast_path: result.fastPath,
    notes: result.notes,
  };
  const summaryCsv = columnsToCsv(summaryColumns(perSeries, metric));
  const reportSeries: BatchReportSeries[] = result.items.map((item, i) => ({
    label: item.key,
    bars: perSeries[i]!.bars,
    first: perSeries[i]!.first,
    last: perSeries[i]!.last,
    combos: item.sweep.combos,
    skipped: item.sweep.skipped.count,
    best: item.sweep.best,
    rows: varying.length === 2 ? numericRows(columnsFromArrow(item.sweep.table), item.sweep.table.numRows) : [],
  }));
  const html = batchReport({
    strategy: plan.strategy,
    metric,
    varying,
    series: reportSeries,
    notes: [
      `${result.combos} combinations over ${result.items.length} series (${result.skipped} invalid skipped), ` +
      `${plan.stats} stats, ranked by ${metric}`,
      ...(job.grid ? [`grid: ${Object.entries(job.grid).map(([k, v]) => `${k}=${v.join(",")}`).join("  ")}`] : []),
      ...(job.random ? [`random: ${job.random.n} draws, seed ${job.random.seed}`] : []),
    ],
  });
  const files: Record<string, string> = { "report.html": html, "batch_summary.csv": summaryCsv };
  // Recorded as a sweep (a registry kind every reader knows) whose table has a series column; manifest.kind and
  // detail.kind say "batch".
  const rec = await ctx.registry.record({
    kind: "sweep",
    series: result.items.map((x) => x.key),
    strategy: plan.strategy,
    params: {},
    options: (first?.options ?? plan.options) as Record<string, unknown>,
    manifest,
    stats: {},
    sweep: columns,
    detail: summary,
    files,
  }, { source: ctx.source, label: ctx.label });
  if (ctx.out) {
    await writeSweepOut(ctx.out, columns, rec.id, summary, [["batch_summary.csv", summaryCsv], ["report.html", html]]);
  }
  if (!ctx.json) {
    ctx.print(
      `batch ${plan.strategy} over ${result.items.length} series: ${result.combos} combos in ${
        (result.elapsedMs / 1000).toFixed(2)
      } s (${result.workers || 1} ${result.workers > 1 ? "shared workers" : "thread"}${
        result.fastPath ? ", fused kernel" : ""
      })${result.skipped ? `, ${result.skipped} invalid skipped` : ""}`,
    );
    ctx.print("");
    ctx.print(summaryText(perSeries, result.paramColumns, metric));
    for (const [i, b] of bests.entries()) {
      for (const w of b?.manifest.data.flatMap((x) => x.quality.warnings) ?? []) {
        ctx.print(`warning: ${result.items[i]!.key}: ${w}`);
      }
    }
    ctx.print(`run ${rec.id} recorded in ${ctx.registry.dir}`);
    if (ctx.out) ctx.print(`wrote sweep.csv, sweep.parquet, batch_summary.csv, sweep.json, report.html to ${ctx.out}`);
  }
  return { run_id: rec.id, ...summary, ...(ctx.out ? { out: ctx.out } : {}) };
}

/** One table for the whole batch: a `series` column, then each series' sweep table, series after series. */
export function batchColumns(result: BatchSweepResult): Columns {
  const parts = result.items.map((x) => ({ key: x.key, cols: columnsFromArrow(x.sweep.table), n: x.sweep.combos }));
  const total = parts.reduce((s, p) => s + p.n, 0);
  const out: Columns = { series: parts.flatMap((p) => Array<string>(p.n).fill(p.key)) };
  for (const name of [...result.paramColumns, ...result.statColumns]) {
    const numeric = parts.every((p) => p.n === 0 || p.cols[name] instanceof Float64Array);
    if (numeric) {
      const col = new Float64Array(total);
      let at = 0;
      for (const p of parts) {
        if (p.n > 0) col.set(p.cols[name] as Float64Array, at);
        at += p.n;
      }
      out[name] = col;
    } else {
      out[name] = parts.flatMap((p) =>
        p.n === 0 ? [] : Array.from(p.cols[name] as ArrayLike<unknown>, (v) => (v === null ? null : String(v)))
      ) as Column;
    }
  }
  return out;
}

type SeriesSummary = {
  series: string;
  bars: number;
  combos: number;
  skipped: { count: number };
  best: { params: Record<string, unknown>; value: number; stats: Record<string, number> } | null;
};

const SHOWN = ["total_return", "sharpe", "max_drawdown", "trades"];

function summaryColumns(rows: SeriesSummary[], metric: string): Columns {
  const stats = [...new Set([metric, ...SHOWN])];
  const cols: Columns = {
    series: rows.map((r) => r.series),
    bars: Float64Array.from(rows, (r) => r.bars),
    combos: Float64Array.from(rows, (r) => r.combos),
    skipped: Float64Array.from(rows, (r) => r.skipped.count),
    best_params: rows.map((r) => (r.best ? JSON.stringify(r.best.params) : null)),
  };
  for (const k of stats) {
    cols[k === metric ? `best_${k}` : k] = Float64Array.from(
      rows,
      (r) => r.best ? (k === metric ? r.best.value : r.best.stats[k] ?? NaN) : NaN,
    );
  }
  return cols;
}

function summaryText(rows: SeriesSummary[], params: string[], metric: string): string {
  const stats = [...new Set([metric, ...SHOWN])];
  const header = ["series", "bars", "combos", ...params, ...stats];
  const body = rows.map((r) => [
    r.series,
    r.bars,
    r.combos,
    ...params.map((p) => (r.best ? String(r.best.params[p]) : "-")),
    ...stats.map((k) => (r.best ? formatStat(k, k === metric ? r.best.value : r.best.stats[k] ?? NaN) : "-")),
  ]);
  return `best per series by ${metric}\n${textTable(header, body)}`;
}

function numericRows(columns: Columns, n: number): Record<string, number>[] {
  const names = Object.keys(columns).filter((k) =>
    columns[k] instanceof Float64Array || columns[k] instanceof Int32Array
  );
  return Array.from({ length: n }, (_, i) => Object.fromEntries(names.map((k) => [k, Number(columns[k]![i])])));
}
