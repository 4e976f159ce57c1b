import { checkPeriod } from "../_validate.ts";
import type { EmaSeed } from "../ema.ts";
import { checkColumn } from "./_check_column.ts";
import type { IndicatorStream, StreamBar, StreamColumn } from "./indicator_stream.ts";

// Re-exported so the stream module's public types are self-contained.
export type { EmaSeed } from "../ema.ts";

/** Options for {@link EmaStream}. */
export interface EmaStreamOptions {
  /** Bar field to average; default `"close"`. */
  column?: StreamColumn;
  /** Seeding convention, as in `ema()`; default `"sma"`. */
  seed?: EmaSeed;
}

/**
 * Incremental {@link import("../ema.ts").ema}: after each push, `value` is `Object.is`-equal
 * to `ema(values, period, { seed })` at that index. A missing value (NaN, ±Infinity) gives
 * NaN at that bar and the recursion resumes from the previous state. O(1) per push.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { EmaStream } from "./ema_stream.ts";
 * const s = new EmaStream(2);
 * assert.deepEqual([1, 2, 3, 4].map((x) => s.update(x)), [NaN, 1.5, 2.5, 3.5]);
 * ```
 */
export class EmaStream implements IndicatorStream {
  /** Bar field read by {@link push}. */
  readonly column: StreamColumn;
  /** Number of bars of the average (`alpha = 2 / (period + 1)`). */
  readonly period: number;
  /** Seeding convention. */
  readonly seed: EmaSeed;
  #alpha: number;
  #need: number;
  #seen = 0;
  #sum = 0;
  #e = NaN;
  #count = 0;
  #value = NaN;

  /** Throws for a bad period, an unknown seed or an unknown column. */
  constructor(period: number, options: EmaStreamOptions = {}) {
    checkPeriod("EmaStream", "period", period);
    const seed = options.seed ?? "sma";
    if (seed !== "sma" && seed !== "first") {
      throw new RangeError(`EmaStream: seed must be "sma" or "first", got ${JSON.stringify(seed)}`);
    }
    this.column = checkColumn("EmaStream", options.column);
    this.period = period;
    this.seed = seed;
    this.#alpha = 2 / (period + 1);
    this.#need = seed === "sma" ? period : 1;
  }

  /** Value after the last push; NaN during warm-up and at a missing value. */
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
    this.#count++;
    if (!(x - x === 0)) return (this.#value = NaN);
    const need = this.#need;
    if (this.#seen < need) {
      this.#sum += x;
      if (++this.#seen < need) return (this.#value = NaN);
      this.#e = this.#sum / need;
    } else {
      this.#e += this.#alpha * (x - this.#e);
    }
    return (this.#value = this.#e);
  }
}
