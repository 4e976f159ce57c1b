// Running one job (single backtest, sweep or walk-forward): human or JSON output, the runs
// registry record, and the --out folder.

import { join } from "node:path";
import {
  type BacktestResult,
  type PortfolioResult,
  runBacktest,
  runSweep,
  type SimResult,
  type SweepResult,
  type SweepWorkerPool,
} from "../lib/backtest/mod.ts";
import { formatStat, STATS_BY_KEY } from "../lib/metrics/mod.ts";
import {
  columnsFromArrow,
  columnsToCsv,
  type RunInput,
  runInputFromBacktest,
  type RunRecord,
  type RunRegistry,
  type RunSource,
  tradeColumns,
  writeParquet,
} from "../lib/runs/mod.ts";
import type { RiskConfig } from "../lib/risk/mod.ts";
import { parseParams, prepareStrategy, registry } from "../lib/strategies/mod.ts";
import type { Trade } from "../lib/types/mod.ts";
import { importOnUse, isoTime, textTable } from "./_cli.ts";
import type { JobSpec } from "./_backtest_args.ts";
import { loadData, type LoadedData } from "./_backtest_data.ts";
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
import type { AgentRuntime } from "../lib/agents/mod.ts";
import type { AgentRunOutput } from "./_backtest_agents.ts";
import type { AfterTaxFlag } from "./_backtest_after_tax.ts";
import type { ClusterContext } from "./_backtest_cluster.ts";

// Loaded on use, by computed specifiers (see importOnUse): only agent runs pay for the Anthropic SDK's start-up; the
// report and plot modules (Observable Plot, linkedom) load while a sweep's workers run, after its data is parsed.
const load = <T>(specifier: string): Promise<T> => importOnUse<T>(specifier, import.meta.url);
const agentsModule = () => load<typeof import("./_backtest_agents.ts")>("./_backtest_agents.ts");
const reportModule = () => load<typeof import("../lib/report/mod.ts")>("../lib/report/mod.ts");
const plotsModule = () => load<typeof import("../lib/plots/mod.ts")>("../lib/plots/mod.ts");
const taxModule = () => load<typeof import("./_backtest_after_tax.ts")>("./_backtest_after_tax.ts");

/** Where a job's output goes. */
export interface JobContext {
  registry: RunRegistry;
  source: RunSource;
  /** Label recorded with the run (`--label`, or the job name for config jobs). */
  label: string;
  json: boolean;
  /** Folder for the job's files, or undefined. */
  out?: string;
  workers?: number;
  /** Sweep worker threads started with the command (a local single-series sweep), reused by its sweeps. */
  pool?: SweepWorkerPool;
  /** `--fast`: sweep with the fast stats only. */
  fast: boolean;
  signal: AbortSignal;
  /** Human output (stdout). */
  print: (line: string) => void;
  /** Progress and warnings (stderr). */
  progress: (line: string, transient?: boolean) => void;
  /** The agent runtime when the strategy is `llm_persona` or `llm_debate` (cli/_backtest_agents.ts). */
  agents?: AgentRuntime;
  /** `--after-tax`: rates and zone of the after-tax figures of a single or portfolio run, or a sweep's best run. */
  afterTax?: AfterTaxFlag;
  /** `--cluster URL`: sweeps and walk-forward folds are evaluated by cluster workers (cli/_backtest_cluster.ts). */
  cluster?: ClusterContext;
}

/** The stats shown in the compact table, in this order. */
export const HEADLINE = [
  "total_return",
  "cagr",
  "sharpe",
  "sortino",
  "max_drawdown",
  "calmar",
  "win_rate",
  "profit_factor",
  "exposure",
  "trades",
  "final_equity",
] as const;

/** Runs one job end to end and returns its JSON output (printed by the caller with --json). */
export async function runJob(job: JobSpec, ctx: JobContext): Promise<Record<string, unknown>> {
  // Before the data: a bad file is reported at once (a ConfigError naming the field: exit 2).
  const risk = job.risk === undefined
    ? undefined
    : await (await load<typeof import("../lib/risk/mod.ts")>("../lib/risk/mod.ts")).loadRiskConfig(job.risk);
  const data = await loadData(job.data[0]!, job.dataOptions);
  for (const note of data.notes) ctx.progress(`note: ${note}`);
  if (ctx.agents !== undefined && ctx.agents.gateway.mode !== "replay") await preflight(job, data, ctx, ctx.agents);
  if (job.walkForward) {
    if (ctx.afterTax) ctx.progress(`note: --after-tax is not applied to a walk-forward (job ${job.name})`);
    const wf = await (await load<typeof import("./_backtest_wf.ts")>("./_backtest_wf.ts")).runWalkForwardJob(
      job,
      data,
      ctx,
    );
    if (ctx.agents === undefined) return wf;
    // The walk-forward's record is written by _backtest_wf.ts: the agents block goes to the output only.
    const agents = (await agentsModule()).agentRunOutput(ctx.agents, job.strategy, job.params, data.frame);
    if (!ctx.json) { for (const line of agents.lines) ctx.print(line); }
    return { ...wf, agents: agents.json };
  }
  if (job.grid || job.random) return await runSweepJob(job, data, ctx);
  return await runSingleJob(job, data, ctx, risk);
}

function common(job: JobSpec, data: LoadedData) {
  const d = job.dataOptions;
  return {
    frame: data.frame,
    strategy: job.strategy,
    options: job.options,
    series: data.series,
    timeframe: data.series.timeframe,
    calendar: data.calendar,
    ...(d.periodsPerYear !== undefined ? { periodsPerYear: d.periodsPerYear } : {}),
    ...(d.riskFree !== undefined ? { riskFree: d.riskFree } : {}),
  };
}

/**
 * The `countTokens` preflight of a run that may spend (record, live), on stderr. A sweep or walk-forward is estimated
 * for one combination (the first value of each grid entry).
 */
async function preflight(job: JobSpec, data: LoadedData, ctx: JobContext, runtime: AgentRuntime): Promise<void> {
  const grid = job.grid ?? {};
  const params = { ...job.params, ...Object.fromEntries(Object.entries(grid).map(([k, v]) => [k, v[0]])) };
  const { agentEstimate, agentPlan, estimateLine } = await agentsModule();
  const plan = agentPlan(runtime, registry.get(job.strategy), params, data.frame, {
    symbol: data.series.symbol,
    timeframe: data.series.timeframe,
  });
  const estimate = await agentEstimate(plan);
  const per = job.grid || job.random ? " per combination" : "";
  ctx.progress(`${estimateLine(estimate, runtime.summary().budgetUsd)}${per}`);
}

/**
 * Runs one backtest with `params` over the job's data, after the strategy's asynchronous `prepare` (an LLM agent's
 * decisions; a no-op for the others), which reports its progress on stderr when `ctx` is given.
 */
export async function backtestOf(
  job: JobSpec,
  data: LoadedData,
  params: Record<string, unknown>,
  risk?: RiskConfig,
  ctx?: Pick<JobContext, "signal" | "progress">,
  /** The symbol `prepare` sees (an agent's pseudonym comes from it); null for none, as `runSweep` prepares. */
  symbol: string | null = data.series.symbol,
): Promise<BacktestResult> {
  const strategy = registry.get(job.strategy);
  if (strategy.kind !== "portfolio" && strategy.prepare !== undefined) {
    let shown = 0;
    await prepareStrategy(strategy, data.frame, parseParams(strategy, params), {
      ...(ctx ? { signal: ctx.signal } : {}),
      progress: (done, total) => {
        const now = performance.now();
        if (ctx === undefined || (done < total && now - shown < 500)) return;
        shown = now;
        ctx.progress(`prepare ${strategy.name}: ${done}/${total} bars`, done < total);
      },
      ...(symbol === null ? {} : { symbol }),
      timeframe: data.series.timeframe,
    });
  }
  return await runBacktest({ ...common(job, data), params, ...(risk !== undefined ? { risk } : {}) });
}

/** Denials shown in the human output; the rest are in denied.json. */
const DENIALS_SHOWN = 5;

async function runSingleJob(
  job: JobSpec,
  data: LoadedData,
  ctx: JobContext,
  risk?: RiskConfig,
): Promise<Record<string, unknown>> {
  const result = await backtestOf(job, data, job.params, risk, ctx);
  const agents = ctx.agents &&
    (await agentsModule()).agentRunOutput(ctx.agents, job.strategy, result.manifest.params, data.frame);
  const tax = ctx.afterTax && (await taxModule()).afterTaxOfRun(result, ctx.afterTax);
  const { backtestReport, strategyOverlays } = await reportModule();
  const html = backtestReport(result, {
    frame: data.frame,
    // The same lines the lab draws on a recorded run's page.
    overlays: strategyOverlays(result.manifest.strategy.name, result.manifest.params, data.frame),
    ...(agents ? { notes: [agents.note] } : {}),
    ...(tax ? { afterTax: tax } : {}),
  });
  const files: Record<string, string> = { "report.html": html, ...agents?.files };
  const input: RunInput = { ...runInputFromBacktest(result), files };
  if (risk !== undefined) {
    const denied = result.denied;
    files["denied.json"] = `${JSON.stringify(denied, null, 2)}\n`;
    input.detail = {
      risk: { config_hash: result.manifest.riskConfigHash, file: job.risk, denied_count: denied.length, denied },
    };
  }
  if (agents) input.detail = { ...input.detail, agents: agents.json };
  if (tax) input.detail = { ...input.detail, after_tax: tax };
  const rec = await ctx.registry.record(input, { source: ctx.source, label: ctx.label });
  if (ctx.out) {
    await writeBacktestOut(ctx.out, result, html);
    if (files["denied.json"]) await writeText(join(ctx.out, "denied.json"), files["denied.json"]);
    if (agents) await writeAgentFiles(ctx.out, agents);
  }
  const warnings = result.manifest.data.flatMap((d) => d.quality.warnings);
  if (!ctx.json) {
    const m = result.manifest;
    ctx.print(
      `${m.strategy.name} ${JSON.stringify(m.params)} on ${data.label}: ${isoTime(m.data[0]?.first ?? NaN)} to ${
        isoTime(m.data[0]?.last ?? NaN)
      } (${data.frame.length} bars, ${m.timeframe}, ${m.calendar}, ${m.periods_per_year} periods/year)`,
    );
    ctx.print("");
    ctx.print(statsText(result.stats));
    ctx.print("");
    ctx.print(tradesLine(result.trades));
    if (tax) {
      ctx.print("");
      for (const line of (await taxModule()).afterTaxLines(tax)) ctx.print(line);
    }
    if (risk !== undefined) { for (const line of deniedLines(result)) ctx.print(line); }
    if (agents) {
      ctx.print("");
      for (const line of agents.lines) ctx.print(line);
    }
    for (const w of warnings) ctx.print(`warning: ${w}`);
    ctx.print(`run ${rec.id} recorded in ${ctx.registry.dir}`);
    if (ctx.out) {
      ctx.print(
        `wrote stats.json, trades.csv, equity.parquet, manifest.json, report.html${
          risk !== undefined ? ", denied.json" : ""
        }${agents ? ", agents.json, decisions.jsonl" : ""} to ${ctx.out}`,
      );
    }
  }
  return {
    kind: "single",
    run_id: rec.id,
    ...result.toJSON(),
    warnings,
    ...(agents ? { agents: agents.json } : {}),
    ...(tax ? { afterTax: tax } : {}),
    ...(ctx.out ? { out: ctx.out } : {}),
  };
}

/** `agents.json` and `decisions.jsonl` of an agent run into `out`. */
async function writeAgentFiles(out: string, agents: AgentRunOutput): Promise<void> {
  await Deno.mkdir(out, { recursive: true });
  for (const [name, text] of Object.entries(agents.files)) {
    // writeText ends a file with a newline: an empty decisions.jsonl stays empty.
    if (text === "") await Deno.writeTextFile(join(out, name), "");
    else await writeText(join(out, name), text);
  }
}

/** The risk summary of a run with limits: the denied count, then the first denials. */
function deniedLines(result: BacktestResult): string[] {
  const denied = result.denied;
  const lines = [
    `risk: ${denied.length} order${denied.length === 1 ? "" : "s"} denied (config ${
      result.manifest.riskConfigHash?.slice(0, 12)
    })`,
  ];
  for (const d of denied.slice(0, DENIALS_SHOWN)) {
    lines.push(
      `  bar ${d.bar} ${isoTime(d.ts)} ${d.side}${d.reduceOnly ? " (exit)" : ""}: ${d.code} [${d.level}] ${d.detail}`,
    );
  }
  if (denied.length > DENIALS_SHOWN) lines.push(`  ... ${denied.length - DENIALS_SHOWN} more in denied.json`);
  return lines;
}

export function statsText(stats: Readonly<Record<string, number>>): string {
  const rows = HEADLINE.filter((k) => k in stats).map((
    k,
  ) => [STATS_BY_KEY.get(k)?.title ?? k, formatStat(k, stats[k]!)]);
  return textTable(["Stat", "Value"], rows);
}

export function tradesLine(trades: readonly Trade[]): string {
  const open = trades.filter((t) => t.exitIndex < 0).length;
  const wins = trades.filter((t) => t.exitIndex >= 0 && t.pnl > 0).length;
  return `trades: ${trades.length}${open ? ` (${open} open)` : ""}, ${wins} winning`;
}

/** The `--out` files of one backtest (single-series or portfolio): stats, manifest, trades, equity, report. */
export async function writeBacktestOut(
  out: string,
  result: BacktestResult<SimResult | PortfolioResult>,
  html: string,
): Promise<void> {
  await Deno.mkdir(out, { recursive: true });
  const j = result.toJSON();
  await writeText(
    join(out, "stats.json"),
    JSON.stringify({ stats: j.stats, final_equity: j.final_equity, trades: j.trades }, null, 2),
  );
  await writeText(join(out, "manifest.json"), JSON.stringify(result.manifest, null, 2));
  await writeText(join(out, "trades.csv"), tradesCsv(result.trades));
  await writeParquet(join(out, "equity.parquet"), columnsFromArrow(result.equityTable()));
  await writeText(join(out, "report.html"), html);
}

/** Trades as CSV: ISO entry/exit times first, then the numeric columns of trades.parquet. */
export function tradesCsv(trades: readonly Trade[]): string {
  return columnsToCsv({
    entry_time: trades.map((t) => isoText(t.entryTs)),
    exit_time: trades.map((t) => (t.exitIndex < 0 ? null : isoText(t.exitTs))),
    ...tradeColumns(trades),
  });
}

function isoText(ms: number): string | null {
  return Number.isFinite(ms) ? new Date(ms).toISOString() : null;
}

/** Writes a text file atomically (temp file beside it, then rename). */
export async function writeText(path: string, text: string): Promise<void> {
  const tmp = `${path}.tmp-${Deno.pid}`;
  await Deno.writeTextFile(tmp, text.endsWith("\n") ? text : `${text}\n`);
  await Deno.rename(tmp, path);
}

// ---------------------------------------------------------------------------------------------
// Sweeps

async function runSweepJob(job: JobSpec, data: LoadedData, ctx: JobContext): Promise<Record<string, unknown>> {
  const stats = ctx.fast ? "fast" : "full";
  const metric = ctx.fast && job.metric === "sharpe" ? "final_equity" : job.metric;
  checkMetric(metric);
  let lastShown = 0;
  // Loaded while the workers run: the main thread waits on them.
  const outputModules = Promise.all([reportModule(), plotsModule()]);
  outputModules.catch(() => {}); // awaited below; a sweep that throws first leaves it unobserved
  const sweep: SweepResult = await runSweep({
    ...common(job, data),
    ...(job.grid ? { grid: job.grid } : {}),
    ...(job.random ? { random: job.random } : {}),
    ...(ctx.workers !== undefined ? { workers: ctx.workers } : {}),
    ...(ctx.pool ? { pool: ctx.pool } : {}),
    ...(ctx.cluster ? { executor: ctx.cluster.executorFor(data.label) } : {}),
    stats,
    metric,
    keepBestRun: true,
    signal: ctx.signal,
    onProgress: (p) => {
      const now = performance.now();
      if (p.done < p.total && now - lastShown < 500) return;
      lastShown = now;
      const eta = Number.isFinite(p.etaSec) ? `, ${Math.ceil(p.etaSec)}s left` : "";
      ctx.progress(
        `sweep ${p.done}/${p.total} combos${p.skipped ? ` (${p.skipped} invalid skipped)` : ""}${eta}`,
        p.done < p.total,
      );
    },
  });
  // A cluster run says where it ran: its workers are the cluster's, not this process's threads.
  const cluster = ctx.cluster && { url: ctx.cluster.url, workers: await ctx.cluster.workersSeen() };
  const columns = columnsFromArrow(sweep.table);
  const varying = sweep.paramColumns.filter((k) => (job.grid?.[k]?.length ?? (job.random ? 2 : 0)) > 1);
  const best = sweep.best;
  let bestResult: BacktestResult | undefined;
  // The sweep's own run of it; else as the sweep prepared it (no symbol): an agent strategy's best combination
  // replays its own decisions.
  if (best) bestResult = sweep.bestRun ?? await backtestOf(job, data, best.params, undefined, ctx, null);
  // Of the best run only: taxing every combination would cost a pass over each one's trades for a figure no one ranks.
  const tax = ctx.afterTax && bestResult && (await taxModule()).afterTaxOfRun(bestResult, ctx.afterTax);
  const [{ backtestReport }, { sweepHeatmapFigure }] = await outputModules;
  const heatmap = varying.length === 2 && sweep.combos > 0
    ? sweepHeatmapFigure({
      rows: sweepRows(columns, sweep.table.numRows),
      x: varying[1]!,
      y: varying[0]!,
      metric,
      best: STATS_BY_KEY.get(metric)?.higherIsBetter === false ? "min" : "max",
      // A diverging scale centred on 0 reads returns and ratios; final equity has no such centre.
      pivot: metric === "final_equity" || metric === "trades" ? null : 0,
      title: `${job.strategy}: ${STATS_BY_KEY.get(metric)?.title ?? metric} by ${varying[0]} and ${varying[1]}`,
    }).svg
    : undefined;
  const summary = {
    kind: "sweep",
    strategy: job.strategy,
    series: data.label,
    combos: sweep.combos,
    skipped: sweep.skipped,
    metric,
    stats: stats,
    elapsed_ms: Math.round(sweep.elapsedMs),
    workers: cluster ? cluster.workers : sweep.workers,
    ...(cluster ? { cluster: cluster.url } : {}),
    fast_path: sweep.fastPath,
    best: bestSummary(best),
    notes: sweep.notes,
  };
  const manifest = sweepManifest(job, metric, stats, bestResult?.manifest);
  // Every combination's decisions are in the one journal: the summary and decisions.jsonl cover the whole sweep.
  const agents = ctx.agents &&
    (await agentsModule()).agentRunOutput(ctx.agents, job.strategy, best?.params ?? job.params, data.frame);
  const files: Record<string, string> = { ...agents?.files };
  if (heatmap) files["sweep_heatmap.svg"] = heatmap;
  if (bestResult) {
    files["report.html"] = backtestReport(bestResult, {
      frame: data.frame,
      title: `Best of sweep: ${job.strategy} ${JSON.stringify(best!.params)} on ${data.label}`,
      ...(agents ? { notes: [agents.note] } : {}),
      ...(tax ? { afterTax: tax } : {}),
    });
  }
  const rec: RunRecord = await ctx.registry.record({
    kind: "sweep",
    series: [data.label],
    strategy: job.strategy,
    params: best?.params ?? {},
    options: (bestResult?.manifest.options ?? job.options) as Record<string, unknown>,
    manifest,
    stats: best?.stats ?? {},
    sweep: columns,
    ...(bestResult ? { equity: bestResult.equityTable(), trades: bestResult.trades } : {}),
    detail: { ...summary, ...(agents ? { agents: agents.json } : {}), ...(tax ? { after_tax: tax } : {}) },
    files,
  }, { source: ctx.source, label: ctx.label });
  if (ctx.out) {
    await writeSweepOut(ctx.out, columns, rec.id, summary, [
      ["sweep_heatmap.svg", heatmap || undefined],
      ["report.html", files["report.html"] || undefined],
    ]);
    if (agents) await writeAgentFiles(ctx.out, agents);
  }
  if (!ctx.json) {
    ctx.print(
      `sweep ${job.strategy} on ${data.label}: ${sweep.combos} combos in ${(sweep.elapsedMs / 1000).toFixed(2)} s` +
        ` (${
          cluster
            ? `cluster ${cluster.url}, ${cluster.workers} worker${cluster.workers === 1 ? "" : "s"} seen`
            : `${sweep.workers || 1} ${sweep.workers > 1 ? "workers" : "thread"}`
        }${sweep.fastPath ? ", fused kernel" : ""})` +
        (sweep.skipped.count ? `, ${sweep.skipped.count} invalid skipped (${sweep.skipped.reasons[0]})` : ""),
    );
    ctx.print("");
    ctx.print(topTable(columns, sweep, metric, 10));
    const taxLines = tax ? (await taxModule()).afterTaxLines(tax) : undefined;
    for (const line of bestLines(metric, best, taxLines)) ctx.print(line);
    if (agents) {
      ctx.print("");
      for (const line of agents.lines) ctx.print(line);
    }
    const warnings = bestResult?.manifest.data.flatMap((d) => d.quality.warnings) ?? [];
    for (const line of closingLines(warnings, rec.id, ctx.registry.dir, ctx.out, heatmap)) ctx.print(line);
  }
  return {
    run_id: rec.id,
    ...summary,
    ...(agents ? { agents: agents.json } : {}),
    ...(tax ? { afterTax: tax } : {}),
    ...(ctx.out ? { out: ctx.out } : {}),
  };
}
