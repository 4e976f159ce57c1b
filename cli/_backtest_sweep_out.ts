// What the CLI's sweep jobs (single series, portfolio, batch) share in their output: the files of --out, the top
// table and the best pick's lines, so the three cannot drift apart.
import { join } from "node:path";
import type { SweepBest, SweepResult } from "../lib/backtest/mod.ts";
import { formatStat, STATS_BY_KEY } from "../lib/metrics/mod.ts";
import { type Columns, columnsToCsv, writeParquet } from "../lib/runs/mod.ts";
import { textTable, UsageError } from "./_cli.ts";
import type { JobSpec } from "./_backtest_args.ts";
import { statsText, writeText } from "./_backtest_run.ts";

/**
 * Writes a sweep's files into `out` (made if missing): sweep.csv, sweep.parquet, sweep.json (`{ run_id, ...summary }`),
 * then `files` in order; a file whose text is undefined is not written.
 */
export async function writeSweepOut(
  out: string,
  columns: Columns,
  runId: string,
  summary: Record<string, unknown>,
  files: readonly (readonly [name: string, text: string | undefined])[],
): Promise<void> {
  await Deno.mkdir(out, { recursive: true });
  await writeText(join(out, "sweep.csv"), columnsToCsv(columns));
  await writeParquet(join(out, "sweep.parquet"), columns);
  await writeText(join(out, "sweep.json"), JSON.stringify({ run_id: runId, ...summary }, null, 2));
  for (const [name, text] of files) if (text !== undefined) await writeText(join(out, name), text);
}

/** The numeric columns of a sweep's first `n` rows, one record per row. */
export function sweepRows(columns: Columns, n: number): Record<string, number>[] {
  const names = Object.keys(columns).filter((k) =>
    columns[k] instanceof Float64Array || columns[k] instanceof Int32Array
  );
  return Array.from({ length: n }, (_, i) => Object.fromEntries(names.map((k) => [k, Number(columns[k]![i])])));
}

/** The `k` best rows by `metric` as a text table (NaN rows left out). */
export function topTable(columns: Columns, sweep: SweepResult, metric: string, k: number): string {
  const n = sweep.table.numRows;
  const m = columns[metric];
  if (!m || n === 0) return "(no rows)";
  const lowerBetter = STATS_BY_KEY.get(metric)?.higherIsBetter === false;
  const order = Array.from({ length: n }, (_, i) => i).filter((i) => !Number.isNaN(Number(m[i])));
  order.sort((a, b) => lowerBetter ? Number(m[a]) - Number(m[b]) : Number(m[b]) - Number(m[a]));
  const shown = [...new Set([metric, "total_return", "sharpe", "max_drawdown", "trades"])].filter((c) => c in columns);
  const header = [...sweep.paramColumns, ...shown];
  const rows = order.slice(0, k).map((i) => [
    ...sweep.paramColumns.map((p) => String(columns[p]![i])),
    ...shown.map((c) => formatStat(c, Number(columns[c]![i]))),
  ]);
  return `top ${rows.length} of ${n} by ${metric}\n${textTable(header, rows)}`;
}

/** The best pick as sweep.json and the run's detail hold it. */
export function bestSummary(best: SweepBest | null): Record<string, unknown> | null {
  return best
    ? { params: best.params, value: best.value, psr: best.psr, dsr: best.dsr, trials: best.trials, stats: best.stats }
    : null;
}

/** A sweep's manifest: its search, then the best run's manifest without its id and time. */
export function sweepManifest(
  job: JobSpec,
  metric: string,
  stats: "fast" | "full",
  bestManifest: object | undefined,
): Record<string, unknown> {
  const baseManifest = bestManifest ? { ...bestManifest } as Record<string, unknown> : {};
  delete baseManifest.created_at;
  delete baseManifest.id;
  return {
    kind: "sweep",
    grid: job.grid ?? null,
    random: job.random ?? null,
    metric,
    stats,
    ...baseManifest,
  };
}

/**
 * The best pick's lines (params, value, PSR/DSR, headline stats, then `taxLines`: its after-tax lines), or why there is
 * none.
 */
export function bestLines(metric: string, best: SweepBest | null, taxLines: readonly string[] | undefined): string[] {
  if (!best) return ["no valid combination had a finite metric"];
  const lines = [
    "",
    `best by ${metric}: ${JSON.stringify(best.params)}  ${formatStat(metric, best.value)}` +
    `  (PSR ${formatStat("psr", best.psr)}, DSR ${formatStat("dsr", best.dsr)} over ${best.trials} trials)`,
    statsText(best.stats),
  ];
  if (taxLines) lines.push("", "best run:", ...taxLines);
  return lines;
}

/** The human output's last lines: the best run's data warnings, where the run was recorded, what --out holds. */
export function closingLines(
  warnings: readonly string[],
  runId: string,
  registryDir: string,
  out: string | undefined,
  heatmap: string | undefined,
): string[] {
  const lines = warnings.map((w) => `warning: ${w}`);
  lines.push(`run ${runId} recorded in ${registryDir}`);
  if (out) {
    lines.push(
      `wrote sweep.csv, sweep.parquet, sweep.json${heatmap ? ", sweep_heatmap.svg" : ""}, report.html to ${out}`,
    );
  }
  return lines;
}

/** Throws a UsageError (exit 2) unless `metric` is a stat a sweep can rank by; `what` names where it was given. */
export function checkMetric(metric: string, what = "--metric"): void {
  if (STATS_BY_KEY.has(metric) || metric === "entries") return;
  throw new UsageError(`${what} ${metric} is not a stat: use one of ${[...STATS_BY_KEY.keys()].join(", ")}`);
}
