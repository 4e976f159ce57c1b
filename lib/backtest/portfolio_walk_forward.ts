import { Frame } from "../frame/mod.ts";
import { type AnyStrategy, isPortfolioStrategy, type PortfolioStrategy, registry } from "../strategies/mod.ts";
import type { Calendar, SeriesId } from "../types/mod.ts";
import { alignFrames } from "./align_frames.ts";
import type { BacktestOptionsInput } from "./backtest_options.ts";
import { parseBacktestOptions } from "./parse_backtest_options.ts";
import { runPortfolioSweep } from "./portfolio_sweep.ts";
import { simulatePortfolio } from "./simulate_portfolio.ts";
import type { WalkForwardFoldResult, WalkForwardResult } from "./walk_forward.ts";
import { resolveAnnualization } from "./_annualization.ts";
import { equalWeightHold, expand } from "./_portfolio_frames.ts";
import { runStats } from "./_run_stats.ts";
import type { GridValue } from "./_sweep_combos.ts";
import { FAST_KEYS } from "./_sweep_eval.ts";
import { foldBest, foldLayout, FoldStitcher, trainWindow } from "./_walk_forward_folds.ts";

/** Inputs of {@link portfolioWalkForward}. */
export interface PortfolioWalkForwardOptions<P> {
  /** One frame per asset, any timelines: folds are laid out on the union of their timestamps. */
  frames: Record<string, Frame>;
  /** A portfolio strategy or a registry name. */
  strategy: PortfolioStrategy<P> | string;
  /** The grid searched in each training window (see runPortfolioSweep). */
  grid?: Record<string, readonly GridValue[] | GridValue>;
  /** Random search in each training window instead of (or within) the grid. */
  random?: { n: number; seed?: number };
  options?: BacktestOptionsInput;
  /** Union bars per training window. */
  train: number;
  /** Union bars per test window; consecutive test windows follow each other without overlap. */
  test: number;
  /** Number of folds; default as many as fit. */
  folds?: number;
  /** `rolling` (default) or `anchored` (every training window starts at the first fold's start). */
  mode?: "rolling" | "anchored";
  /** Stat that picks the best params in-sample (a STATS key or `entries`); default `sharpe`. */
  metric?: string;
  /** Workers for the in-sample sweeps (see runPortfolioSweep). */
  workers?: number;
  signal?: AbortSignal;
  /** Called after each fold with its result, the folds done and the folds in all; awaited. */
  onFold?: (fold: WalkForwardFoldResult, done: number, total: number) => void | Promise<void>;
  /** Series ids per asset; the first asset's timeframe is the default timeframe. */
  series?: Record<string, SeriesId>;
  timeframe?: string;
  calendar?: Calendar;
  periodsPerYear?: number;
  riskFree?: number;
}

/**
 * Walk-forward analysis of a portfolio strategy, with {@link walkForward}'s layout and result
 * shape, on the union timeline of the frames: windows count union bars, and a window's frames
 * are each asset's own bars inside it (an asset may have none there).
 *
 * - Windows are laid out from the end (the last test window ends on the last union bar);
 *   rolling: train = [s, s + train), test = [s + train, s + train + test), s advancing by
 *   `test`; anchored: every training window starts at the first fold's start.
 * - In-sample: {@link runPortfolioSweep} on the training window's bars only, best by `metric`
 *   (ties: the first combination).
 * - Out-of-sample: weights are computed on the aligned frames of the test window preceded by
 *   `strategy.warmup(p)` union bars (fewer if the data starts later), so the strategy's look-back
 *   is filled at the test's first bar; only the test window is simulated, from a flat account
 *   with `cash` (no position is carried in), `finalize` at its last bar. Its stats use the
 *   equal-weight buy and hold of the test window as the benchmark, as a portfolio backtest does.
 * - Stitching: the curve starts at `cash`; fold k's equity is scaled by the stitched value at
 *   the end of fold k-1 divided by `cash`. Trades and orders of every fold carry indices into
 *   the stitched curve (amounts in each fold's own account).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { Frame } from "../frame/mod.ts";
 * import { portfolioWalkForward } from "./portfolio_walk_forward.ts";
 * const day = 86_400_000;
 * const f = (k: number) => {
 *   const close = Float64Array.from({ length: 120 }, (_, i) => 100 + 10 * Math.sin(i / (4 + k)));
 *   return new Frame(Float64Array.from(close, (_, i) => i * day), { open: close, high: close, low: close, close });
 * };
 * const wf = await portfolioWalkForward({
 *   frames: { a: f(0), b: f(1), c: f(2) },
 *   strategy: "momentum_rotation",
 *   grid: { lookback: [3, 10], every: [1, 5] },
 *   train: 60,
 *   test: 20,
 *   options: { fill: "close" },
 *   metric: "total_return",
 * });
 * assert.deepEqual(wf.folds.map((x) => x.test.start), [60, 80, 100]);
 * assert.equal(wf.equity.length, 60);
 * assert.equal(wf.equity[0], 10_000);
 * ```
 */
export async function portfolioWalkForward<P>(input: PortfolioWalkForwardOptions<P>): Promise<WalkForwardResult> {
  const { test } = input;
  const any = (typeof input.strategy === "string" ? registry.get(input.strategy) : input.strategy) as AnyStrategy;
  if (!isPortfolioStrategy(any)) {
    throw new TypeError(
      `portfolioWalkForward runs portfolio strategies; ${JSON.stringify(any.name)} is single-asset: use walkForward`,
    );
  }
  const strategy = any as PortfolioStrategy<any>;
  const names = Object.keys(input.frames);
  if (names.length === 0) throw new RangeError("portfolioWalkForward needs at least one frame, got none");
  const al = alignFrames(input.frames);
  const uts = al.ts;
  const n = uts.length;
  const layout = foldLayout(input, n, "union bars");
  const { folds, metric } = layout;
  const options = parseBacktestOptions(input.options ?? {});
  const aligned: Record<string, Frame> = {};
  for (const a of names) aligned[a] = expand(input.frames[a]!, uts, al.index[a]!);
  const first = input.series?.[names[0]!];
  const ann = resolveAnnualization(new Frame(uts, {}), {
    ...(input.timeframe !== undefined ? { timeframe: input.timeframe } : {}),
    ...(input.calendar !== undefined ? { calendar: input.calendar } : {}),
    ...(input.periodsPerYear !== undefined ? { periodsPerYear: input.periodsPerYear } : {}),
    ...(first ? { series: first } : {}),
  });
  const riskFree = input.riskFree ?? 0;
  const annIn = { timeframe: ann.timeframe, calendar: ann.calendar, periodsPerYear: ann.periodsPerYear, riskFree };
  // Each asset's own rows inside union bars [s, e): its frame there (views, no copy).
  const ownRows = (a: string, s: number, e: number): Frame => {
    const own = input.frames[a]!, ts = own.ts;
    const lo = lowerBound(ts, uts[s]!), hi = e < n ? lowerBound(ts, uts[e]!) : ts.length;
    return own.slice(lo, hi);
  };
  const window = (s: number, e: number): Record<string, Frame> =>
    Object.fromEntries(names.map((a) => [a, ownRows(a, s, e)]));

  const stitch = new FoldStitcher(layout, options.cash, uts);
  for (let f = 0; f < folds; f++) {
    input.signal?.throwIfAborted();
    const [trainStart, trainEnd] = trainWindow(layout, f);
    const testEnd = trainEnd + test;
    const sweep = await runPortfolioSweep({
      frames: window(trainStart, trainEnd),
      strategy,
      ...(input.grid ? { grid: input.grid } : {}),
      ...(input.random ? { random: input.random } : {}),
      options,
      stats: FAST_KEYS.includes(metric) ? "fast" : "full",
      metric,
      ...(input.workers !== undefined ? { workers: input.workers } : {}),
      ...(input.signal ? { signal: input.signal } : {}),
      ...annIn,
    });
    const best = foldBest(sweep, f, metric);
    const p = best.params;
    const warm = Math.min(trainEnd, strategy.warmup(p));
    const ext: Record<string, Frame> = {};
    for (const a of names) ext[a] = aligned[a]!.slice(trainEnd - warm, testEnd);
    const weights = strategy.weights(ext, p);
    const cut: typeof weights = {};
    for (const a of names) cut[a] = { kind: "weights", weights: weights[a]!.weights.subarray(warm) };
    const sim = simulatePortfolio(window(trainEnd, testEnd), cut, options);
    const bm = equalWeightHold(names.map((a) => aligned[a]!.close.subarray(trainEnd, testEnd)), options.cash);
    const oosStats = runStats(sim, annIn, bm);
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

/** First index with ts[i] >= x (ts increasing). */
function lowerBound(ts: Float64Array, x: number): number {
  let lo = 0, hi = ts.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (ts[mid]! < x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
