// The steps of runBacktest around its simulation, shared with the sweep: its best combination's run becomes a full
// BacktestResult (stats, manifest) without being simulated a second time.
import type { QualityReport } from "../data/mod.ts";
import { isPortfolioStrategy, parseParams, registry, type Strategy } from "../strategies/mod.ts";
import { formatSeries } from "../types/mod.ts";
import type { BacktestInput } from "./backtest.ts";
import type { BacktestOptions } from "./backtest_options.ts";
import { BacktestResult } from "./backtest_result.ts";
import { checkWarmup } from "./check_warmup.ts";
import { hashFrame } from "./hash_frame.ts";
import { buildManifest } from "./manifest.ts";
import { parseBacktestOptions } from "./parse_backtest_options.ts";
import type { SimResult } from "./sim_result.ts";
import { type Annualization, resolveAnnualization } from "./_annualization.ts";
import { memoQualityReport } from "./_frame_memo.ts";
import { buyAndHold, runStats } from "./_run_stats.ts";

/** What {@link runBacktest} settles before it simulates: parsed inputs, annualization, data hash, quality, benchmark. */
export interface PreparedBacktest<P> {
  strategy: Strategy<P>;
  params: P;
  options: BacktestOptions;
  ann: Annualization;
  /** The data hash, computing (awaited by the manifest). */
  hash: ReturnType<typeof hashFrame>;
  quality: QualityReport;
  benchmark: Float64Array | undefined;
}

/**
 * The checks and inputs of {@link runBacktest} before its simulation, in its order (a bad option is reported before a
 * short warm-up). Shared with the sweep, whose best combination's run becomes a full result without a second
 * simulation.
 */
export function prepareBacktest<P>(
  input: BacktestInput<P>,
  /** The buy-and-hold curve of `input.frame` and its options' cash when the caller has it (a sweep's). */
  buyAndHoldCurve?: Float64Array,
): PreparedBacktest<P> {
  const { frame } = input;
  const strategy = resolveStrategy(input.strategy);
  const params = parseParams(strategy, (input.params ?? {}) as Record<string, unknown>) as P;
  const options = parseBacktestOptions(input.options ?? {});
  const ann = resolveAnnualization(frame, input);
  // The data hash and quality report depend on the frame alone: memoized per frame.
  const hash = hashFrame(frame);
  const quality = input.quality ?? memoQualityReport(frame, {
    timeframe: ann.timeframe,
    calendar: ann.calendar,
    ...(input.series ? { label: formatSeries(input.series) } : {}),
  });
  const bm = input.benchmark ?? "buy_and_hold";
  let benchmark: Float64Array | undefined;
  if (bm === "buy_and_hold") benchmark = buyAndHoldCurve ?? buyAndHold(frame.close, options.cash);
  else if (bm !== false) {
    if (!(bm instanceof Float64Array) || bm.length !== frame.length) {
      throw new RangeError(
        `benchmark must be "buy_and_hold", false or a Float64Array of the frame's length ${frame.length}, got ${
          bm instanceof Float64Array ? `length ${bm.length}` : typeof bm
        }`,
      );
    }
    benchmark = bm;
  }
  // After the other input checks, so a bad option is reported first; before any signal is computed.
  checkWarmup(strategy, params, frame.length, input.series ? { series: formatSeries(input.series) } : {});
  return { strategy, params, options, ann, hash, quality, benchmark };
}

/**
 * The result of {@link runBacktest} from its prepared inputs and `sim`, the simulation of `prep.params` over
 * `input.frame` with `prep.options` (and `input.risk`, if any): every registry stat and the manifest.
 */
export async function completeBacktest<P>(
  input: BacktestInput<P>,
  prep: PreparedBacktest<P>,
  sim: SimResult,
  /** `runStats` of `sim` as computed here, when the caller has them (a sweep's best pick). */
  simStats?: Record<string, number>,
): Promise<BacktestResult> {
  const { strategy, params, options, ann, hash, quality, benchmark } = prep;
  const riskFree = input.riskFree ?? 0;
  const stats = simStats ?? runStats(sim, { periodsPerYear: ann.periodsPerYear, riskFree }, benchmark);
  const manifest = await buildManifest({
    strategy,
    params: params as Record<string, unknown>,
    options,
    data: [{ frame: input.frame, series: input.series ?? null, quality, hash }],
    annualization: ann,
    riskFree,
    benchmark: input.benchmark ?? "buy_and_hold",
    ...(input.risk !== undefined ? { risk: input.risk } : {}),
  });
  return new BacktestResult({ stats, sim, manifest, ...(benchmark ? { benchmark } : {}) });
}

function resolveStrategy<P>(s: Strategy<P> | string): Strategy<P> {
  const strategy = typeof s === "string" ? registry.get(s) : s;
  if (strategy === null || typeof strategy !== "object" || typeof (strategy as Strategy<P>).name !== "string") {
    throw new TypeError(`strategy must be a Strategy object or a registry name, got ${typeof strategy}`);
  }
  if (isPortfolioStrategy(strategy)) {
    throw new TypeError(
      `strategy ${
        JSON.stringify(strategy.name)
      } is a portfolio strategy (target weights over several assets); use runPortfolioBacktest`,
    );
  }
  return strategy as Strategy<P>;
}
