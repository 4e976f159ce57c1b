import { checkPeriod, checkSeries, prepareOut } from "./_validate.ts";

/**
 * How an EMA starts: `"sma"` seeds it with the simple average of the first `period` values
 * (TA-Lib `EMA`, StockCharts ChartSchool); `"first"` starts at the first value, as pandas
 * `ewm(span=period, adjust=False).mean()` and the `pine_ema` listing in TradingView's manual do.
 */
export type EmaSeed = "sma" | "first";

/** Options for {@link ema}. */
export interface EmaOptions {
  /** Seeding convention; default `"sma"`. */
  seed?: EmaSeed;
  /** Buffer to write into (length of `values`, not sharing memory with it); a new one by default. */
  out?: Float64Array;
}

/**
 * Exponential moving average with `alpha = 2 / (period + 1)`:
 * `ema[i] = ema[i-1] + alpha * (x[i] - ema[i-1])`.
 *
 * - Seeding: see {@link EmaSeed}; default `"sma"`, so the first value is at index
 *   `period - 1` and equals the SMA there ({@link emaWarmup}).
 * - Missing values (NaN, ±Infinity): the output is NaN at that bar and the bar is skipped;
 *   the recursion resumes from the last value with the next valid input. Leading missing
 *   values therefore just delay the seed (this is how the MACD signal line starts).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { ema } from "./ema.ts";
 * const x = Float64Array.of(1, 2, 3, 4);
 * // alpha = 2/3: seed (1+2)/2 = 1.5, then 1.5 + 2/3*(3-1.5) = 2.5, then 2.5 + 2/3*1.5 = 3.5
 * assert.deepEqual([...ema(x, 2)], [NaN, 1.5, 2.5, 3.5]);
 * assert.deepEqual([...ema(x, 2, { seed: "first" })].map((v) => +v.toFixed(6)), [1, 1.666667, 2.555556, 3.518519]);
 * ```
 */
export function ema(values: Float64Array, period: number, options: EmaOptions = {}): Float64Array {
  checkSeries("ema", "values", values);
  checkPeriod("ema", "period", period);
  const seed = options.seed ?? "sma";
  if (seed !== "sma" && seed !== "first") {
    throw new RangeError(`ema: seed must be "sma" or "first", got ${JSON.stringify(seed)}`);
  }
  const n = values.length;
  const out = prepareOut("ema", "options.out", n, options.out, [values]);
  const alpha = 2 / (period + 1);
  const need = seed === "sma" ? period : 1;
  let count = 0;
  let sum = 0;
  let e = NaN;
  for (let i = 0; i < n; i++) {
    const x = values[i]!;
    if (!(x - x === 0)) {
      out[i] = NaN;
      continue;
    }
    if (count < need) {
      sum += x;
      count++;
      if (count < need) {
        out[i] = NaN;
        continue;
      }
      e = sum / need;
    } else {
      e += alpha * (x - e);
    }
    out[i] = e;
  }
  return out;
}

/** Number of leading NaN values of {@link ema}: `period - 1` with the SMA seed, 0 with `"first"`. */
export function emaWarmup(period: number, seed: EmaSeed = "sma"): number {
  checkPeriod("emaWarmup", "period", period);
  return seed === "first" ? 0 : period - 1;
}
