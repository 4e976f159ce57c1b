import { checkPeriod, checkSeries, prepareOut } from "./_validate.ts";

/** Options for {@link rsi}. */
export interface RsiOptions {
  /** Buffer to write into (length of `values`, not sharing memory with it); a new one by default. */
  out?: Float64Array;
}

/**
 * Relative Strength Index with Wilder's smoothing (Wilder 1978; StockCharts ChartSchool,
 * TA-Lib `RSI`, TradingView `ta.rsi`).
 *
 * - Seeding: the first average gain and loss are the simple averages of the first `period`
 *   changes; then `avg = (prev * (period - 1) + current) / period`. The first value is at
 *   index `period` ({@link rsiWarmup}). Verified against StockCharts' cs-rsi.xls in the tests.
 * - `RSI = 100 - 100 / (1 + avgGain / avgLoss)`; 100 when there are no losses and 50 when
 *   there are neither gains nor losses (a flat market is neutral; TA-Lib gives 0 there and
 *   TradingView 100).
 * - Missing values (NaN, ±Infinity): a change needs this bar and the previous one; when either
 *   is missing the output is NaN and the change is skipped (the averages carry over).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { rsi } from "./rsi.ts";
 * // changes +1, -1, +2: seed (period 2) gain 0.5, loss 0.5 -> 50;
 * // then gain (0.5 + 2) / 2 = 1.25, loss 0.25 -> 100 - 100 / 6
 * const out = rsi(Float64Array.of(1, 2, 1, 3), 2);
 * assert.deepEqual([...out], [NaN, NaN, 50, 100 - 100 / 6]);
 * ```
 */
export function rsi(values: Float64Array, period = 14, options: RsiOptions = {}): Float64Array {
  checkSeries("rsi", "values", values);
  checkPeriod("rsi", "period", period);
  const n = values.length;
  const out = prepareOut("rsi", "options.out", n, options.out, [values]);
  if (n === 0) return out;
  out[0] = NaN;
  let count = 0;
  let avgGain = 0;
  let avgLoss = 0;
  for (let i = 1; i < n; i++) {
    const change = values[i]! - values[i - 1]!;
    if (!(change - change === 0)) {
      out[i] = NaN;
      continue;
    }
    // Math.max compiles to a branch-free instruction; up/down moves are a coin flip.
    const gain = Math.max(change, 0);
    const loss = Math.max(-change, 0);
    if (count < period) {
      avgGain += gain;
      avgLoss += loss;
      if (++count < period) {
        out[i] = NaN;
        continue;
      }
      avgGain /= period;
      avgLoss /= period;
    } else {
      avgGain = (avgGain * (period - 1) + gain) / period;
      avgLoss = (avgLoss * (period - 1) + loss) / period;
    }
    out[i] = avgLoss === 0 ? (avgGain === 0 ? 50 : 100) : 100 - 100 / (1 + avgGain / avgLoss);
  }
  return out;
}

/** Number of leading NaN values of {@link rsi}: `period` (it needs `period` changes). */
export function rsiWarmup(period = 14): number {
  checkPeriod("rsiWarmup", "period", period);
  return period;
}
