import { checkPeriod } from "../_validate.ts";
import type { IndicatorStream, StreamBar } from "./indicator_stream.ts";

/**
 * Incremental {@link import("../adx.ts").adx} (Wilder's Directional Movement System): after
 * each push, `adx`, `plusDI` and `minusDI` are `Object.is`-equal to the three series of
 * `adx({ high, low, close }, period)` at that index. `push` returns the ADX. A bar whose
 * high, low or close, or whose previous bar's, is missing gives NaN in all three and the sums
 * carry over. O(1) per push.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { AdxStream } from "./adx_stream.ts";
 * const s = new AdxStream(3);
 * for (let i = 0; i < 6; i++) s.update(11 + i, 9 + i, 10 + i); // a steady uptrend
 * assert.equal(s.plusDI, 50);
 * assert.equal(s.minusDI, 0);
 * assert.equal(s.adx, 100);
 * ```
 */
export class AdxStream implements IndicatorStream {
  /** Smoothing period of the sums and of the ADX. */
  readonly period: number;
  #ph = NaN;
  #pl = NaN;
  #pc = NaN;
  #seen = 0;
  #trSum = 0;
  #plusSum = 0;
  #minusSum = 0;
  #dxSeen = 0;
  #adxValue = 0;
  #adx = NaN;
  #plusDI = NaN;
  #minusDI = NaN;
  #count = 0;

  /** Throws a RangeError unless `period` is a positive integer. */
  constructor(period = 14) {
    checkPeriod("AdxStream", "period", period);
    this.period = period;
  }

  /** ADX after the last push (same as {@link adx}). */
  get value(): number {
    return this.#adx;
  }

  /** Average Directional Index, 0..100; NaN during warm-up and at a missing bar. */
  get adx(): number {
    return this.#adx;
  }

  /** Plus Directional Indicator, 0..100. */
  get plusDI(): number {
    return this.#plusDI;
  }

  /** Minus Directional Indicator, 0..100. */
  get minusDI(): number {
    return this.#minusDI;
  }

  /** Number of bars pushed so far. */
  get count(): number {
    return this.#count;
  }

  /** Feeds the bar's high, low and close; returns the ADX. */
  push(bar: StreamBar): number {
    return this.update(bar.high, bar.low, bar.close);
  }

  /** Feeds one bar's high, low and close; returns the ADX. */
  update(h: number, l: number, c: number): number {
    const ph = this.#ph;
    const pl = this.#pl;
    const pc = this.#pc;
    this.#ph = h;
    this.#pl = l;
    this.#pc = c;
    // The first bar has no previous one: the NaN previous values blank it below.
    this.#count++;
    const up = h - ph;
    const down = pl - l;
    const range = h - l;
    const gapUp = Math.abs(h - pc);
    const gapDown = Math.abs(l - pc);
    const probe = up + down + range + gapUp + gapDown + c;
    if (!(probe - probe === 0)) return this.#blank();
    const plusDM = up > down && up > 0 ? up : 0;
    const minusDM = down > up && down > 0 ? down : 0;
    let tr = range;
    if (gapUp > tr) tr = gapUp;
    if (gapDown > tr) tr = gapDown;
    const period = this.period;
    if (this.#seen < period) {
      this.#trSum += tr;
      this.#plusSum += plusDM;
      this.#minusSum += minusDM;
      if (++this.#seen < period) return this.#blank();
    } else {
      this.#trSum = this.#trSum - this.#trSum / period + tr;
      this.#plusSum = this.#plusSum - this.#plusSum / period + plusDM;
      this.#minusSum = this.#minusSum - this.#minusSum / period + minusDM;
    }
    const trSum = this.#trSum;
    const pdi = trSum > 0 ? 100 * this.#plusSum / trSum : 0;
    const mdi = trSum > 0 ? 100 * this.#minusSum / trSum : 0;
    this.#plusDI = pdi;
    this.#minusDI = mdi;
    const total = pdi + mdi;
    const dx = total > 0 ? 100 * Math.abs(pdi - mdi) / total : 0;
    if (this.#dxSeen < period) {
      this.#adxValue += dx;
      if (++this.#dxSeen < period) return (this.#adx = NaN);
      this.#adxValue /= period;
    } else {
      this.#adxValue = (this.#adxValue * (period - 1) + dx) / period;
    }
    return (this.#adx = this.#adxValue);
  }

  #blank(): number {
    this.#plusDI = this.#minusDI = NaN;
    return (this.#adx = NaN);
  }
}
