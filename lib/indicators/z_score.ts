import { checkDdof, checkPeriod, checkSeries, prepareOut } from "./_validate.ts";
import { rollingMeanStd } from "./_rolling_mean_std.ts";

/** Options for {@link zScore}. */
export interface ZScoreOptions {
  /**
   * Delta degrees of freedom of the deviation. Default 1 (sample), matching the pandas idiom
   * `(x - x.rolling(n).mean()) / x.rolling(n).std()` that most quant research uses; pass 0 for
   * the population deviation of TA-Lib/TradingView.
   */
  ddof?: number;
  /** Buffer to write into (length of `values`, not sharing memory with it); a new one by default. */
  out?: Float64Array;
}

/**
 * Rolling z-score: `(x[i] - mean) / std` over the last `period` values including `x[i]`.
 *
 * - Warm-up: the first `period - 1` values are NaN ({@link zScoreWarmup}).
 * - A flat window (deviation 0) gives 0: the value sits at the mean.
 * - Mean and deviation are computed as in {@link rollingStd} (stable when an outlier leaves).
 * - Missing values (NaN, ±Infinity): a window that contains one gives NaN.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { zScore } from "./z_score.ts";
 * // window [1, 2, 3]: mean 2, sample std 1, so z = (3 - 2) / 1
 * assert.deepEqual([...zScore(Float64Array.of(1, 2, 3), 3)], [NaN, NaN, 1]);
 * assert.equal(zScore(Float64Array.of(5, 5, 5), 3)[2], 0);
 * ```
 */
export function zScore(values: Float64Array, period: number, options: ZScoreOptions = {}): Float64Array {
  checkSeries("zScore", "values", values);
  checkPeriod("zScore", "period", period);
  const ddof = options.ddof ?? 1;
  checkDdof("zScore", ddof);
  const n = values.length;
  const out = prepareOut("zScore", "options.out", n, options.out, [values]);
  const std = new Float64Array(n);
  rollingMeanStd(values, period, ddof, out, std);
  for (let i = 0; i < n; i++) {
    const s = std[i]!;
    out[i] = s === 0 ? 0 : (values[i]! - out[i]!) / s;
  }
  return out;
}

/** Number of leading NaN values of {@link zScore}: `period - 1`. */
export function zScoreWarmup(period: number): number {
  checkPeriod("zScoreWarmup", "period", period);
  return period - 1;
}
