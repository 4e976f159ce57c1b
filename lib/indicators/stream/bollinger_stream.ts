import { checkDdof, checkFinite, checkPeriod } from "../_validate.ts";
import { checkColumn } from "./_check_column.ts";
import { RollingMeanStd } from "./_rolling_mean_std.ts";
import type { IndicatorStream, StreamBar, StreamColumn } from "./indicator_stream.ts";

/** Options for {@link BollingerStream}; `mult` and `ddof` mirror `bollingerBands()`'s options. */
export interface BollingerStreamOptions {
  /** Bar field to read; default `"close"`. */
  column?: StreamColumn;
  /** Width of the bands in standard deviations; default 2. */
  mult?: number;
  /** Delta degrees of freedom of the deviation; default 0 (population). */
  ddof?: number;
}

/**
 * Incremental {@link import("../bollinger_bands.ts").bollingerBands}: after each push,
 * `middle`, `upper`, `lower`, `bandwidth` and `percentB` are `Object.is`-equal to the five
 * series of `bollingerBands(values, period, { mult, ddof })` at that index. `push` returns the
 * middle band. O(1) amortized per push (see the rolling deviation's rebuild schedule).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { BollingerStream } from "./bollinger_stream.ts";
 * const s = new BollingerStream(3, { mult: 1 });
 * for (const x of [1, 2, 3]) s.update(x);
 * assert.equal(s.middle, 2);
 * assert.equal(s.upper, 2 + Math.sqrt(2 / 3));
 * assert.equal(s.percentB, (3 - s.lower) / (s.upper - s.lower));
 * ```
 */
export class BollingerStream implements IndicatorStream {
  /** Bar field read by {@link push}. */
  readonly column: StreamColumn;
  /** Window length in bars. */
  readonly period: number;
  /** Width of the bands in standard deviations. */
  readonly mult: number;
  #stats: RollingMeanStd;
  #upper = NaN;
  #lower = NaN;
  #bandwidth = NaN;
  #percentB = NaN;

  /** Throws for a bad period, a non-finite `mult`, a bad `ddof` or an unknown column. */
  constructor(period = 20, options: BollingerStreamOptions = {}) {
    const fn = "BollingerStream";
    checkPeriod(fn, "period", period);
    const mult = options.mult ?? 2;
    checkFinite(fn, "mult", mult);
    const ddof = options.ddof ?? 0;
    checkDdof(fn, ddof);
    this.column = checkColumn(fn, options.column);
    this.period = period;
    this.mult = mult;
    this.#stats = new RollingMeanStd(period, ddof);
  }

  /** Middle band after the last push (same as {@link middle}). */
  get value(): number {
    return this.#stats.mean;
  }

  /** SMA of the window. */
  get middle(): number {
    return this.#stats.mean;
  }

  /** `middle + mult * std`. */
  get upper(): number {
    return this.#upper;
  }

  /** `middle - mult * std`. */
  get lower(): number {
    return this.#lower;
  }

  /** `(upper - lower) / middle`. */
  get bandwidth(): number {
    return this.#bandwidth;
  }

  /** `(x - lower) / (upper - lower)`; 0.5 when the bands coincide. */
  get percentB(): number {
    return this.#percentB;
  }

  /** Number of values pushed so far. */
  get count(): number {
    return this.#stats.count;
  }

  /** Feeds `bar[column]`; returns the middle band. */
  push(bar: StreamBar): number {
    return this.update(bar[this.column]);
  }

  /** Feeds one value; returns the middle band. */
  update(x: number): number {
    const stats = this.#stats;
    stats.update(x);
    const m = stats.mean;
    const w = this.mult * stats.std;
    const up = m + w;
    const lo = m - w;
    this.#upper = up;
    this.#lower = lo;
    this.#bandwidth = (up - lo) / m;
    this.#percentB = up === lo ? 0.5 : (x - lo) / (up - lo);
    return m;
  }
}
