import { checkDdof, checkPeriod } from "../_validate.ts";
import { checkColumn } from "./_check_column.ts";
import { RollingMeanStd } from "./_rolling_mean_std.ts";
import type { IndicatorStream, StreamBar, StreamColumn } from "./indicator_stream.ts";

/** Options for {@link ZScoreStream}. */
export interface ZScoreStreamOptions {
  /** Bar field to read; default `"close"`. */
  column?: StreamColumn;
  /** Delta degrees of freedom of the deviation; default 1 (sample), as `zScore()`. */
  ddof?: number;
}

/**
 * Incremental {@link import("../z_score.ts").zScore}: after each push, `value` is
 * `Object.is`-equal to `zScore(values, period, { ddof })` at that index (0 for a flat window).
 * O(1) amortized.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { ZScoreStream } from "./z_score_stream.ts";
 * const s = new ZScoreStream(3);
 * assert.deepEqual([1, 2, 3].map((x) => s.update(x)), [NaN, NaN, 1]);
 * ```
 */
export class ZScoreStream implements IndicatorStream {
  /** Bar field read by {@link push}. */
  readonly column: StreamColumn;
  /** Window length in bars. */
  readonly period: number;
  #stats: RollingMeanStd;
  #value = NaN;

  /** Throws for a bad period, a bad `ddof` or an unknown column. */
  constructor(period: number, options: ZScoreStreamOptions = {}) {
    checkPeriod("ZScoreStream", "period", period);
    const ddof = options.ddof ?? 1;
    checkDdof("ZScoreStream", ddof);
    this.column = checkColumn("ZScoreStream", options.column);
    this.period = period;
    this.#stats = new RollingMeanStd(period, ddof);
  }

  /** Z-score after the last push; NaN during warm-up and while the window holds a missing value. */
  get value(): number {
    return this.#value;
  }

  /** Number of values pushed so far. */
  get count(): number {
    return this.#stats.count;
  }

  /** Feeds `bar[column]`. */
  push(bar: StreamBar): number {
    return this.update(bar[this.column]);
  }

  /** Feeds one value and returns the new z-score. */
  update(x: number): number {
    const stats = this.#stats;
    stats.update(x);
    const s = stats.std;
    return (this.#value = s === 0 ? 0 : (x - stats.mean) / s);
  }
}
