import { checkPeriod, checkSeries, prepareOut } from "./_validate.ts";

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
 * - O(n): a compensated running sum (Knuth TwoSum) of the window, as pandas keeps its rolling
 *   mean, so a huge value that leaves the window takes its rounding with it; rebuilt exactly
 *   from the window every `max(period, 1024)` bars so the error cannot accumulate. The mean is
 *   exact to a few ulps of its own size (1e9 + 1e-3 noise keeps its digits).
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
  // state: sum, compensation, bad count.
  const st = new Float64Array(3);
  for (let i = 0; i < head; i++) {
    const x = values[i]!;
    if (x - x === 0) add(st, x);
    else st[2]!++;
    out[i] = i < period - 1 || st[2]! > 0 ? NaN : (st[0]! + st[1]!) / period;
  }
  // Blocks of `interval` bars; between blocks the state is rebuilt exactly from the window, so
  // rounding cannot accumulate. Running each block in its own small function lets V8 optimize
  // the hot loop as a whole.
  const interval = Math.max(period, 1024);
  for (let from = period; from < n;) {
    const to = Math.min(n, (Math.floor(from / interval) + 1) * interval);
    smaBlock(values, period, from, to, st, out);
    if (to >= n) break;
    st.fill(0);
    for (let j = to - period; j < to; j++) {
      const y = values[j]!;
      if (y - y === 0) add(st, y);
      else st[2]!++;
    }
    from = to;
  }
  return out;
}

/** TwoSum step: st[0] += x, with the exact rounding error added to st[1]. */
function add(st: Float64Array, x: number): void {
  const s = st[0]!, t = s + x, b = t - s;
  st[1] = st[1]! + ((s - (t - b)) + (x - b));
  st[0] = t;
}

function smaBlock(
  values: Float64Array,
  period: number,
  from: number,
  to: number,
  st: Float64Array,
  out: Float64Array,
): void {
  let sum = st[0]!, c = st[1]!, bad = st[2]!;
  for (let i = from; i < to; i++) {
    const x = values[i]!;
    const y = values[i - period]!;
    // Knuth's branch-free TwoSum: `c` gets the exact rounding error of each update.
    if (x - x === 0) {
      const t = sum + x, b = t - sum;
      c += (sum - (t - b)) + (x - b);
      sum = t;
    } else bad++;
    if (y - y === 0) {
      const t = sum - y, b = t - sum;
      c += (sum - (t - b)) - (y + b);
      sum = t;
    } else bad--;
    out[i] = bad > 0 ? NaN : (sum + c) / period;
  }
  st[0] = sum;
  st[1] = c;
  st[2] = bad;
}

/** Number of leading NaN values of {@link sma} (index of the first value): `period - 1`. */
export function smaWarmup(period: number): number {
  checkPeriod("smaWarmup", "period", period);
  return period - 1;
}
