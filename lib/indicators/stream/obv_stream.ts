import type { IndicatorStream, StreamBar } from "./indicator_stream.ts";

/**
 * Incremental {@link import("../obv.ts").obv}: after each push, `value` is `Object.is`-equal
 * to `obv({ close, volume })` at that index (0 on the first bar; a bar whose close or volume,
 * or whose previous close, is missing gives NaN and the total carries over). O(1) per push.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { ObvStream } from "./obv_stream.ts";
 * const s = new ObvStream();
 * const closes = [10, 11, 11, 9];
 * const volumes = [5, 2, 3, 4];
 * assert.deepEqual(closes.map((c, i) => s.update(c, volumes[i]!)), [0, 2, 2, -2]);
 * ```
 */
export class ObvStream implements IndicatorStream {
  #prevClose = NaN;
  #total = 0;
  #count = 0;
  #value = NaN;

  /** Value after the last push; NaN before the first push and at a missing bar. */
  get value(): number {
    return this.#value;
  }

  /** Number of bars pushed so far. */
  get count(): number {
    return this.#count;
  }

  /** Feeds the bar's close and volume. */
  push(bar: StreamBar): number {
    return this.update(bar.close, bar.volume);
  }

  /** Feeds one close and volume; returns the new total. */
  update(c: number, v: number): number {
    const pc = this.#prevClose;
    this.#prevClose = c;
    if (this.#count++ === 0) {
      const first = c + v;
      return (this.#value = first - first === 0 ? 0 : NaN);
    }
    const probe = c + pc + v;
    if (!(probe - probe === 0)) return (this.#value = NaN);
    this.#total += Math.sign(c - pc) * v;
    return (this.#value = this.#total);
  }
}
