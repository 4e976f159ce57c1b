// Portfolio jobs (a portfolio strategy such as momentum_rotation over several series): one
// backtest, a sweep (grid or random search) or a walk-forward, with the same outputs as the
// single-series jobs: human or JSON output, the runs registry record, and the --out folder.

import {
  type BacktestResult,
  type PortfolioResult,
  runPortfolioBacktest,
  runPortfolioSweep,
  type SweepResult,
} from "../lib/backtest/mod.ts";
import type { Frame } from "../lib/frame/mod.ts";
import { STATS_BY_KEY } from "../lib/metrics/mod.ts";
import { sweepHeatmapFigure } from "../lib/plots/mod.ts";
import { backtestReport } from "../lib/report/mod.ts";
import { columnsFromArrow, type RunInput, runInputFromBacktest, type RunRecord } from "../lib/runs/mod.ts";
import type { Calendar, SeriesId } from "../lib/types/mod.ts";
import { isoTime, UsageError } from "./_cli.ts";
import type { JobSpec } from "./_backtest_args.ts";
import { loadData, type LoadedData } from "./_backtest_data.ts";
import { type JobContext, statsText, tradesLine, writeBacktestOut } from "./_backtest_run.ts";
import { afterTaxLines, afterTaxOfRun } from "./_backtest_after_tax.ts";
import { runPortfolioWalkForwardJob } from "./_backtest_wf.ts";
import {
  bestLines,
  bestSummary,
  checkMetric,
  closingLines,
  sweepManifest,
  sweepRows,
  topTable,
  writeSweepOut,
} from "./_backtest_sweep_out.ts";

/** The loaded series of a portfolio job, one asset each (named by its series label). */
export interface PortfolioData {
  loaded: LoadedData[];
  frames: Record<string, Frame>;
  series: Record<string, SeriesId>;
  /** The asset labels joined, for titles and the registry. */
  labels: string[];
  timeframe: string;
  /** The calendar when one is given or shared by every series (mixed ones leave it to be inferred). */
  calendar?: Calendar;
  periodsPerYear?: number;
  riskFree?: number;
}

/** Loads every series of `job.data`; one timeframe for all of them. */
export async function loadPortfolio(job: JobSpec, ctx: JobContext): Promise<PortfolioData> {
  const loaded: LoadedData[] = [];
  for (const d of job.data) {
    const data = await loadData(d, job.dataOptions);
    for (const note of data.notes) ctx.progress(`note: ${data.label}: ${note}`);
    loaded.push(data);
  }
  const frames: Record<string, Frame> = {};
  const series: Record<string, SeriesId> = {};
  for (const [i, data] of loaded.entries()) {
    if (data.label in frames) {
      throw new UsageError(
        `--data ${job.data[i]} and another --data are both ${data.label}: give each asset once`,
      );
    }
    frames[data.label] = data.frame;
    series[data.label] = data.series;
  }
  const timeframes = [...new Set(loaded.map((d) => d.series.timeframe))];
  if (timeframes.length > 1) {
    throw new UsageError(
      `--data: the series have different timeframes (${
        loaded.map((d) => `${d.label}`).join(", ")
      }); a portfolio runs on one timeframe: pick series of the same timeframe`,
    );
  }
  const calendars = [...new Set(loaded.map((d) => d.calendar))];
  const d = job.dataOptions;
  const calendar = d.calendar ?? (calendars.length === 1 ? calendars[0]! : undefined);
  return {
    loaded,
    frames,
    series,
    labels: loaded.map((x) => x.label),
    timeframe: timeframes[0]!,
    ...(calendar !== undefined ? { calendar } : {}),
    ...(d.periodsPerYear !== undefined ? { periodsPerYear: d.periodsPerYear } : {}),
    ...(d.riskFree !== undefined ? { riskFree: d.riskFree } : {}),
  };
}

/** What runPortfolioBacktest, runPortfolioSweep and portfolioWalkForward share. */
export function portfolioInputs(p: PortfolioData): {
  frames: Record<string, Frame>;
  series: Record<string, SeriesId>;
  timeframe: string;
  calendar?: Calendar;
  periodsPerYear?: number;
  riskFree?: number;
} {
  return {
    frames: p.frames,
    series: p.series,
    timeframe: p.timeframe,
    ...(p.calendar !== undefined ? { calendar: p.calendar } : {}),
    ...(p.periodsPerYear !== undefined ? { periodsPerYear: p.periodsPerYear } : {}),
    ...(p.riskFree !== undefined ? { riskFree: p.riskFree } : {}),
  };
}

/**
 * Runs a portfolio strategy over every series of `job.data` (one asset each, named by its
 * series label) and returns its JSON output: a walk-forward with `walkForward`, a sweep with
 * `grid` or `random`, else one backtest. The report is the single-run report without the price
 * figure (there is no one price to draw).
 */
export async function runPortfolioJob(job: JobSpec, ctx: JobContext): Promise<Record<string, unknown>> {
  const p = await loadPortfolio(job, ctx);
  if (job.walkForward) {
    if (ctx.afterTax) ctx.progress(`note: --after-tax is not applied to a walk-forward (job ${job.name})`);
    return await runPortfolioWalkForwardJob(job, p, ctx);
  }
  if (job.grid || job.random) return await runPortfolioSweepJob(job, p, ctx);
  const loaded = p.loaded;
  const result = await runPortfolioBacktest({
    ...portfolioInputs(p),
    strategy: job.strategy,
    params: job.params,
    options: job.options,
  });
  // backtestReport is typed for single-series results but reads only what both kinds share
  // (manifest, stats, trades, equity table, benchmark); without a frame it leaves out the price figure.
  const tax = ctx.afterTax && afterTaxOfRun(result, ctx.afterTax);
  const html = backtestReport(result, {
    notes: [`portfolio of ${loaded.length} series on the union of their timestamps (${result.sim.ts.length} bars)`],
    ...(tax ? { afterTax: tax } : {}),
  });
  const missing = missingOf(result.sim);
  const input: RunInput = {
    ...runInputFromBacktest(result),
    detail: { portfolio: true, assets: result.sim.assets, missing, ...(tax ? { after_tax: tax } : {}) },
    files: { "report.html": html },
  };
  const rec = await ctx.registry.record(input, { source: ctx.source, label: ctx.label });
  if (ctx.out) await writeBacktestOut(ctx.out, result, html);
  const warnings = result.manifest.data.flatMap((x) => x.quality.warnings);
  if (!ctx.json) {
    const m = result.manifest;
    const ts = result.sim.ts;
    ctx.print(
      `${m.strategy.name} ${JSON.stringify(m.params)} on ${loaded.length} series: ${isoTime(ts[0] ?? NaN)} to ${
        isoTime(ts[ts.length - 1] ?? NaN)
      } (${ts.length} bars on the union timeline, ${m.timeframe}, ${m.calendar}, ${m.periods_per_year} periods/year)`,
    );
    for (const data of loaded) {
      const miss = missing[data.label]!;
      ctx.print(
        `  ${data.label}: ${data.frame.length} bars${
          miss.count ? `, ${miss.count} missing inside its span (first at ${isoTime(miss.first[0] ?? NaN)})` : ""
        }${miss.before ? `, starts ${miss.before} bars late` : ""}${
          miss.after ? `, ends ${miss.after} bars early` : ""
        }`,
      );
    }
    ctx.print("");
    ctx.print(statsText(result.stats));
    ctx.print("");
    ctx.print(tradesLine(result.trades));
    if (tax) {
      ctx.print("");
      for (const line of afterTaxLines(tax)) ctx.print(line);
    }
    for (const w of warnings) ctx.print(`warning: ${w}`);
    ctx.print(`run ${rec.id} recorded in ${ctx.registry.dir}`);
    if (ctx.out) ctx.print(`wrote stats.json, trades.csv, equity.parquet, manifest.json, report.html to ${ctx.out}`);
  }
  return {
    kind: "portfolio",
    run_id: rec.id,
    ...result.toJSON(),
    assets: result.sim.assets,
    missing,
    warnings,
    ...(tax ? { afterTax: tax } : {}),
    ...(ctx.out ? { out: ctx.out } : {}),
  };
}

/** Per asset: bars it lacks inside its own span, and union bars before its first and after its last bar. */
function missingOf(
  sim: PortfolioResult,
): Record<string, { count: number; first: number[]; before: number; after: number }> {
  return Object.fromEntries(
    sim.assets.map((a) => {
      const m = sim.missing[a];
      return [a, { count: m?.count ?? 0, first: m?.first ?? [], before: m?.before ?? 0, after: m?.after ?? 0 }];
    }),
  );
}

/**
 * A portfolio sweep (`--grid` / `--random`): the same outputs as a single-series sweep (top
 * table, best with PSR and DSR, heatmap of two varying params, report.html of the best run,
 * sweep.csv/.parquet/.json) and a `sweep` record over every asset's series.
 */
async function runPortfolioSweepJob(
  job: JobSpec,
  p: PortfolioData,
  ctx: JobContext,
): Promise<Record<string, unknown>> {
  const stats = ctx.fast ? "fast" : "full";
  const metric = ctx.fast && job.metric === "sharpe" ? "final_equity" : job.metric;
  checkMetric(metric);
  const what = `${p.labels.length} series`;
  let lastShown = 0;
  const sweep: SweepResult = await runPortfolioSweep({
    ...portfolioInputs(p),
    strategy: job.strategy,
    options: job.options,
    ...(job.grid ? { grid: job.grid } : {}),
    ...(job.random ? { random: job.random } : {}),
    stats,
    metric,
    ...(ctx.workers !== undefined ? { workers: ctx.workers } : {}),
    signal: ctx.signal,
    onProgress: (x) => {
      const now = performance.now();
      if (x.done < x.total && now - lastShown < 500) return;
      lastShown = now;
      const eta = Number.isFinite(x.etaSec) ? `, ${Math.ceil(x.etaSec)}s left` : "";
      ctx.progress(
        `sweep ${x.done}/${x.total} combos${x.skipped ? ` (${x.skipped} invalid skipped)` : ""}${eta}`,
        x.done < x.total,
      );
    },
  });
  const columns = columnsFromArrow(sweep.table);
  const varying = sweep.paramColumns.filter((k) => (job.grid?.[k]?.length ?? (job.random ? 2 : 0)) > 1);
  const best = sweep.best;
  const bestResult: BacktestResult<PortfolioResult> | undefined = best
    ? await runPortfolioBacktest({
      ...portfolioInputs(p),
      strategy: job.strategy,
      params: best.params,
      options: job.options,
    })
    : undefined;
  const tax = ctx.afterTax && bestResult && afterTaxOfRun(bestResult, ctx.afterTax);
  const heatmap = varying.length === 2 && sweep.combos > 0
    ? sweepHeatmapFigure({
      rows: sweepRows(columns, sweep.table.numRows),
      x: varying[1]!,
      y: varying[0]!,
      metric,
      best: STATS_BY_KEY.get(metric)?.higherIsBetter === false ? "min" : "max",
      pivot: metric === "final_equity" || metric === "trades" ? null : 0,
      title: `${job.strategy} on ${what}: ${STATS_BY_KEY.get(metric)?.title ?? metric} by ${varying[0]} and ${
        varying[1]
      }`,
    }).svg
    : undefined;
  const summary = {
    kind: "sweep",
    portfolio: true,
    strategy: job.strategy,
    series: p.labels.join(","),
    assets: p.labels,
    combos: sweep.combos,
    skipped: sweep.skipped,
    metric,
    stats,
    elapsed_ms: Math.round(sweep.elapsedMs),
    workers: sweep.workers,
    fast_path: sweep.fastPath,
    best: bestSummary(best),
    notes: sweep.notes,
  };
  const manifest = sweepManifest(job, metric, stats, bestResult?.manifest);
  const files: Record<string, string> = {};
  if (heatmap) files["sweep_heatmap.svg"] = heatmap;
  if (bestResult) {
    files["report.html"] = backtestReport(bestResult, {
      title: `Best of sweep: ${job.strategy} ${JSON.stringify(best!.params)} on ${p.labels.join(", ")}`,
      notes: [`portfolio of ${what} on the union of their timestamps (${bestResult.sim.ts.length} bars)`],
      ...(tax ? { afterTax: tax } : {}),
    });
  }
  const rec: RunRecord = await ctx.registry.record({
    kind: "sweep",
    series: p.labels,
    strategy: job.strategy,
    params: best?.params ?? {},
    options: (bestResult?.manifest.options ?? job.options) as Record<string, unknown>,
    manifest,
    stats: best?.stats ?? {},
    sweep: columns,
    ...(bestResult ? { equity: bestResult.equityTable(), trades: bestResult.trades } : {}),
    detail: { ...summary, ...(tax ? { after_tax: tax } : {}) },
    files,
  }, { source: ctx.source, label: ctx.label });
  if (ctx.out) {
    await writeSweepOut(ctx.out, columns, rec.id, summary, [
      ["sweep_heatmap.svg", heatmap || undefined],
      ["report.html", files["report.html"] || undefined],
    ]);
  }
  if (!ctx.json) {
    ctx.print(
      `sweep ${job.strategy} on ${what} (${p.labels.join(", ")}): ${sweep.combos} combos in ${
        (sweep.elapsedMs / 1000).toFixed(2)
      } s (${sweep.workers > 1 ? `${sweep.workers} workers` : "this thread"})` +
        (sweep.skipped.count ? `, ${sweep.skipped.count} invalid skipped (${sweep.skipped.reasons[0]})` : ""),
    );
    ctx.print("");
    ctx.print(topTable(columns, sweep, metric, 10));
    for (const line of bestLines(metric, best, tax ? afterTaxLines(tax) : undefined)) ctx.print(line);
    const warnings = bestResult?.manifest.data.flatMap((d) => d.quality.warnings) ?? [];
    for (const line of closingLines(warnings, rec.id, ctx.registry.dir, ctx.out, heatmap)) ctx.print(line);
  }
  return {
    run_id: rec.id,
    ...summary,
    ...(tax ? { afterTax: tax } : {}),
    ...(ctx.out ? { out: ctx.out } : {}),
  };
}
