import { Frame } from "../frame/mod.ts";
import type { QualityReport } from "../data/mod.ts";
import { isPortfolioStrategy, parseParams, type PortfolioStrategy, registry } from "../strategies/mod.ts";
import { type Calendar, formatSeries, type SeriesId } from "../types/mod.ts";
import { checkWarmup } from "./check_warmup.ts";
import { alignFrames } from "./align_frames.ts";
import type { BacktestOptionsInput } from "./backtest_options.ts";
import { BacktestResult } from "./backtest_result.ts";
import { buildManifest } from "./manifest.ts";
import { parseBacktestOptions } from "./parse_backtest_options.ts";
import type { PortfolioResult } from "./portfolio_result.ts";
import { simulatePortfolio } from "./simulate_portfolio.ts";
import { resolveAnnualization } from "./_annualization.ts";
import { memoQualityReport } from "./_frame_memo.ts";
import { runStats } from "./_run_stats.ts";
import { equalWeightHold, expand } from "./_portfolio_frames.ts";

/** Inputs of {@link runPortfolioBacktest}. */
export interface PortfolioBacktestInput<P> {
  /** One frame per asset (the key is the asset name in orders and trades); any timelines. */
  frames: Record<string, Frame>;
  /** A portfolio strategy or a registry name (`"momentum_rotation"`). */
  strategy: PortfolioStrategy<P> | string;
  params?: Partial<P> | Record<string, unknown>;
  options?: BacktestOptionsInput;
  /** Series ids per asset, for the manifest and quality labels. */
  series?: Record<string, SeriesId>;
  /** Default: the first asset's series timeframe, else inferred from the union timeline. */
  timeframe?: string;
  calendar?: Calendar;
  periodsPerYear?: number;
  riskFree?: number;
  /**
   * `"buy_and_hold"` (default): equal weights at the first bar where every asset has a price,
   * never rebalanced (each asset's last known close is carried over its gaps), no costs; a
   * series on the union timeline; or false.
   */
  benchmark?: "buy_and_hold" | Float64Array | false;
  /** Quality reports per asset already made; default computed here. */
  quality?: Record<string, QualityReport>;
}

/**
 * Runs a multi-asset backtest of a portfolio strategy (`momentum_rotation`): the frames are
 * expanded onto the union of their timestamps (NaN rows where an asset has no bar, never
 * filled in) so the strategy sees aligned frames, its target weights are simulated with one
 * shared cash account ({@link simulatePortfolio}: missing bars are reported in
 * `sim.missing` and in each asset's quality report), and stats and manifest are made as in
 * {@link runBacktest}.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { Frame } from "../frame/mod.ts";
 * import { runPortfolioBacktest } from "./mod.ts";
 * const day = 86_400_000;
 * const f = (c: number[], skip = -1) => {
 *   const rows = c.map((x, i) => [i * day, x] as const).filter((_, i) => i !== skip);
 *   const close = Float64Array.from(rows, (r) => r[1]);
 *   return new Frame(Float64Array.from(rows, (r) => r[0]), { open: close, high: close, low: close, close, volume: close });
 * };
 * const r = await runPortfolioBacktest({
 *   frames: { a: f([10, 11, 12, 13]), b: f([10, 10, 10, 10], 2) },
 *   strategy: "momentum_rotation",
 *   params: { lookback: 1, every: 1 },
 *   options: { fill: "close" },
 * });
 * assert.equal(r.sim.missing.b!.count, 1);
 * // Holds a from bar 1 (return +10% vs 0%): 10,000 * 13 / 11.
 * assert.ok(Math.abs(r.stats.final_equity! - 10_000 * 13 / 11) < 1e-9);
 * ```
 */
export async function runPortfolioBacktest<P>(
  input: PortfolioBacktestInput<P>,
): Promise<BacktestResult<PortfolioResult>> {
  const strategy = typeof input.strategy === "string" ? registry.get(input.strategy) : input.strategy;
  if (!isPortfolioStrategy(strategy)) {
    throw new TypeError(
      `strategy ${JSON.stringify(strategy.name)} is a single-asset strategy; use runBacktest for it`,
    );
  }
  const names = Object.keys(input.frames);
  if (names.length === 0) throw new RangeError("runPortfolioBacktest needs at least one frame, got none");
  const params = parseParams(strategy, (input.params ?? {}) as Record<string, unknown>) as P;
  const options = parseBacktestOptions(input.options ?? {});
  const al = alignFrames(input.frames);
  checkWarmup(strategy, params, al.ts.length);
  const aligned: Record<string, Frame> = {};
  for (const a of names) aligned[a] = expand(input.frames[a]!, al.ts, al.index[a]!);
  const first = input.series?.[names[0]!];
  const union = new Frame(al.ts, {});
  const ann = resolveAnnualization(union, {
    ...(input.timeframe !== undefined ? { timeframe: input.timeframe } : {}),
    ...(input.calendar !== undefined ? { calendar: input.calendar } : {}),
    ...(input.periodsPerYear !== undefined ? { periodsPerYear: input.periodsPerYear } : {}),
    ...(first ? { series: first } : {}),
  });
  const riskFree = input.riskFree ?? 0;
  const weights = (strategy as PortfolioStrategy<P>).weights(aligned, params);
  const sim = simulatePortfolio(input.frames, weights, options);
  const bm = input.benchmark ?? "buy_and_hold";
  let benchmark: Float64Array | undefined;
  if (bm === "buy_and_hold") benchmark = equalWeightHold(names.map((a) => aligned[a]!.close), options.cash);
  else if (bm !== false) {
    if (!(bm instanceof Float64Array) || bm.length !== al.ts.length) {
      throw new RangeError(
        `benchmark must be "buy_and_hold", false or a Float64Array on the union timeline (${al.ts.length} bars)`,
      );
    }
    benchmark = bm;
  }
  const stats = runStats(sim, { periodsPerYear: ann.periodsPerYear, riskFree }, benchmark);
  const data = names.map((a) => {
    const frame = input.frames[a]!;
    const sid = input.series?.[a];
    const quality = input.quality?.[a] ?? memoQualityReport(frame, {
      timeframe: sid?.timeframe ?? ann.timeframe,
      ...(input.calendar ? { calendar: input.calendar } : {}),
      label: sid ? formatSeries(sid) : a,
    });
    return { frame, series: sid ?? a, quality };
  });
  const manifest = await buildManifest({
    strategy,
    params: params as Record<string, unknown>,
    options,
    data,
    annualization: ann,
    riskFree,
    benchmark: bm,
  });
  return new BacktestResult({ stats, sim, manifest, ...(benchmark ? { benchmark } : {}) });
}
