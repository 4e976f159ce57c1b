import { checkPeriod } from "../_validate.ts";
import type { IndicatorStream, StreamBar } from "./indicator_stream.ts";

/**
 * Incremental {@link import("../atr.ts").atr} (Wilder's smoothing of the true range): after
 * each push, `value` is `Object.is`-equal to `atr({ high, low, close }, period)` at that index.
 * A bar with a missing high, low or close, or whose previous close is missing, gives NaN and
 * the average carries over. O(1) per push.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { AtrStream } from "./atr_stream.ts";
 * const s = new AtrStream(2);
 * const out = [[11, 9, 10], [12, 10, 11], [15, 13, 14]].map(([high, low, close]) =>
 *   s.push({ open: close!, high: high!, low: low!, close: close!, volume: 1 })
 * );
 * assert.deepEqual(out, [NaN, 2, 3]);
 * ```
 */
export class AtrStream implements IndicatorStream {
  /** Number of true ranges in the average. */
  readonly period: number;
  #prevClose = NaN;
  #seen = 0;
  #avg = 0;
  #count = 0;
  #value = NaN;

  /** Throws a RangeError unless `period` is a positive integer. */
  constructor(period = 14) {
    checkPeriod("AtrStream", "period", period);
    this.period = period;
  }

  /** Value after the last push; NaN during warm-up and at a missing bar. */
  get value(): number {
    return this.#value;
  }

  /** Number of bars pushed so far. */
  get count(): number {
    return this.#count;
  }

  /** Feeds the bar's high, low and close. */
  push(bar: StreamBar): number {
    return this.update(bar.high, bar.low, bar.close);
  }

  /** Feeds one bar's high, low and close; returns the new ATR. */
  update(h: number, l: number, c: number): number {
    const pc = this.#prevClose;
    this.#prevClose = c;
    let tr = h - l;
    if (this.#count++ > 0) {
      const up = Math.abs(h - pc);
      const down = Math.abs(l - pc);
      if (up > tr) tr = up;
      if (down > tr) tr = down;
      if (!(up - up === 0)) tr = NaN;
    }
    if (!(tr - tr === 0 && c - c === 0)) return (this.#value = NaN);
    const period = this.period;
    if (this.#seen < period) {
      this.#avg += tr;
      if (++this.#seen < period) return (this.#value = NaN);
      this.#avg /= period;
    } else {
      this.#avg = (this.#avg * (period - 1) + tr) / period;
    }
    return (this.#value = this.#avg);
  }
}
