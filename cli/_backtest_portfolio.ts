// Running one portfolio job (a portfolio strategy such as momentum_rotation over several
// series): human or JSON output, the runs registry record, and the --out folder.

import { type PortfolioResult, runPortfolioBacktest } from "../lib/backtest/mod.ts";
import type { Frame } from "../lib/frame/mod.ts";
import { backtestReport } from "../lib/report/mod.ts";
import { type RunInput, runInputFromBacktest } from "../lib/runs/mod.ts";
import type { SeriesId } from "../lib/types/mod.ts";
import { isoTime, UsageError } from "./_cli.ts";
import type { JobSpec } from "./_backtest_args.ts";
import { loadData, type LoadedData } from "./_backtest_data.ts";
import { type JobContext, statsText, tradesLine, writeBacktestOut } from "./_backtest_run.ts";
import { afterTaxLines, afterTaxOfRun } from "./_backtest_after_tax.ts";

/**
 * Runs a portfolio strategy over every series of `job.data` (one asset each, named by its
 * series label) and returns its JSON output. The report is the single-run report without the
 * price figure (there is no one price to draw).
 */
export async function runPortfolioJob(job: JobSpec, ctx: JobContext): Promise<Record<string, unknown>> {
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
  const result = await runPortfolioBacktest({
    frames,
    strategy: job.strategy,
    params: job.params,
    options: job.options,
    series,
    timeframe: timeframes[0]!,
    // Mixed calendars (a stock and a coin) leave the union timeline's calendar to be inferred.
    ...(d.calendar !== undefined
      ? { calendar: d.calendar }
      : calendars.length === 1
      ? { calendar: calendars[0]! }
      : {}),
    ...(d.periodsPerYear !== undefined ? { periodsPerYear: d.periodsPerYear } : {}),
    ...(d.riskFree !== undefined ? { riskFree: d.riskFree } : {}),
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
