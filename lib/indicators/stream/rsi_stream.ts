import { checkPeriod } from "../_validate.ts";
import { checkColumn } from "./_check_column.ts";
import type { IndicatorStream, StreamBar, StreamColumn } from "./indicator_stream.ts";

/** Options for {@link RsiStream}. */
export interface RsiStreamOptions {
  /** Bar field to read; default `"close"`. */
  column?: StreamColumn;
}

/**
 * Incremental {@link import("../rsi.ts").rsi} (Wilder's smoothing): after each push, `value`
 * is `Object.is`-equal to `rsi(values, period)` at that index. A change needs this value and
 * the previous one; when either is missing the value is NaN and the averages carry over.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { RsiStream } from "./rsi_stream.ts";
 * const s = new RsiStream(2);
 * assert.deepEqual([1, 2, 1, 3].map((x) => s.update(x)), [NaN, NaN, 50, 100 - 100 / 6]);
 * ```
 */
export class RsiStream implements IndicatorStream {
  /** Bar field read by {@link push}. */
  readonly column: StreamColumn;
  /** Number of changes in the averages. */
  readonly period: number;
  #prev = NaN;
  #seen = 0;
  #avgGain = 0;
  #avgLoss = 0;
  #count = 0;
  #value = NaN;

  /** Throws for a bad period or an unknown column. */
  constructor(period = 14, options: RsiStreamOptions = {}) {
    checkPeriod("RsiStream", "period", period);
    this.column = checkColumn("RsiStream", options.column);
    this.period = period;
  }

  /** Value after the last push, 0..100; NaN during warm-up and at a missing change. */
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

  /** Feeds one value and returns the new RSI. */
  update(x: number): number {
    const change = x - this.#prev;
    this.#prev = x;
    // The first value has no change: #prev starts as NaN.
    this.#count++;
    if (!(change - change === 0)) return (this.#value = NaN);
    const period = this.period;
    const gain = Math.max(change, 0);
    const loss = Math.max(-change, 0);
    if (this.#seen < period) {
      this.#avgGain += gain;
      this.#avgLoss += loss;
      if (++this.#seen < period) return (this.#value = NaN);
      this.#avgGain /= period;
      this.#avgLoss /= period;
    } else {
      this.#avgGain = (this.#avgGain * (period - 1) + gain) / period;
      this.#avgLoss = (this.#avgLoss * (period - 1) + loss) / period;
    }
    const g = this.#avgGain;
    const l = this.#avgLoss;
    return (this.#value = l === 0 ? (g === 0 ? 50 : 100) : 100 - 100 / (1 + g / l));
  }
}
