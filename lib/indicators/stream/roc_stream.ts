import { checkPeriod } from "../_validate.ts";
import { checkColumn } from "./_check_column.ts";
import type { IndicatorStream, StreamBar, StreamColumn } from "./indicator_stream.ts";

/** Options for {@link RocStream}. */
export interface RocStreamOptions {
  /** Bar field to read; default `"close"`. */
  column?: StreamColumn;
}

/**
 * Incremental {@link import("../roc.ts").roc}: after each push, `value` is `Object.is`-equal
 * to `roc(values, period)` at that index (percent change over `period` bars; missing values
 * reach the two bars that use them, a zero base gives ±Infinity or NaN). O(1) per push.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { RocStream } from "./roc_stream.ts";
 * const s = new RocStream(1);
 * assert.deepEqual([100, 110, 99].map((x) => s.update(x)), [NaN, 10, -10]);
 * ```
 */
export class RocStream implements IndicatorStream {
  /** Bar field read by {@link push}. */
  readonly column: StreamColumn;
  /** Look-back in bars. */
  readonly period: number;
  #ring: Float64Array;
  #pos = 0;
  #count = 0;
  #value = NaN;

  /** Throws for a bad period or an unknown column. */
  constructor(period: number, options: RocStreamOptions = {}) {
    checkPeriod("RocStream", "period", period);
    this.column = checkColumn("RocStream", options.column);
    this.period = period;
    this.#ring = new Float64Array(period);
  }

  /** Value after the last push, in percent; NaN during warm-up. */
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

  /** Feeds one value and returns the new rate of change. */
  update(x: number): number {
    const ring = this.#ring;
    const pos = this.#pos;
    const base = ring[pos]!;
    this.#value = this.#count++ < this.period ? NaN : 100 * (x - base) / base;
    ring[pos] = x;
    this.#pos = pos + 1 === this.period ? 0 : pos + 1;
    return this.#value;
  }
}
