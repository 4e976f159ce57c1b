import { checkPeriod } from "../_validate.ts";
import { checkColumn } from "./_check_column.ts";
import type { IndicatorStream, StreamBar, StreamColumn } from "./indicator_stream.ts";

/** Options for {@link WmaStream}. */
export interface WmaStreamOptions {
  /** Bar field to average; default `"close"`. */
  column?: StreamColumn;
}

/**
 * Incremental {@link import("../wma.ts").wma}: after each push, `value` is `Object.is`-equal
 * to `wma(values, period)` at that index. It replays `wma`'s running sums (TA-Lib's update)
 * and its exact rebuilds at every multiple of `max(period, 1024)` bars. O(1) amortized.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { WmaStream } from "./wma_stream.ts";
 * const s = new WmaStream(2);
 * assert.deepEqual([3, 6, 9].map((x) => s.update(x)), [NaN, 5, 8]);
 * ```
 */
export class WmaStream implements IndicatorStream {
  /** Bar field read by {@link push}. */
  readonly column: StreamColumn;
  /** Window length in bars. */
  readonly period: number;
  #weights: number;
  #interval: number;
  #ring: Float64Array;
  #pos = 0;
  #count = 0;
  #anchor = 0;
  #anchored = false;
  #num = 0;
  #sum = 0;
  #bad = 0;
  #value = NaN;

  /** Throws for a bad period or an unknown column. */
  constructor(period: number, options: WmaStreamOptions = {}) {
    checkPeriod("WmaStream", "period", period);
    this.column = checkColumn("WmaStream", options.column);
    this.period = period;
    this.#weights = period * (period + 1) / 2;
    this.#interval = Math.max(period, 1024);
    this.#ring = new Float64Array(period);
  }

  /** Value after the last push; NaN during warm-up and while the window holds a missing value. */
  get value(): number {
    return this.#value;
  }

  /** Number of values pushed so far. */
  get count(): number {
    return this.#count;
  }

  /** Feeds `bar[column]`. */
  push(bar: StreamBar): number {
    return this.update(bar[this.column]);
  }

  /** Feeds one value and returns the new average. */
  update(x: number): number {
    const period = this.period;
    const i = this.#count++;
    const ring = this.#ring;
    const pos = this.#pos;
    if (i > period && i % this.#interval === 0) this.#rebuild();
    const finite = x - x === 0;
    // wma() anchors at the first finite value of the whole series; nothing before it counts.
    if (finite && !this.#anchored) {
      this.#anchor = x;
      this.#anchored = true;
    }
    const anchor = this.#anchor;
    let d = 0;
    if (finite) d = x - anchor;
    else this.#bad++;
    this.#num += period * d - this.#sum;
    this.#sum += d;
    if (i < period) {
      this.#value = i < period - 1 || this.#bad > 0 ? NaN : anchor + this.#num / this.#weights;
    } else {
      const y = ring[pos]!;
      if (y - y === 0) this.#sum -= y - anchor;
      else this.#bad--;
      this.#value = this.#bad > 0 ? NaN : anchor + this.#num / this.#weights;
    }
    ring[pos] = x;
    this.#pos = pos + 1 === period ? 0 : pos + 1;
    return this.#value;
  }

  // wma()'s block boundary: exact sums of the window that ends at the previous bar.
  #rebuild(): void {
    const ring = this.#ring;
    const period = this.period;
    const pos = this.#pos;
    const last = ring[pos === 0 ? period - 1 : pos - 1]!;
    if (last - last === 0) this.#anchor = last;
    const anchor = this.#anchor;
    let num = 0;
    let sum = 0;
    let bad = 0;
    for (let k = 0, j = pos; k < period; k++) {
      const y = ring[j]!;
      if (y - y === 0) {
        sum += y - anchor;
        num += (k + 1) * (y - anchor);
      } else {
        bad++;
      }
      j = j + 1 === period ? 0 : j + 1;
    }
    this.#num = num;
    this.#sum = sum;
    this.#bad = bad;
  }
}
