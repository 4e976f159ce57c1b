// Walk-forward jobs: per-fold in-sample search and out-of-sample test, stitched OOS curve.

import { join } from "node:path";
import {
  alignFrames,
  ENGINE_VERSION,
  hashFrame,
  parseBacktestOptions,
  portfolioWalkForward,
  walkForward,
  type WalkForwardResult,
} from "../lib/backtest/mod.ts";
import type { Frame } from "../lib/frame/mod.ts";
import type { Calendar } from "../lib/types/mod.ts";
import { qualityReport } from "../lib/data/mod.ts";
import { formatStat, STATS_BY_KEY } from "../lib/metrics/mod.ts";
import { walkForwardFigure } from "../lib/plots/mod.ts";
import { columnsFromArrow, columnsToCsv, writeParquet } from "../lib/runs/mod.ts";
import { registry, strategyCodeHash } from "../lib/strategies/mod.ts";
import { isoTime, textTable, UsageError } from "./_cli.ts";
import { type JobSpec, spanBars } from "./_backtest_args.ts";
import type { LoadedData } from "./_backtest_data.ts";
import { HEADLINE, type JobContext, writeText } from "./_backtest_run.ts";
import { checkMetric } from "./_backtest_sweep_out.ts";
import { type PortfolioData, portfolioInputs } from "./_backtest_portfolio.ts";

const day = (ms: number): string => isoTime(ms).replace("T00:00:00Z", "");

/** Runs a walk-forward job: prints per-fold in-sample and out-of-sample stats, records the run. */
export async function runWalkForwardJob(
  job: JobSpec,
  data: LoadedData,
  ctx: JobContext,
): Promise<Record<string, unknown>> {
  const spec = job.walkForward!;
  const metric = spec.metric;
  checkMetric(metric, "walk-forward metric");
  const { frame } = data;
  const { train, test } = windowBars(spec, frame.ts, data.label);
  const d = job.dataOptions;
  ctx.progress(`walk-forward: ${spec.folds} folds, train ${train} bars, test ${test} bars, ${spec.mode}`);
  const wf = await walkForward({
    frame,
    strategy: job.strategy,
    ...(job.grid ? { grid: job.grid } : {}),
    ...(job.random ? { random: job.random } : {}),
    options: job.options,
    train,
    test,
    folds: spec.folds,
    mode: spec.mode,
    metric,
    ...(ctx.workers !== undefined ? { workers: ctx.workers } : {}),
    ...(ctx.cluster ? { executor: ctx.cluster.executorFor(data.label, true) } : {}),
    signal: ctx.signal,
    timeframe: data.series.timeframe,
    calendar: data.calendar,
    ...(d.periodsPerYear !== undefined ? { periodsPerYear: d.periodsPerYear } : {}),
    ...(d.riskFree !== undefined ? { riskFree: d.riskFree } : {}),
  });
  return await finishWalkForward(job, ctx, wf, {
    what: data.label,
    labels: [data.label],
    data: [await dataEntry(frame, data.label, data.series.timeframe, data.calendar)],
    train,
    test,
    timeframe: data.series.timeframe,
    calendar: data.calendar,
  });
}

/**
 * The train and test windows of a walk-forward spec in bars of `ts` (a duration converted with its mean bar spacing),
 * or a UsageError when `folds` of them do not fit in `what` (the series, or a portfolio's union timeline).
 */
function windowBars(
  spec: NonNullable<JobSpec["walkForward"]>,
  ts: Float64Array,
  what: string,
): { train: number; test: number } {
  const train = spanBars(spec.train, ts, "walk-forward train");
  const test = spanBars(spec.test, ts, "walk-forward test");
  const fit = Math.floor((ts.length - train) / test);
  if (fit < spec.folds) {
    throw new UsageError(
      `--walk-forward folds=${spec.folds},train=${spec.train},test=${spec.test} needs ${
        train + spec.folds * test
      } bars (${train} + ${spec.folds} x ${test}) but ${what} has ${ts.length}: use fewer folds (at most ${
        Math.max(fit, 0)
      }) or shorter windows`,
    );
  }
  return { train, test };
}

/**
 * Runs a walk-forward job of a portfolio strategy on the union timeline of its series (windows
 * in union bars; a duration is converted with the union's mean bar spacing): the same table,
 * record and files as a single-series walk-forward, with every asset's data in the manifest.
 */
export async function runPortfolioWalkForwardJob(
  job: JobSpec,
  p: PortfolioData,
  ctx: JobContext,
): Promise<Record<string, unknown>> {
  const spec = job.walkForward!;
  const metric = spec.metric;
  checkMetric(metric, "walk-forward metric");
  const { train, test } = windowBars(spec, alignFrames(p.frames).ts, `the union timeline of ${p.labels.join(", ")}`);
  ctx.progress(`walk-forward: ${spec.folds} folds, train ${train} bars, test ${test} bars, ${spec.mode}`);
  const wf = await portfolioWalkForward({
    ...portfolioInputs(p),
    strategy: job.strategy,
    ...(job.grid ? { grid: job.grid } : {}),
    ...(job.random ? { random: job.random } : {}),
    options: job.options,
    train,
    test,
    folds: spec.folds,
    mode: spec.mode,
    metric,
    ...(ctx.workers !== undefined ? { workers: ctx.workers } : {}),
    signal: ctx.signal,
  });
  const data = [];
  for (const x of p.loaded) data.push(await dataEntry(x.frame, x.label, p.timeframe, x.calendar));
  return await finishWalkForward(job, ctx, wf, {
    what: `${p.labels.length} series`,
    labels: p.labels,
    data,
    train,
    test,
    timeframe: p.timeframe,
    calendar: p.calendar ?? null,
    portfolio: true,
  });
}

/** A series' entry in a walk-forward manifest: hash, span and quality report of the data it ran on. */
async function dataEntry(frame: Frame, label: string, timeframe: string, calendar: Calendar) {
  return {
    series: label,
    hash: await hashFrame(frame),
    bars: frame.length,
    first: frame.ts[0] ?? null,
    last: frame.ts[frame.length - 1] ?? null,
    // Results carry the report of the data they ran on, walk-forwards too.
    quality: qualityReport(frame, { timeframe, calendar, label }),
  };
}

interface WalkForwardOutput {
  /** The data in titles: a series label, or "N series". */
  what: string;
  /** Series labels of the registry record. */
  labels: string[];
  data: Awaited<ReturnType<typeof dataEntry>>[];
  train: number;
  test: number;
  timeframe: string;
  calendar: Calendar | null;
  portfolio?: boolean;
}

/** Prints, records and writes a walk-forward's result (single-series and portfolio alike). */
async function finishWalkForward(
  job: JobSpec,
  ctx: JobContext,
  wf: WalkForwardResult,
  o: WalkForwardOutput,
): Promise<Record<string, unknown>> {
  const spec = job.walkForward!;
  const metric = spec.metric;
  const { train, test } = o;
  const d = job.dataOptions;
  const folds = wf.folds.map((f) => ({
    fold: f.fold + 1,
    train: { from: f.trainStart, to: f.trainEnd, bars: f.train.end - f.train.start },
    test: { from: f.testStart, to: f.testEnd, bars: f.test.end - f.test.start },
    params: f.params,
    trials: f.trials,
    in_sample: pick(f.isStats, metric),
    out_of_sample: pick(f.oosStats, metric),
  }));
  const strategy = registry.get(job.strategy);
  const manifest = {
    kind: "walk_forward",
    engine_version: ENGINE_VERSION,
    strategy: { name: strategy.name, code_hash: await strategyCodeHash(strategy) },
    grid: job.grid ?? null,
    random: job.random ?? null,
    options: parseBacktestOptions(job.options),
    data: o.data,
    train,
    test,
    folds: spec.folds,
    mode: spec.mode,
    metric,
    timeframe: o.timeframe,
    calendar: o.calendar,
    periods_per_year: d.periodsPerYear ?? null,
    risk_free: d.riskFree ?? 0,
  };
  const figure = walkForwardFigure({
    folds: wf.folds.map((f) => ({ ...f, fold: f.fold + 1 })),
    metric: STATS_BY_KEY.get(metric)?.title ?? metric,
    ...(wf.stats[metric] !== undefined ? { stitched: wf.stats[metric] } : {}),
    title: `${job.strategy} walk-forward on ${o.what}: ${
      STATS_BY_KEY.get(metric)?.title ?? metric
    } in and out of sample`,
  }).svg;
  const summary = {
    kind: "walk_forward",
    ...(o.portfolio ? { portfolio: true, assets: o.labels } : {}),
    strategy: job.strategy,
    series: o.labels.join(","),
    mode: spec.mode,
    metric,
    train,
    test,
    folds,
  };
  const rec = await ctx.registry.record({
    kind: "walk_forward",
    series: o.labels,
    strategy: job.strategy,
    params: wf.folds[wf.folds.length - 1]?.params ?? {},
    options: manifest.options as unknown as Record<string, unknown>,
    manifest,
    stats: wf.stats,
    equity: wf.equityTable(),
    detail: summary,
    files: { "walk_forward.svg": figure },
  }, { source: ctx.source, label: ctx.label });
  if (ctx.out) {
    await Deno.mkdir(ctx.out, { recursive: true });
    await writeText(
      join(ctx.out, "walk_forward.json"),
      JSON.stringify({ run_id: rec.id, ...summary, stats: wf.stats }, null, 2),
    );
    await writeText(join(ctx.out, "folds.csv"), foldsCsv(wf.folds, metric));
    await writeParquet(join(ctx.out, "oos_equity.parquet"), columnsFromArrow(wf.equityTable()));
    await writeText(join(ctx.out, "walk_forward.svg"), figure);
  }
  if (!ctx.json) {
    ctx.print(
      `walk-forward ${job.strategy} on ${o.what}: ${spec.folds} ${spec.mode} folds, train ${train} bars, test ${test} bars, best by ${metric}`,
    );
    ctx.print("");
    ctx.print(textTable(
      ["fold", "train", "test", "params", `IS ${metric}`, `OOS ${metric}`, "OOS return", "OOS trades"],
      wf.folds.map((f) => [
        String(f.fold + 1),
        `${day(f.trainStart)}..${day(f.trainEnd)}`,
        `${day(f.testStart)}..${day(f.testEnd)}`,
        Object.entries(f.params).map(([k, v]) => `${k}=${v}`).join(" "),
        formatStat(metric, f.inSample),
        formatStat(metric, f.outOfSample),
        formatStat("total_return", f.oosStats.total_return ?? NaN),
        formatStat("trades", f.oosStats.trades ?? NaN),
      ]),
    ));
    ctx.print("");
    ctx.print("stitched out-of-sample:");
    ctx.print(textTable(
      ["Stat", "Value"],
      HEADLINE.filter((k) => k in wf.stats).map((k) => [STATS_BY_KEY.get(k)?.title ?? k, formatStat(k, wf.stats[k]!)]),
    ));
    ctx.print(`run ${rec.id} recorded in ${ctx.registry.dir}`);
    if (ctx.out) ctx.print(`wrote walk_forward.json, folds.csv, oos_equity.parquet, walk_forward.svg to ${ctx.out}`);
  }
  return { run_id: rec.id, ...summary, stats: wf.stats, ...(ctx.out ? { out: ctx.out } : {}) };
}

function pick(stats: Record<string, number>, metric: string): Record<string, number> {
  const out: Record<string, number> = {};
  for (const k of new Set([metric, "total_return", "sharpe", "max_drawdown", "trades"])) {
    if (k in stats) out[k] = stats[k]!;
  }
  return out;
}

function foldsCsv(folds: WalkForwardResult["folds"], metric: string): string {
  const keys = [...new Set(folds.flatMap((f) => Object.keys(f.params)))];
  const num = (f: (x: (typeof folds)[number]) => number) => Float64Array.from(folds, f);
  return columnsToCsv({
    fold: num((f) => f.fold + 1),
    train_start: folds.map((f) => new Date(f.trainStart).toISOString()),
    train_end: folds.map((f) => new Date(f.trainEnd).toISOString()),
    test_start: folds.map((f) => new Date(f.testStart).toISOString()),
    test_end: folds.map((f) => new Date(f.testEnd).toISOString()),
    ...Object.fromEntries(keys.map((k) => [k, folds.map((f) => String(f.params[k]))])),
    [`is_${metric}`]: num((f) => f.inSample),
    [`oos_${metric}`]: num((f) => f.outOfSample),
    oos_total_return: num((f) => f.oosStats.total_return ?? NaN),
    oos_trades: num((f) => f.oosStats.trades ?? NaN),
  });
}
