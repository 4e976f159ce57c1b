import { checkPeriod } from "../_validate.ts";
import { checkColumn } from "./_check_column.ts";
import type { IndicatorStream, StreamBar, StreamColumn } from "./indicator_stream.ts";

/** Options for {@link SmaStream}. */
export interface SmaStreamOptions {
  /** Bar field to average; default `"close"`. */
  column?: StreamColumn;
}

/**
 * Incremental {@link import("../sma.ts").sma}: after each push, `value` is `Object.is`-equal
 * to `sma(values, period)` at that index, warm-up NaNs and missing-value windows included.
 *
 * It replays the vectorized arithmetic: deviations from the first finite value, and an exact
 * rebuild of the sum from the window at every multiple of `max(period, 1024)` bars (past the
 * first window), so it rounds exactly as `sma` does. O(1) per push, amortized.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { SmaStream } from "./sma_stream.ts";
 * const s = new SmaStream(3);
 * assert.deepEqual([1, 2, 3, 4, 5].map((x) => s.update(x)), [NaN, NaN, 2, 3, 4]);
 * ```
 */
export class SmaStream implements IndicatorStream {
  /** Bar field read by {@link push}. */
  readonly column: StreamColumn;
  /** Window length in bars. */
  readonly period: number;
  #ring: Float64Array;
  #pos = 0;
  #count = 0;
  #interval: number;
  #anchor = 0;
  #anchored = false;
  #sum = 0;
  #bad = 0;
  #value = NaN;

  /** Throws for a bad period or an unknown column. */
  constructor(period: number, options: SmaStreamOptions = {}) {
    checkPeriod("SmaStream", "period", period);
    this.column = checkColumn("SmaStream", options.column);
    this.period = period;
    this.#ring = new Float64Array(period);
    this.#interval = Math.max(period, 1024);
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
    // sma() anchors at the first finite value of the whole series; nothing before it counts.
    if (finite && !this.#anchored) {
      this.#anchor = x;
      this.#anchored = true;
    }
    const anchor = this.#anchor;
    if (finite) this.#sum += x - anchor;
    else this.#bad++;
    if (i < period) {
      this.#value = i < period - 1 || this.#bad > 0 ? NaN : anchor + this.#sum / period;
    } else {
      const y = ring[pos]!;
      if (y - y === 0) this.#sum -= y - anchor;
      else this.#bad--;
      this.#value = this.#bad > 0 ? NaN : anchor + this.#sum / period;
    }
    ring[pos] = x;
    this.#pos = pos + 1 === period ? 0 : pos + 1;
    return this.#value;
  }

  // sma()'s block boundary: the exact sum of the window that ends at the previous bar, anchored
  // at that bar when it is finite. The ring's oldest value sits at #pos.
  #rebuild(): void {
    const ring = this.#ring;
    const period = this.period;
    const pos = this.#pos;
    const last = ring[pos === 0 ? period - 1 : pos - 1]!;
    if (last - last === 0) this.#anchor = last;
    const anchor = this.#anchor;
    let sum = 0;
    let bad = 0;
    for (let k = 0, j = pos; k < period; k++) {
      const y = ring[j]!;
      if (y - y === 0) sum += y - anchor;
      else bad++;
      j = j + 1 === period ? 0 : j + 1;
    }
    this.#sum = sum;
    this.#bad = bad;
  }
}
