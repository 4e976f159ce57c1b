// What the research tools (run_backtest, run_sweep, walk_forward, get_run, compare_runs) share: argument schemas,
// a read-only load of a stored series, and the JSON shapes of stats and trades.

import { z } from "zod";
import { join } from "node:path";
import type { Frame } from "../../frame/mod.ts";
import { type RunRecord, RunRegistry } from "../../runs/mod.ts";
import { formatStat, STATS, STATS_BY_KEY } from "../../metrics/mod.ts";
import type { BacktestOptions, BacktestOptionsInput } from "../../backtest/mod.ts";
// The parser's own file: lib/backtest/mod.ts loads the engine and the figures, which start-up does not need.
import { parseBacktestOptions } from "../../backtest/parse_backtest_options.ts";
import { isPortfolioStrategy, parseParams, registry, type Strategy } from "../../strategies/mod.ts";
import type { Trade } from "../../types/mod.ts";
import type { Calendar, SeriesId } from "../../types/mod.ts";
import { findSeries, parseTime as dataParseTime, readOnlyStore } from "./_series.ts";

/** `exchange:SYMBOL:timeframe` of a stored series. */
export const SeriesArg = z.string().min(3).describe(
  "A stored series as exchange:SYMBOL:timeframe, e.g. samples:SPX:1d (list_datasets shows them)",
);
/** An ISO UTC time bounding the bars. */
export const FromArg = z.string().optional().describe("First bar time to include, ISO UTC (default: the first bar)");
export const ToArg = z.string().optional().describe("Bars before this time, ISO UTC, exclusive (default: to the end)");
export const StrategyArg = z.string().min(1).describe(
  "A registered single-asset strategy name, e.g. sma_cross (list_strategies shows names and param ranges)",
);
export const ParamsArg = z.record(z.string(), z.union([z.number(), z.string(), z.boolean()])).optional().describe(
  "Strategy params by name; missing ones take their defaults",
);
export const OptionsArg = z.record(z.string(), z.unknown()).optional().describe(
  "Backtest options: fill (next_open|close), fee, fixedFee, spread, slippage, cash, size, lot, minNotional, " +
    "direction (long|short|both), stopLoss, takeProfit, trailingStop, finalize (close|open); defaults apply",
);
/** Values per param of a grid. */
export const GridArg = z.record(z.string(), z.array(z.union([z.number(), z.string(), z.boolean()])).min(1).max(2_000))
  .describe('Values to try per param, e.g. {"fast": [5, 10], "slow": [20, 50]}; params left out keep defaults');

/** One stat: registry key and title, the value (null when NaN or infinite) and its display text. */
export const StatRowSchema = z.strictObject({
  key: z.string(),
  title: z.string(),
  value: z.number().nullable(),
  text: z.string(),
});
export type StatRow = z.output<typeof StatRowSchema>;

/** One round trip as JSON, times in ISO UTC. */
export const TradeRowSchema = z.strictObject({
  asset: z.string(),
  direction: z.enum(["long", "short"]),
  entryTime: z.string(),
  exitTime: z.string(),
  entryPrice: z.number(),
  exitPrice: z.number(),
  size: z.number(),
  pnl: z.number(),
  return: z.number().nullable(),
  fees: z.number(),
  bars: z.number(),
  exitReason: z.string(),
});
export type TradeRow = z.output<typeof TradeRowSchema>;

/** A finite number, or null (JSON has no NaN). */
export function finite(v: number | undefined): number | null {
  return v !== undefined && Number.isFinite(v) ? v : null;
}

/** Stats in registry order, then any others, as rows. */
export function statRows(stats: Readonly<Record<string, number>>): StatRow[] {
  const keys = [
    ...STATS.map((s) => s.key).filter((k) => k in stats),
    ...Object.keys(stats).filter((k) => !STATS_BY_KEY.has(k)),
  ];
  return keys.map((key) => {
    const v = stats[key]!;
    return { key, title: STATS_BY_KEY.get(key)?.title ?? key, value: finite(v), text: formatStat(key, v) };
  });
}

const isoOf = (ms: number): string => Number.isFinite(ms) ? new Date(ms).toISOString() : "";

/** Trades as JSON rows. */
/** What `get_run` and the `sentinel://runs/{id}` resource both say about a recorded run, before its trades. */
export function runFacts(rec: RunRecord): {
  id: string;
  kind: RunRecord["kind"];
  createdAt: RunRecord["created_at"];
  source: RunRecord["source"];
  label: RunRecord["label"];
  strategy: RunRecord["strategy"];
  series: RunRecord["series"];
  params: RunRecord["params"];
  options: RunRecord["options"];
  stats: StatRow[];
  manifest: RunRecord["manifest"];
  detail: RunRecord["detail"];
  files: RunRecord["files"];
} {
  return {
    id: rec.id,
    kind: rec.kind,
    createdAt: rec.created_at,
    source: rec.source,
    label: rec.label,
    strategy: rec.strategy,
    series: rec.series,
    params: rec.params,
    options: rec.options,
    stats: statRows(rec.stats),
    manifest: rec.manifest,
    detail: rec.detail,
    files: rec.files,
  };
}

export function tradeRows(trades: readonly Trade[]): TradeRow[] {
  return trades.map((t) => ({
    asset: t.asset,
    direction: t.direction,
    entryTime: isoOf(t.entryTs),
    exitTime: isoOf(t.exitTs),
    entryPrice: t.entryPrice,
    exitPrice: t.exitPrice,
    size: t.size,
    pnl: t.pnl,
    return: finite(t.return),
    fees: t.fees,
    bars: t.bars,
    exitReason: t.exitReason,
  }));
}

/** An ISO time argument as epoch ms (a time without a zone is UTC, as in the data tools). */
export const parseTime: (field: string, text: string | undefined) => number | undefined = dataParseTime;

/** Checks a strategy name names a registered single-asset strategy. */
export function checkStrategy(name: string): void {
  if (!registry.has(name)) {
    const known = registry.list().filter((s) => !isPortfolioStrategy(s)).map((s) => s.name).sort();
    throw new RangeError(`strategy: unknown strategy ${JSON.stringify(name)}; use one of ${known.join(", ")}`);
  }
  if (isPortfolioStrategy(registry.get(name))) {
    throw new RangeError(
      `strategy: ${JSON.stringify(name)} is a portfolio strategy; these tools run single-asset strategies`,
    );
  }
}

/** A stored series' bars with what the manifest needs. */
export interface LoadedSeries {
  id: SeriesId;
  frame: Frame;
  calendar: Calendar;
}

/**
 * Reads a stored series from the data dir through the shared read-only store (nothing is created, cleaned or locked), within
 * `[from, to)`. Unknown series and empty ranges are errors naming the field and the fix.
 */
export async function loadSeries(
  dataDir: string,
  series: string,
  from?: string,
  to?: string,
): Promise<LoadedSeries> {
  const range = { from: parseTime("from", from), to: parseTime("to", to) };
  if (range.from !== undefined && range.to !== undefined && range.from >= range.to) {
    throw new RangeError(`from ${from} is not before to ${to}: pass from < to, or leave one out`);
  }
  // The data tools' shared read-only store (kept open per data dir; the server closes it on shutdown).
  const store = await readOnlyStore(dataDir);
  const { id, info } = await findSeries(store, series);
  const frame = await store.read(id, {
    ...(range.from !== undefined ? { from: range.from } : {}),
    ...(range.to !== undefined ? { to: range.to } : {}),
  });
  if (frame.length === 0) {
    throw new RangeError(
      `from/to: no bars of ${series} in [${from ?? "start"}, ${to ?? "end"}); it has bars from ${
        new Date(info.first).toISOString()
      } to ${new Date(info.last).toISOString()}`,
    );
  }
  return { id, frame, calendar: info.calendar };
}

/**
 * Parses a strategy's params and backtest options up front, so an error names its argument (`params: ...`,
 * `options: ...`) before any data is read.
 */
export function parseRunArgs(
  strategy: string,
  params: Record<string, unknown> | undefined,
  options: Record<string, unknown> | undefined,
): { params: Record<string, unknown>; options: BacktestOptions } {
  checkStrategy(strategy);
  let p: Record<string, unknown>;
  try {
    p = parseParams(registry.get(strategy) as Strategy<unknown>, params ?? {}) as Record<string, unknown>;
  } catch (e) {
    throw new RangeError(`params: ${(e as Error).message}`, { cause: e });
  }
  let o: BacktestOptions;
  try {
    o = parseBacktestOptions((options ?? {}) as BacktestOptionsInput);
  } catch (e) {
    throw new RangeError(`options: ${(e as Error).message}`, { cause: e });
  }
  return { params: p, options: o };
}

/** Engine errors left after {@link parseRunArgs}: a warm-up the bars cannot cover is about from/to or params. */
export function withField(e: Error): string {
  const m = e.message;
  if (/warm-?up|bars/i.test(m)) return `from/to or params: ${m}; widen the range or shorten the indicators`;
  return m;
}

/** The data dir's runs registry, opened read-only (nothing is created or cleaned; record and remove throw). */
export async function openRuns(dataDir: string): Promise<RunRegistry> {
  return await RunRegistry.open({ dir: join(dataDir, "_runs"), readOnly: true });
}

/** A run id argument. */
export const RunIdArg = z.string().min(1).describe("A recorded run's id (list_runs shows them)");

/** `registry.get` with the argument's name in the error. */
export async function getRun(runs: RunRegistry, field: string, id: string): Promise<RunRecord> {
  try {
    return await runs.get(id);
  } catch (e) {
    // The registry's own words name its folder and its API; a model needs the tool that lists the ids.
    const m = (e as Error).message;
    const shape = "a run id looks like 20240102T030405678Z-1a2b3c4d-9f0e";
    const why = /^Invalid run id/.test(m)
      ? `${JSON.stringify(id)} is not a run id (${shape}); list_runs shows the ids`
      : /^Unknown run id/.test(m)
      ? `no recorded run has the id ${JSON.stringify(id)}; list_runs shows the ids`
      : m;
    throw new RangeError(`${field}: ${why}`, { cause: e });
  }
}
