import { checkDdof, checkPeriod } from "../_validate.ts";
import { checkColumn } from "./_check_column.ts";
import { RollingMeanStd } from "./_rolling_mean_std.ts";
import type { IndicatorStream, StreamBar, StreamColumn } from "./indicator_stream.ts";

/** Options for {@link RollingStdStream}. */
export interface RollingStdStreamOptions {
  /** Bar field to read; default `"close"`. */
  column?: StreamColumn;
  /** Delta degrees of freedom (divisor `period - ddof`); default 0, as `rollingStd()`. */
  ddof?: number;
}

/**
 * Incremental {@link import("../rolling_std.ts").rollingStd}: after each push, `value` is
 * `Object.is`-equal to `rollingStd(values, period, { ddof })` at that index. O(1) amortized.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { RollingStdStream } from "./rolling_std_stream.ts";
 * const s = new RollingStdStream(8);
 * for (const x of [2, 4, 4, 4, 5, 5, 7, 9]) s.update(x);
 * assert.equal(s.value, 2);
 * ```
 */
export class RollingStdStream implements IndicatorStream {
  /** Bar field read by {@link push}. */
  readonly column: StreamColumn;
  /** Window length in bars. */
  readonly period: number;
  #stats: RollingMeanStd;

  /** Throws for a bad period, a bad `ddof` or an unknown column. */
  constructor(period: number, options: RollingStdStreamOptions = {}) {
    checkPeriod("RollingStdStream", "period", period);
    const ddof = options.ddof ?? 0;
    checkDdof("RollingStdStream", ddof);
    this.column = checkColumn("RollingStdStream", options.column);
    this.period = period;
    this.#stats = new RollingMeanStd(period, ddof);
  }

  /** Deviation after the last push; NaN during warm-up and while the window holds a missing value. */
  get value(): number {
    return this.#stats.std;
  }

  /** Number of values pushed so far. */
  get count(): number {
    return this.#stats.count;
  }

  /** Feeds `bar[column]`. */
  push(bar: StreamBar): number {
    return this.update(bar[this.column]);
  }

  /** Feeds one value and returns the new deviation. */
  update(x: number): number {
    this.#stats.update(x);
    return this.#stats.std;
  }
}
