import { checkPeriod, checkSeries, prepareOut } from "./_validate.ts";
import { firstFinite } from "./_first_finite.ts";

/** Options for {@link sma}. */
export interface SmaOptions {
  /** Buffer to write into (length of `values`, not sharing memory with it); a new one by default. */
  out?: Float64Array;
}

/**
 * Simple moving average: the mean of the last `period` values, including the current one.
 *
 * - Warm-up: the first `period - 1` values are NaN ({@link smaWarmup}).
 * - Missing values (NaN, ±Infinity): a window that contains one gives NaN; the average
 *   comes back as soon as the missing value leaves the window.
 * - O(n): a running sum of deviations from an anchor value (so prices like 1e9 keep their
 *   digits), rebuilt exactly from the window every `max(period, 1024)` bars so add/remove
 *   rounding cannot accumulate.
 *   Same values as TA-Lib `SMA` and pandas `rolling(period).mean()` (to rounding).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { sma } from "./sma.ts";
 * const out = sma(Float64Array.of(1, 2, 3, 4, 5), 3);
 * assert.deepEqual([...out], [NaN, NaN, 2, 3, 4]);
 * ```
 */
export function sma(values: Float64Array, period: number, options: SmaOptions = {}): Float64Array {
  checkSeries("sma", "values", values);
  checkPeriod("sma", "period", period);
  const n = values.length;
  const out = prepareOut("sma", "options.out", n, options.out, [values]);
  const head = Math.min(period, n);
  let anchor = firstFinite(values);
  let sum = 0;
  let bad = 0;
  for (let i = 0; i < head; i++) {
    const x = values[i]!;
    if (x - x === 0) {
      sum += x - anchor;
    } else {
      bad++;
    }
    out[i] = i < period - 1 || bad > 0 ? NaN : anchor + sum / period;
  }
  // Blocks of `interval` bars; between blocks the state is rebuilt exactly from the window, so
  // add/remove rounding cannot accumulate and the anchor follows the price. Running each block
  // in its own small function lets V8 optimize the hot loop as a whole.
  const interval = Math.max(period, 1024);
  for (let from = period; from < n;) {
    const to = Math.min(n, (Math.floor(from / interval) + 1) * interval);
    smaBlock(values, period, from, to, anchor, sum, bad, out);
    if (to >= n) break;
    const last = values[to - 1]!;
    if (last - last === 0) anchor = last;
    sum = 0;
    bad = 0;
    for (let j = to - period; j < to; j++) {
      const y = values[j]!;
      if (y - y === 0) sum += y - anchor;
      else bad++;
    }
    from = to;
  }
  return out;
}

function smaBlock(
  values: Float64Array,
  period: number,
  from: number,
  to: number,
  anchor: number,
  sum: number,
  bad: number,
  out: Float64Array,
): void {
  for (let i = from; i < to; i++) {
    const x = values[i]!;
    const y = values[i - period]!;
    if (x - x === 0) sum += x - anchor;
    else bad++;
    if (y - y === 0) sum -= y - anchor;
    else bad--;
    out[i] = bad > 0 ? NaN : anchor + sum / period;
  }
}

/** Number of leading NaN values of {@link sma} (index of the first value): `period - 1`. */
export function smaWarmup(period: number): number {
  checkPeriod("smaWarmup", "period", period);
  return period - 1;
}
