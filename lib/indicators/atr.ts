import { checkColumns, checkPeriod, prepareOut } from "./_validate.ts";
import type { HighLowClose } from "./types.ts";

/** Options for {@link atr}. */
export interface AtrOptions {
  /** Buffer to write into (length of the input, not sharing memory with it); a new one by default. */
  out?: Float64Array;
}

/**
 * Average True Range with Wilder's smoothing (Wilder 1978, StockCharts ChartSchool).
 *
 * - True range: `max(high - low, |high - prevClose|, |low - prevClose|)`; on the first bar,
 *   which has no previous close, `high - low`.
 * - Seeding: the first ATR is the simple average of the first `period` true ranges (bar 0
 *   included, as in StockCharts' cs-atr.xls, which the tests reproduce), so it is at index
 *   `period - 1` ({@link atrWarmup}); then `atr = (prev * (period - 1) + tr) / period`.
 *   TA-Lib `ATR` skips bar 0 and starts one bar later, so early values differ slightly.
 * - Missing values (NaN, ±Infinity): a bar with a missing high, low or close, or whose
 *   previous close is missing, gives NaN and is skipped (the average carries over).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { atr } from "./atr.ts";
 * const bars = {
 *   high: Float64Array.of(11, 12, 15),
 *   low: Float64Array.of(9, 10, 13),
 *   close: Float64Array.of(10, 11, 14),
 * };
 * // true ranges 2, 2, 4 (15 - 11): seed (2 + 2) / 2 = 2, then (2 * 1 + 4) / 2 = 3
 * assert.deepEqual([...atr(bars, 2)], [NaN, 2, 3]);
 * ```
 */
export function atr(bars: HighLowClose, period = 14, options: AtrOptions = {}): Float64Array {
  const { high, low, close } = bars;
  const n = checkColumns("atr", { high, low, close });
  checkPeriod("atr", "period", period);
  const out = prepareOut("atr", "options.out", n, options.out, [high, low, close]);
  let count = 0;
  let avg = 0;
  for (let i = 0; i < n; i++) {
    const h = high[i]!;
    const l = low[i]!;
    let tr = h - l;
    if (i > 0) {
      const pc = close[i - 1]!;
      const up = Math.abs(h - pc);
      const down = Math.abs(l - pc);
      if (up > tr) tr = up;
      if (down > tr) tr = down;
      // A missing previous close makes both gaps NaN, which the comparisons above ignore.
      if (!(up - up === 0)) tr = NaN;
    }
    const c = close[i]!;
    if (!(tr - tr === 0 && c - c === 0)) {
      out[i] = NaN;
      continue;
    }
    if (count < period) {
      avg += tr;
      if (++count < period) {
        out[i] = NaN;
        continue;
      }
      avg /= period;
    } else {
      avg = (avg * (period - 1) + tr) / period;
    }
    out[i] = avg;
  }
  return out;
}

/** Number of leading NaN values of {@link atr}: `period - 1`. */
export function atrWarmup(period = 14): number {
  checkPeriod("atrWarmup", "period", period);
  return period - 1;
}
