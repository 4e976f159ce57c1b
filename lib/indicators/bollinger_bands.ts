import { checkDdof, checkDistinct, checkFinite, checkPeriod, checkSeries, prepareOut } from "./_validate.ts";
import { rollingMeanStd } from "./_rolling_mean_std.ts";

/** The five series of {@link bollingerBands}. */
export interface BollingerBands {
  /** SMA of the last `period` values. */
  middle: Float64Array;
  /** `middle + mult * std`. */
  upper: Float64Array;
  /** `middle - mult * std`. */
  lower: Float64Array;
  /** `(upper - lower) / middle` as a fraction (StockCharts' BandWidth is this times 100). */
  bandwidth: Float64Array;
  /** `(x - lower) / (upper - lower)`; 0.5 when the bands coincide (a flat window). */
  percentB: Float64Array;
}

/** Options for {@link bollingerBands}. */
export interface BollingerBandsOptions {
  /** Width of the bands in standard deviations; default 2. */
  mult?: number;
  /**
   * Delta degrees of freedom of the deviation; default 0 (population), as Bollinger, TA-Lib
   * `BBANDS`, StockCharts and TradingView compute it. pandas' default `std()` would be 1.
   */
  ddof?: number;
  /** Buffers to write into (each of the input's length, all distinct); missing ones are allocated. */
  out?: Partial<BollingerBands>;
}

/**
 * Bollinger Bands over the last `period` values (default 20, 2 standard deviations).
 *
 * - Warm-up: the first `period - 1` values of every series are NaN ({@link bollingerBandsWarmup}).
 * - Mean and deviation are computed as in {@link rollingStd} (stable when an outlier leaves).
 * - Missing values (NaN, ±Infinity): a window that contains one gives NaN in every series.
 * - Verified against the StockCharts ChartSchool worked example (cs-bbands.xls) in the tests.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { bollingerBands } from "./bollinger_bands.ts";
 * // window [1, 2, 3]: mean 2, population std sqrt(2/3)
 * const bb = bollingerBands(Float64Array.of(1, 2, 3), 3, { mult: 1 });
 * assert.equal(bb.middle[2], 2);
 * assert.equal(bb.upper[2], 2 + Math.sqrt(2 / 3));
 * assert.equal(bb.percentB[2], (3 - bb.lower[2]!) / (bb.upper[2]! - bb.lower[2]!));
 * ```
 */
export function bollingerBands(
  values: Float64Array,
  period = 20,
  options: BollingerBandsOptions = {},
): BollingerBands {
  const fn = "bollingerBands";
  checkSeries(fn, "values", values);
  checkPeriod(fn, "period", period);
  const mult = options.mult ?? 2;
  checkFinite(fn, "mult", mult);
  const ddof = options.ddof ?? 0;
  checkDdof(fn, ddof);
  const n = values.length;
  const o = options.out ?? {};
  const middle = prepareOut(fn, "out.middle", n, o.middle, [values]);
  const upper = prepareOut(fn, "out.upper", n, o.upper, [values]);
  const lower = prepareOut(fn, "out.lower", n, o.lower, [values]);
  const bandwidth = prepareOut(fn, "out.bandwidth", n, o.bandwidth, [values]);
  const percentB = prepareOut(fn, "out.percentB", n, o.percentB, [values]);
  checkDistinct(fn, { middle, upper, lower, bandwidth, percentB });
  // The deviation goes through `bandwidth` first, so no scratch array is needed.
  rollingMeanStd(values, period, ddof, middle, bandwidth);
  for (let i = 0; i < n; i++) {
    const m = middle[i]!;
    const w = mult * bandwidth[i]!;
    const up = m + w;
    const lo = m - w;
    upper[i] = up;
    lower[i] = lo;
    bandwidth[i] = (up - lo) / m;
    percentB[i] = up === lo ? 0.5 : (values[i]! - lo) / (up - lo);
  }
  return { middle, upper, lower, bandwidth, percentB };
}

/** Number of leading NaN values of every {@link bollingerBands} series: `period - 1`. */
export function bollingerBandsWarmup(period = 20): number {
  checkPeriod("bollingerBandsWarmup", "period", period);
  return period - 1;
}
