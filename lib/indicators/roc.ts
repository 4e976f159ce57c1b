import { checkPeriod, checkSeries, prepareOut } from "./_validate.ts";

/** Options for {@link roc}. */
export interface RocOptions {
  /** Buffer to write into (length of `values`, not sharing memory with it); a new one by default. */
  out?: Float64Array;
}

/**
 * Rate of change in percent: `100 * (x[i] - x[i - period]) / x[i - period]` (StockCharts,
 * TA-Lib `ROC`; TA-Lib `ROCP` is the same divided by 100).
 *
 * - Warm-up: the first `period` values are NaN ({@link rocWarmup}).
 * - Missing values propagate to the two bars that use them; a zero base gives ±Infinity
 *   (or NaN for 0/0).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { roc } from "./roc.ts";
 * assert.deepEqual([...roc(Float64Array.of(100, 110, 99), 1)], [NaN, 10, -10]);
 * ```
 */
export function roc(values: Float64Array, period: number, options: RocOptions = {}): Float64Array {
  checkSeries("roc", "values", values);
  checkPeriod("roc", "period", period);
  const n = values.length;
  const out = prepareOut("roc", "options.out", n, options.out, [values]);
  const head = Math.min(period, n);
  for (let i = 0; i < head; i++) out[i] = NaN;
  for (let i = period; i < n; i++) {
    const base = values[i - period]!;
    out[i] = 100 * (values[i]! - base) / base;
  }
  return out;
}

/** Number of leading NaN values of {@link roc}: `period`. */
export function rocWarmup(period: number): number {
  checkPeriod("rocWarmup", "period", period);
  return period;
}
