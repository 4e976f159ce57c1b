import { type BacktestOptionsInput, runBacktest } from "../backtest/mod.ts";
import type { Frame } from "../frame/mod.ts";
import { formatStat } from "../metrics/mod.ts";
import { equityFigure } from "../plots/equity_figure.ts";
import type { Figure } from "../plots/figure.ts";
import { parseParams, prepareStrategy } from "../strategies/mod.ts";
import type { Calendar, SeriesId } from "../types/mod.ts";
import type { AgentRunSummary, AgentRuntime } from "./create_agent_runtime.ts";
import type { MaskingOptions } from "./agent_desk.ts";
import type { MemoryOverlap } from "./model_cutoffs.ts";

/** Options of {@link maskingComparison}. */
export interface MaskingComparisonOptions {
  /** A runtime whose desk masks (relative times, pseudonym, rebased prices: the default). */
  runtimeMasked: AgentRuntime;
  /**
   * A runtime whose desk shows dates, the symbol and raw prices (`masking: { relativeTimes: false, pseudonym:
   * false, rebase: false }`), or a function that builds it after the masked run (so a budget can carry over).
   */
  runtimeUnmasked: AgentRuntime | (() => AgentRuntime | Promise<AgentRuntime>);
  frame: Frame;
  /** `llm_persona` or `llm_debate`. */
  strategy: "llm_persona" | "llm_debate";
  /** Strategy params (strings are coerced as on the command line); missing ones take their defaults. */
  params?: Record<string, unknown>;
  /** The real symbol (the unmasked prompts show it). */
  symbol: string;
  timeframe: string;
  /** Simulation options of both backtests. */
  options?: BacktestOptionsInput;
  series?: SeriesId;
  calendar?: Calendar;
  periodsPerYear?: number;
  signal?: AbortSignal;
}

/** The headline stats the comparison reports. */
export interface MaskingStats {
  total_return: number;
  sharpe: number;
  max_drawdown: number;
}

/** One side (masked or unmasked) of the comparison. */
export interface MaskingSide {
  masking: Required<MaskingOptions>;
  stats: MaskingStats;
  /** Decision bars (one action each: the persona's, or the debate's vote). */
  decisions: number;
  /** Actions per decision bar, keyed by the bar's open time. */
  actions: Record<string, string>;
  /** The run's cost, calls and journal head. */
  summary: AgentRunSummary;
}

/** The comparison's data (JSON-able; the methods and the equity arrays are not serialised). */
export interface MaskingComparison {
  strategy: string;
  params: Record<string, unknown>;
  symbol: string;
  timeframe: string;
  /** The window (first to last decision) against the model's training data. */
  memory: MemoryOverlap;
  masked: MaskingSide;
  unmasked: MaskingSide;
  /** Decision bars both runs decided, those with the same action, and the share. NaN rate when none. */
  agreement: { bars: number; same: number; rate: number };
  /** Unmasked minus masked: how much of the result the model's memory may explain. */
  difference: MaskingStats;
  /** Bar times and both equity curves (for the figure). */
  readonly equity: { ts: Float64Array; masked: Float64Array; unmasked: Float64Array };
  toMarkdown(): string;
  /** Both equity curves on one time axis (masked as the strategy line, unmasked as the benchmark line). */
  figure(): Figure;
  toJSON(): Record<string, unknown>;
}

const STAT_KEYS = ["total_return", "sharpe", "max_drawdown"] as const;

/**
 * How much of an agent backtest is the model's memory: the same strategy and params run twice over the same bars,
 * once with masked prompts (times relative to the decision, a pseudonym, prices rebased to 100) and once unmasked
 * (dates, the real symbol, raw prices). A model that remembers the market can do better unmasked; the report gives
 * the window's overlap with the model's training data, the agreement rate of the two runs' actions per decision
 * bar, the total return, Sharpe and max drawdown of each, and their difference (unmasked − masked).
 *
 * The unmasked prompts are different requests, so a replay needs both runs recorded.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { Frame } from "../frame/mod.ts";
 * import { createAgentRuntime } from "./create_agent_runtime.ts";
 * import { maskingComparison } from "./masking_comparison.ts";
 * const close = Float64Array.from({ length: 120 }, (_, i) => 100 + 10 * Math.sin(i / 8));
 * const frame = new Frame(Float64Array.from(close, (_, i) => Date.UTC(2020, 0, 1 + i)), { close, open: close, high: close, low: close });
 * const runtimeMasked = await createAgentRuntime({ storePath: ":memory:", personaDirs: [] });
 * const runtimeUnmasked = await createAgentRuntime({
 *   storePath: ":memory:", personaDirs: [], masking: { relativeTimes: false, pseudonym: false, rebase: false },
 * });
 * const c = await maskingComparison({
 *   runtimeMasked, runtimeUnmasked, frame, strategy: "llm_persona", params: { persona: "rule_trend", every: 5 },
 *   symbol: "BTC/USDT", timeframe: "1d",
 * });
 * assert.equal(c.agreement.rate, 1); // a rule persona cannot remember: masking changes nothing
 * assert.equal(c.difference.total_return, 0);
 * assert.equal(c.memory.insideMemory, false); // and no model was asked, so nothing could be recalled
 * assert.match(c.toMarkdown(), /Agreement/);
 * runtimeMasked.close();
 * runtimeUnmasked.close();
 * ```
 */
export async function maskingComparison(options: MaskingComparisonOptions): Promise<MaskingComparison> {
  const masked = options.runtimeMasked;
  const m = masked.desk.masking;
  if (!m.relativeTimes && !m.pseudonym && !m.rebase) {
    throw new RangeError(
      "maskingComparison: runtimeMasked does not mask (relativeTimes, pseudonym and rebase are all false); build it " +
        "with the default masking",
    );
  }
  const maskedRun = await runSide(masked, options);
  const unmasked = typeof options.runtimeUnmasked === "function"
    ? await options.runtimeUnmasked()
    : options.runtimeUnmasked;
  const u = unmasked.desk.masking;
  if (unmasked === masked || u.relativeTimes || u.pseudonym || u.rebase) {
    throw new RangeError(
      `maskingComparison: runtimeUnmasked must show dates, the symbol and raw prices, got masking ${
        JSON.stringify(u)
      }; build it with masking { relativeTimes: false, pseudonym: false, rebase: false }`,
    );
  }
  const unmaskedRun = await runSide(unmasked, options);

  let bars = 0, same = 0;
  for (const [k, a] of Object.entries(maskedRun.side.actions)) {
    const b = unmaskedRun.side.actions[k];
    if (b === undefined) continue;
    bars++;
    if (a === b) same++;
  }
  const times = [...maskedRun.decisionTimes, ...unmaskedRun.decisionTimes];
  const ts = options.frame.ts;
  const from = times.length ? Math.min(...times) : ts[0] ?? 0;
  const to = times.length ? Math.max(...times) : ts[ts.length - 1] ?? from;
  const memory = masked.memory(from, to);
  const difference = {} as MaskingStats;
  for (const k of STAT_KEYS) difference[k] = unmaskedRun.side.stats[k] - maskedRun.side.stats[k];
  const equity = { ts: Float64Array.from(ts), masked: maskedRun.equity, unmasked: unmaskedRun.equity };
  const params = maskedRun.params;

  const data = {
    strategy: options.strategy,
    params,
    symbol: options.symbol,
    timeframe: options.timeframe,
    memory,
    masked: maskedRun.side,
    unmasked: unmaskedRun.side,
    agreement: { bars, same, rate: bars === 0 ? NaN : same / bars },
    difference,
  };
  return {
    ...data,
    equity,
    toMarkdown: () => comparisonMarkdown(data),
    figure: () =>
      equityFigure({
        ts: equity.ts,
        equity: equity.masked,
        benchmark: equity.unmasked,
        rebaseBenchmark: false,
        label: "Masked",
        benchmarkLabel: "Unmasked",
        title: `Masked vs unmasked · ${memory.label}`,
      }),
    toJSON: () => data,
  };
}

interface SideRun {
  side: MaskingSide;
  equity: Float64Array;
  decisionTimes: number[];
  params: Record<string, unknown>;
}

async function runSide(rt: AgentRuntime, o: MaskingComparisonOptions): Promise<SideRun> {
  const strategy = rt.strategies.find((s) => s.name === o.strategy);
  if (strategy === undefined || strategy.kind === "portfolio") {
    throw new RangeError(
      `maskingComparison: strategy ${
        JSON.stringify(o.strategy)
      } is not an agent strategy: use llm_persona or llm_debate`,
    );
  }
  const p = parseParams(strategy, o.params ?? {});
  const before = rt.journal.decisions().length;
  await prepareStrategy(strategy, o.frame, p, {
    symbol: o.symbol,
    timeframe: o.timeframe,
    ...(o.signal === undefined ? {} : { signal: o.signal }),
  });
  const result = await runBacktest({
    frame: o.frame,
    strategy,
    params: p,
    timeframe: o.timeframe,
    ...(o.options === undefined ? {} : { options: o.options }),
    ...(o.series === undefined ? {} : { series: o.series }),
    ...(o.calendar === undefined ? {} : { calendar: o.calendar }),
    ...(o.periodsPerYear === undefined ? {} : { periodsPerYear: o.periodsPerYear }),
  });
  // A debate logs every persona's rounds and then its vote; the bar's action is the vote's, else the persona's.
  const actions: Record<string, string> = {};
  const voted = new Set<string>();
  const decisionTimes: number[] = [];
  for (const e of rt.journal.decisions().slice(before)) {
    const pl = e.payload;
    const key = String(pl.barTs ?? e.ts);
    if (pl.agent === "vote") {
      actions[key] = pl.action;
      voted.add(key);
    } else if (!voted.has(key)) actions[key] = pl.action;
    decisionTimes.push(pl.decisionTime ?? e.ts);
  }
  const stats = {} as MaskingStats;
  for (const k of STAT_KEYS) stats[k] = result.stats[k] ?? NaN;
  return {
    side: {
      masking: rt.desk.masking,
      stats,
      decisions: Object.keys(actions).length,
      actions,
      summary: rt.summary(),
    },
    equity: result.sim.equity,
    decisionTimes,
    params: p as Record<string, unknown>,
  };
}

function comparisonMarkdown(c: Omit<MaskingComparison, "equity" | "toMarkdown" | "figure" | "toJSON">): string {
  const pct = (x: number): string => Number.isFinite(x) ? `${(100 * x).toFixed(1)}%` : "n/a";
  const signed = (k: string, x: number): string => (x > 0 ? "+" : "") + formatStat(k, x);
  const lines = [
    `# Masked vs unmasked: ${c.strategy} on ${c.symbol} ${c.timeframe}`,
    "",
    `> ${c.memory.label}`,
    "",
    `Params: \`${JSON.stringify(c.params)}\``,
    "",
    `Agreement: ${c.agreement.same} of ${c.agreement.bars} decision bars took the same action (${
      pct(c.agreement.rate)
    }).`,
    "",
    "| | masked | unmasked | unmasked − masked |",
    "|---|---:|---:|---:|",
    ...STAT_KEYS.map((k) =>
      `| ${k} | ${formatStat(k, c.masked.stats[k])} | ${formatStat(k, c.unmasked.stats[k])} | ${
        signed(k, c.difference[k])
      } |`
    ),
    `| decisions | ${c.masked.decisions} | ${c.unmasked.decisions} | |`,
    `| cost (USD) | ${c.masked.summary.desk.costUsd.toFixed(4)} | ${c.unmasked.summary.desk.costUsd.toFixed(4)} | |`,
    "",
    "A difference means the model read the market differently when it could see the dates, the symbol and the " +
    "prices; inside the model's training window some of the unmasked result may be recall, not skill.",
  ];
  return lines.join("\n") + "\n";
}
