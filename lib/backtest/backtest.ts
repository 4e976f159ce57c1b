import type { Frame } from "../frame/mod.ts";
import type { QualityReport } from "../data/mod.ts";
import type { Strategy } from "../strategies/mod.ts";
import type { RiskConfig } from "../risk/mod.ts";
import { type Calendar, type SeriesId, timeframeMs } from "../types/mod.ts";
import type { BacktestOptionsInput } from "./backtest_options.ts";
import type { BacktestResult } from "./backtest_result.ts";
import { simulate } from "./simulate.ts";
import { simulateWithRisk } from "./simulate_with_risk.ts";
import { completeBacktest, prepareBacktest } from "./_backtest_steps.ts";

/** Inputs of {@link runBacktest}. */
export interface BacktestInput<P> {
  /** The bars; `close` is required, `open` for next-open fills, `high`/`low` for stops. */
  frame: Frame;
  /** A strategy object or a registry name (`"sma_cross"`). */
  strategy: Strategy<P> | string;
  /** Params; strings are coerced (CLI), missing ones take their defaults. Validated by the schema. */
  params?: Partial<P> | Record<string, unknown>;
  /** Simulation options; see `BacktestOptions`. */
  options?: BacktestOptionsInput;
  /** Which series the frame is (for the manifest and the quality report's label). */
  series?: SeriesId;
  /** ccxt timeframe; default `series.timeframe`, else inferred from the most common bar step. */
  timeframe?: string;
  /** Trading calendar for gaps and annualization; default guessed from the bars (`guessCalendar`). */
  calendar?: Calendar;
  /** Overrides the annualization derived from timeframe and calendar. */
  periodsPerYear?: number;
  /** Yearly risk-free rate (fraction). Default 0. */
  riskFree?: number;
  /**
   * For alpha/beta and the equity figure: `"buy_and_hold"` (default; the close, scaled to the
   * starting cash, no costs), a series aligned to the frame, or false.
   */
  benchmark?: "buy_and_hold" | Float64Array | false;
  /** A quality report already made for this frame; default computed here. */
  quality?: QualityReport;
  /**
   * Risk limits (lib/risk): every order is first decided by a `RiskSession` as the paper runner does
   * (`simulateWithRisk`); denied ones do not happen and are listed in `result.denied`. The manifest records the
   * config and its `riskConfigHash`. Default none (plain `simulate`).
   */
  risk?: RiskConfig;
}

/**
 * Runs one single-asset backtest: parses params and options, checks the data covers the
 * strategy's warm-up (`checkWarmup`: a RangeError naming both when it does not), computes signals, simulates,
 * computes every registry stat, and records a {@link Manifest} (data hash and quality report,
 * strategy code hash, params, options, annualization). Same manifest, same result: nothing
 * here reads a clock or a random source (only `manifest.created_at`, which is not part of it).
 *
 * Annualization: `periodsPerYear` if given (source `option`), else from the timeframe and the
 * calendar (source `timeframe`): daily equity bars give 252, daily crypto bars 365.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { Frame } from "../frame/mod.ts";
 * import { runBacktest } from "./mod.ts";
 * const close = Float64Array.of(5, 4, 3, 4, 5, 6, 5, 4, 3);
 * const ts = Float64Array.from(close, (_, i) => i * 3_600_000);
 * const frame = new Frame(ts, { open: close, high: close, low: close, close, volume: close });
 * const r = await runBacktest({ frame, strategy: "sma_cross", params: { fast: "1", slow: "3" }, options: { fill: "close" } });
 * assert.equal(r.stats.trades, 1);
 * assert.equal(r.manifest.periods_per_year, 8760);
 * assert.deepEqual(r.manifest.params, { fast: 1, slow: 3 });
 * ```
 */
export async function runBacktest<P>(input: BacktestInput<P>): Promise<BacktestResult> {
  const prep = prepareBacktest(input);
  const { frame } = input;
  const signals = prep.strategy.signals(frame, prep.params);
  const sim = input.risk === undefined
    ? simulate(frame, signals, prep.options)
    : simulateWithRisk(frame, signals, prep.options, {
      config: input.risk,
      strategy: prep.strategy.name,
      barMs: timeframeMs(prep.ann.timeframe),
      symbol: input.series?.symbol ?? prep.options.asset,
    });
  return await completeBacktest(input, prep, sim);
}
