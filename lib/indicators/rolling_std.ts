import { checkDdof, checkPeriod, checkSeries, prepareOut } from "./_validate.ts";
import { rollingMeanStd } from "./_rolling_mean_std.ts";

/** Options for {@link rollingStd}. */
export interface RollingStdOptions {
  /**
   * Delta degrees of freedom: the divisor is `period - ddof`. Default 0, the population
   * deviation of TA-Lib `STDDEV` and TradingView `ta.stdev` (biased). pandas
   * `rolling(period).std()` uses 1 (sample); pass `ddof: 1` to match it.
   */
  ddof?: number;
  /** Buffer to write into (length of `values`, not sharing memory with it); a new one by default. */
  out?: Float64Array;
}

/**
 * Rolling standard deviation of the last `period` values, including the current one.
 *
 * - Warm-up: the first `period - 1` values are NaN ({@link rollingStdWarmup}); with
 *   `period <= ddof` the deviation is undefined and every value is NaN.
 * - Missing values (NaN, ±Infinity): a window that contains one gives NaN.
 * - O(n) and numerically stable: sums of deviations from an anchor (the window's last value
 *   at each rebuild), rebuilt exactly every `max(period, 128)` bars and at once when the
 *   window's spread falls far below the sums (a large value, or the anchor, left behind), so a
 *   price of 1e9 with 1e-3 noise keeps its variance and an outlier leaves no residue: within
 *   about 1e-10 of the window's spread of a two-pass computation. A flat window is exactly 0.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { rollingStd } from "./rolling_std.ts";
 * const x = Float64Array.of(2, 4, 4, 4, 5, 5, 7, 9);
 * assert.equal(rollingStd(x, 8)[7], 2); // the textbook population example
 * assert.equal(rollingStd(x, 8, { ddof: 1 })[7], Math.sqrt(32 / 7));
 * ```
 */
export function rollingStd(values: Float64Array, period: number, options: RollingStdOptions = {}): Float64Array {
  checkSeries("rollingStd", "values", values);
  checkPeriod("rollingStd", "period", period);
  const ddof = options.ddof ?? 0;
  checkDdof("rollingStd", ddof);
  const out = prepareOut("rollingStd", "options.out", values.length, options.out, [values]);
  rollingMeanStd(values, period, ddof, null, out);
  return out;
}

/** Number of leading NaN values of {@link rollingStd}: `period - 1`. */
export function rollingStdWarmup(period: number): number {
  checkPeriod("rollingStdWarmup", "period", period);
  return period - 1;
}
