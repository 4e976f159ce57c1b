import { checkColumns, checkDistinct, checkPeriod, prepareOut } from "./_validate.ts";
import type { HighLowClose } from "./types.ts";

/** The three series of {@link adx}. */
export interface Adx {
  /** Average Directional Index, 0..100. */
  adx: Float64Array;
  /** Plus Directional Indicator (+DI), 0..100. */
  plusDI: Float64Array;
  /** Minus Directional Indicator (-DI), 0..100. */
  minusDI: Float64Array;
}

/** Options for {@link adx}. */
export interface AdxOptions {
  /** Buffers to write into (each of the input's length, all distinct); missing ones are allocated. */
  out?: Partial<Adx>;
}

/** First defined index of each {@link adx} series. */
export interface AdxWarmup {
  adx: number;
  plusDI: number;
  minusDI: number;
}

/**
 * Wilder's Directional Movement System: +DI, -DI and ADX (Wilder 1978; StockCharts
 * ChartSchool "Average Directional Index", TA-Lib `ADX`/`PLUS_DI`/`MINUS_DI`).
 *
 * - From bar 1: `up = high - prevHigh`, `down = prevLow - low`; `+DM = up` if `up > down` and
 *   `up > 0`, else 0; `-DM` likewise; TR is the true range.
 * - Seeding (Wilder): TR, +DM and -DM are summed over the first `period` bars (bars 1..period),
 *   then smoothed as `sum = sum - sum / period + current`. `+DI = 100 * +DM14 / TR14`, so the
 *   DIs start at index `period`. `DX = 100 * |+DI - -DI| / (+DI + -DI)`; the first ADX is the
 *   average of the first `period` DX values (index `2 * period - 1`), then
 *   `adx = (prev * (period - 1) + dx) / period` ({@link adxWarmup}).
 * - TA-Lib seeds differently: it sums `period - 1` bars (1..13 for 14) and applies the
 *   smoothing step at bar `period`, so its first sums are `s13 - s13 / 14 + x14` where ours are
 *   the plain 14-bar sums (Wilder's). Both start at index `period`; the values differ at first
 *   and converge as the seed decays (by `(period - 1) / period` a bar). StockCharts follows Wilder.
 * - Flat markets: a zero TR sum gives DIs of 0, and DIs summing to 0 give DX 0 (no trend).
 * - Missing values (NaN, ±Infinity): a bar whose high, low or close, or whose previous bar's,
 *   is missing gives NaN in all three series and is skipped (the sums carry over).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { adx } from "./adx.ts";
 * // A steady uptrend: +DM every bar, no -DM, so +DI is high, -DI is 0 and ADX is 100.
 * const high = Float64Array.from({ length: 10 }, (_, i) => 11 + i);
 * const low = Float64Array.from({ length: 10 }, (_, i) => 9 + i);
 * const close = Float64Array.from({ length: 10 }, (_, i) => 10 + i);
 * const d = adx({ high, low, close }, 3);
 * assert.ok(Number.isNaN(d.plusDI[2]!));
 * assert.equal(d.plusDI[3], 50); // +DM 1 per bar over TR 2 per bar
 * assert.equal(d.minusDI[3], 0);
 * assert.equal(d.adx[5], 100);
 * ```
 */
export function adx(bars: HighLowClose, period = 14, options: AdxOptions = {}): Adx {
  const fn = "adx";
  const { high, low, close } = bars;
  const n = checkColumns(fn, { high, low, close });
  checkPeriod(fn, "period", period);
  const o = options.out ?? {};
  const inputs = [high, low, close];
  const adxOut = prepareOut(fn, "out.adx", n, o.adx, inputs);
  const plusDI = prepareOut(fn, "out.plusDI", n, o.plusDI, inputs);
  const minusDI = prepareOut(fn, "out.minusDI", n, o.minusDI, inputs);
  checkDistinct(fn, { adx: adxOut, plusDI, minusDI });
  if (n === 0) return { adx: adxOut, plusDI, minusDI };
  adxOut[0] = plusDI[0] = minusDI[0] = NaN;
  let count = 0;
  let trSum = 0;
  let plusSum = 0;
  let minusSum = 0;
  let dxCount = 0;
  let adxValue = 0;
  for (let i = 1; i < n; i++) {
    const h = high[i]!;
    const l = low[i]!;
    const ph = high[i - 1]!;
    const pl = low[i - 1]!;
    const pc = close[i - 1]!;
    const c = close[i]!;
    const up = h - ph;
    const down = pl - l;
    const range = h - l;
    const gapUp = Math.abs(h - pc);
    const gapDown = Math.abs(l - pc);
    // One test for all six inputs: any NaN or infinity makes the sum NaN.
    const probe = up + down + range + gapUp + gapDown + c;
    if (!(probe - probe === 0)) {
      adxOut[i] = plusDI[i] = minusDI[i] = NaN;
      continue;
    }
    const plusDM = up > down && up > 0 ? up : 0;
    const minusDM = down > up && down > 0 ? down : 0;
    let tr = range;
    if (gapUp > tr) tr = gapUp;
    if (gapDown > tr) tr = gapDown;
    if (count < period) {
      trSum += tr;
      plusSum += plusDM;
      minusSum += minusDM;
      if (++count < period) {
        adxOut[i] = plusDI[i] = minusDI[i] = NaN;
        continue;
      }
    } else {
      trSum = trSum - trSum / period + tr;
      plusSum = plusSum - plusSum / period + plusDM;
      minusSum = minusSum - minusSum / period + minusDM;
    }
    const pdi = trSum > 0 ? 100 * plusSum / trSum : 0;
    const mdi = trSum > 0 ? 100 * minusSum / trSum : 0;
    plusDI[i] = pdi;
    minusDI[i] = mdi;
    const total = pdi + mdi;
    const dx = total > 0 ? 100 * Math.abs(pdi - mdi) / total : 0;
    if (dxCount < period) {
      adxValue += dx;
      if (++dxCount < period) {
        adxOut[i] = NaN;
        continue;
      }
      adxValue /= period;
    } else {
      adxValue = (adxValue * (period - 1) + dx) / period;
    }
    adxOut[i] = adxValue;
  }
  return { adx: adxOut, plusDI, minusDI };
}

/** First defined index of each {@link adx} series: `period` for the DIs, `2 * period - 1` for ADX. */
export function adxWarmup(period = 14): AdxWarmup {
  checkPeriod("adxWarmup", "period", period);
  return { adx: 2 * period - 1, plusDI: period, minusDI: period };
}
