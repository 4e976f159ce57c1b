import type { Table } from "apache-arrow";
import type { Frame } from "../frame/mod.ts";
import { type AnyStrategy, isPortfolioStrategy, prepareStrategy, registry, type Strategy } from "../strategies/mod.ts";
import type { Calendar, Signals } from "../types/mod.ts";
import type { BacktestOptionsInput } from "./backtest_options.ts";
import { parseBacktestOptions } from "./parse_backtest_options.ts";
import { simulate } from "./simulate.ts";
import { runSweep, type SweepExecutor, type SweepResult } from "./sweep.ts";
import { resolveAnnualization } from "./_annualization.ts";
import { buyAndHold, runStats } from "./_run_stats.ts";
import type { GridValue } from "./_sweep_combos.ts";
import { FAST_KEYS } from "./_sweep_eval.ts";
import { foldBest, foldLayout, FoldStitcher, trainWindow } from "./_walk_forward_folds.ts";

/**
 * Fewest bars in a training or test window: one return needs two prices. The lab's request
 * schema (and its OpenAPI document) uses this same constant.
 */
export const MIN_WALK_FORWARD_BARS = 2;

/** Inputs of {@link walkForward}. */
export interface WalkForwardOptions<P> {
  frame: Frame;
  /** A registered name or a strategy object (single asset). */
  strategy: Strategy<P> | string;
  /** The grid searched in each training window (see runSweep). */
  grid?: Record<string, readonly GridValue[] | GridValue>;
  /** Random search in each training window instead of (or within) the grid. */
  random?: { n: number; seed?: number };
  options?: BacktestOptionsInput;
  /** Bars per training window. */
  train: number;
  /** Bars per test window; consecutive test windows follow each other without overlap. */
  test: number;
  /** Number of folds; default as many as fit. */
  folds?: number;
  /** `rolling` (default): the training window slides with the test window; `anchored`: it starts at the first fold's start and grows. */
  mode?: "rolling" | "anchored";
  /** Stat that picks the best params in-sample (a STATS key or `entries`); default `sharpe`. */
  metric?: string;
  /** Workers for the in-sample sweeps (see runSweep). */
  workers?: number;
  /** Evaluates the folds' in-sample sweeps elsewhere (see runSweep's `executor`), all submitted at once. */
  executor?: SweepExecutor;
  signal?: AbortSignal;
  /**
   * Called after each fold with its result, the folds done and the folds in all (e.g. to report progress). Awaited
   * before the next fold starts; an error it throws ends the walk-forward with that error.
   */
  onFold?: (fold: WalkForwardFoldResult, done: number, total: number) => void | Promise<void>;
  timeframe?: string;
  calendar?: Calendar;
  periodsPerYear?: number;
  riskFree?: number;
}

/** Bars [start, end) of the frame, with the open times of the first and last bar. */
export interface WalkForwardWindow {
  start: number;
  /** Exclusive. */
  end: number;
  startTs: number;
  /** Open time of the last bar of the window. */
  endTs: number;
}

/** One fold. `trainStart` ... `outOfSample` are the fields lib/plots' walkForwardFigure takes. */
export interface WalkForwardFoldResult {
  /** 0-based fold number. */
  fold: number;
  train: WalkForwardWindow;
  test: WalkForwardWindow;
  /** Bars before the test window included (for indicator warm-up only) when computing its signals. */
  warmupBars: number;
  /** Best params in-sample (ties: the first combination). */
  params: Record<string, unknown>;
  /** Every stat of the in-sample run with those params. */
  isStats: Record<string, number>;
  /** Every stat of the out-of-sample run (test window only). */
  oosStats: Record<string, number>;
  /** Valid combinations tried in-sample. */
  trials: number;
  trainStart: number;
  trainEnd: number;
  testStart: number;
  testEnd: number;
  /** The metric in-sample and out-of-sample. */
  inSample: number;
  outOfSample: number;
}

/** What {@link walkForward} returns. */
export interface WalkForwardResult {
  mode: "rolling" | "anchored";
  metric: string;
  folds: WalkForwardFoldResult[];
  /** Times of the stitched out-of-sample curve (the test windows, in order). */
  ts: Float64Array;
  /** Stitched out-of-sample equity: each fold's test-window returns chained, starting from `cash`. */
  equity: Float64Array;
  /**
   * Stats of the stitched curve, with every fold's out-of-sample trades and orders (their
   * amounts in each fold's own account, which starts with `cash`).
   */
  stats: Record<string, number>;
  /** ts (Int64 epoch ms), equity, drawdown, fold. */
  equityTable(): Table;
}

/**
 * Walk-forward analysis: per fold, searches the grid on the training window, keeps the best
 * params by `metric`, and trades them on the following test window; the test windows' returns
 * are chained into one out-of-sample curve.
 *
 * - Windows are laid out from the end of the data (the last test window ends on the last bar);
 *   rolling: train = [s, s + train), test = [s + train, s + train + test), s advancing by
 *   `test`; anchored: every training window starts at the first fold's start.
 * - In-sample: {@link runSweep} on the training bars only (indicators warm up inside them).
 * - Out-of-sample: signals are computed on the test window preceded by `strategy.warmup(p)`
 *   bars (fewer if the data starts later), so indicators are warmed up at the test's first
 *   bar; only the test window is simulated: the account starts flat with `cash` on its first
 *   bar, so a position the strategy "held" before the window is not carried in, and entries
 *   happen on signals inside the window. `finalize` applies at the window's last bar.
 *   Recursive indicators (EMA) see only the warm-up bars, not the whole history.
 * - Stitching: the curve starts at `cash`; fold k's equity is scaled by the stitched value at
 *   the end of fold k-1 divided by `cash`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { Frame } from "../frame/mod.ts";
 * import { walkForward } from "./mod.ts";
 * const close = Float64Array.from({ length: 120 }, (_, i) => 100 + 10 * Math.sin(i / 6));
 * const frame = new Frame(Float64Array.from(close, (_, i) => i * 86_400_000), { close });
 * const wf = await walkForward({
 *   frame, strategy: "sma_cross", grid: { fast: [2, 3], slow: [5, 8] }, train: 60, test: 20,
 *   options: { fill: "close" }, metric: "total_return", periodsPerYear: 365,
 * });
 * assert.equal(wf.folds.length, 3);
 * assert.deepEqual(wf.folds.map((f) => f.test.start), [60, 80, 100]);
 * assert.equal(wf.equity.length, 60);
 * ```
 */
export async function walkForward<P>(input: WalkForwardOptions<P>): Promise<WalkForwardResult> {
  const { frame, test } = input;
  const any = (typeof input.strategy === "string" ? registry.get(input.strategy) : input.strategy) as AnyStrategy;
  if (isPortfolioStrategy(any)) throw new TypeError(`walkForward runs single-asset strategies, not ${any.name}`);
  const strategy = any as Strategy<any>;
  const layout = foldLayout(input, frame.length, "bars");
  const { folds, metric } = layout;
  const options = parseBacktestOptions(input.options ?? {});
  const ann = resolveAnnualization(frame, input);
  const riskFree = input.riskFree ?? 0;
  const annIn = { timeframe: ann.timeframe, calendar: ann.calendar, periodsPerYear: ann.periodsPerYear, riskFree };
  const stitch = new FoldStitcher(layout, options.cash, frame.ts);
  const foldSweep = (f: number): Promise<SweepResult> =>
    runSweep({
      frame: frame.slice(...trainWindow(layout, f)),
      strategy,
      ...(input.grid ? { grid: input.grid } : {}),
      ...(input.random ? { random: input.random } : {}),
      options,
      stats: FAST_KEYS.includes(metric) ? "fast" : "full",
      metric,
      ...(input.workers !== undefined ? { workers: input.workers } : {}),
      ...(input.executor !== undefined ? { executor: input.executor } : {}),
      ...(input.signal ? { signal: input.signal } : {}),
      ...annIn,
    });
  // With an executor (a cluster) every fold's in-sample sweep is submitted at once, so the folds' chunks run side by
  // side; the out-of-sample steps below still take the folds in order.
  const submitted = input.executor === undefined ? undefined : Array.from({ length: folds }, (_, f) => foldSweep(f));
  submitted?.forEach((p) => p.catch(() => {}));
  for (let f = 0; f < folds; f++) {
    input.signal?.throwIfAborted();
    const [, trainEnd] = trainWindow(layout, f);
    const testEnd = trainEnd + test;
    const sweep = await (submitted?.[f] ?? foldSweep(f));
    const best = foldBest(sweep, f, metric);
    const p = best.params;
    const warm = Math.min(trainEnd, strategy.warmup(p));
    const ext = frame.slice(trainEnd - warm, testEnd);
    const testFrame = frame.slice(trainEnd, testEnd);
    await prepareStrategy(strategy, ext, p, input.signal ? { signal: input.signal } : {});
    const sim = simulate(testFrame, cut(strategy.signals(ext, p), warm), options);
    const oosStats = runStats(sim, annIn, buyAndHold(testFrame.close, options.cash));
    const fold = stitch.add(sim, f, {
      warmupBars: warm,
      params: p,
      isStats: best.stats,
      oosStats,
      trials: sweep.combos,
    });
    await input.onFold?.(fold, f + 1, folds);
  }
  return stitch.finish(annIn);
}

/** Signals from bar `from` on (views, no copy). */
function cut(s: Signals, from: number): Signals {
  if (s.kind === "weights") return { kind: "weights", weights: s.weights.subarray(from) };
  return {
    kind: "signals",
    entries: s.entries.subarray(from),
    exits: s.exits.subarray(from),
    ...(s.shortEntries ? { shortEntries: s.shortEntries.subarray(from) } : {}),
    ...(s.shortExits ? { shortExits: s.shortExits.subarray(from) } : {}),
  };
}
