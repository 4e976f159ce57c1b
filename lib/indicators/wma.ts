import { checkPeriod, checkSeries, prepareOut } from "./_validate.ts";
import { firstFinite } from "./_first_finite.ts";

/** Options for {@link wma}. */
export interface WmaOptions {
  /** Buffer to write into (length of `values`, not sharing memory with it); a new one by default. */
  out?: Float64Array;
}

/**
 * Linearly weighted moving average: weights `1, 2, ..., period` from the oldest to the
 * current value, divided by `period * (period + 1) / 2` (TA-Lib `WMA`, TradingView `ta.wma`).
 *
 * - Warm-up: the first `period - 1` values are NaN ({@link wmaWarmup}).
 * - Missing values (NaN, ±Infinity): a window that contains one gives NaN.
 * - O(n): running weighted and plain sums of deviations from an anchor (TA-Lib's update),
 *   rebuilt exactly every `max(period, 1024)` bars.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { wma } from "./wma.ts";
 * // (1*3 + 2*6) / 3 = 5, then (1*6 + 2*9) / 3 = 8
 * const out = wma(Float64Array.of(3, 6, 9), 2);
 * assert.deepEqual([...out], [NaN, 5, 8]);
 * ```
 */
export function wma(values: Float64Array, period: number, options: WmaOptions = {}): Float64Array {
  checkSeries("wma", "values", values);
  checkPeriod("wma", "period", period);
  const n = values.length;
  const out = prepareOut("wma", "options.out", n, options.out, [values]);
  const weights = period * (period + 1) / 2;
  // Deviations from `anchor` keep the sums small for prices far from zero.
  let anchor = firstFinite(values);
  let num = 0;
  let sum = 0;
  let bad = 0;
  const head = Math.min(period, n);
  for (let i = 0; i < head; i++) {
    const x = values[i]!;
    let d = 0;
    if (x - x === 0) d = x - anchor;
    else bad++;
    // Bars before the series count as 0 in the update, which is exact here.
    num += period * d - sum;
    sum += d;
    out[i] = i < period - 1 || bad > 0 ? NaN : anchor + num / weights;
  }
  // Blocks with an exact rebuild between them, as in sma().
  const interval = Math.max(period, 1024);
  for (let from = period; from < n;) {
    const to = Math.min(n, (Math.floor(from / interval) + 1) * interval);
    wmaBlock(values, period, weights, from, to, anchor, num, sum, bad, out);
    if (to >= n) break;
    const last = values[to - 1]!;
    if (last - last === 0) anchor = last;
    num = 0;
    sum = 0;
    bad = 0;
    const start = to - period;
    for (let j = start; j < to; j++) {
      const y = values[j]!;
      if (y - y === 0) {
        sum += y - anchor;
        num += (j - start + 1) * (y - anchor);
      } else {
        bad++;
      }
    }
    from = to;
  }
  return out;
}

function wmaBlock(
  values: Float64Array,
  period: number,
  weights: number,
  from: number,
  to: number,
  anchor: number,
  num: number,
  sum: number,
  bad: number,
  out: Float64Array,
): void {
  for (let i = from; i < to; i++) {
    const x = values[i]!;
    const y = values[i - period]!;
    let d = 0;
    if (x - x === 0) d = x - anchor;
    else bad++;
    // TA-Lib's update: every weight drops by one (minus the window sum), the new value gets `period`.
    num += period * d - sum;
    sum += d;
    if (y - y === 0) sum -= y - anchor;
    else bad--;
    out[i] = bad > 0 ? NaN : anchor + num / weights;
  }
}

/** Number of leading NaN values of {@link wma}: `period - 1`. */
export function wmaWarmup(period: number): number {
  checkPeriod("wmaWarmup", "period", period);
  return period - 1;
}
