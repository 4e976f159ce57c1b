import { checkPeriod } from "../_validate.ts";
import type { EmaSeed } from "../ema.ts";
import { checkColumn } from "./_check_column.ts";
import { EmaStream } from "./ema_stream.ts";
import type { IndicatorStream, StreamBar, StreamColumn } from "./indicator_stream.ts";

/** Options for {@link MacdStream}; the periods and seed mirror `macd()`'s options. */
export interface MacdStreamOptions {
  /** Bar field to read; default `"close"`. */
  column?: StreamColumn;
  /** Fast EMA period; default 12. */
  fast?: number;
  /** Slow EMA period; default 26; must be greater than `fast`. */
  slow?: number;
  /** Signal EMA period; default 9. */
  signal?: number;
  /** Seeding of all three EMAs; default `"sma"`. */
  seed?: EmaSeed;
}

/**
 * Incremental {@link import("../macd.ts").macd}: after each push, `macd`, `signal` and
 * `histogram` are `Object.is`-equal to the three series of `macd(values, options)` at that
 * index. `push` returns the MACD line. O(1) per push.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { MacdStream } from "./macd_stream.ts";
 * const s = new MacdStream({ fast: 2, slow: 3, signal: 2 });
 * for (const x of [1, 2, 3, 4]) s.update(x);
 * assert.equal(s.macd, 0.5);
 * assert.equal(s.signal, 0.5);
 * assert.equal(s.histogram, 0);
 * ```
 */
export class MacdStream implements IndicatorStream {
  /** Bar field read by {@link push}. */
  readonly column: StreamColumn;
  #fast: EmaStream;
  #slow: EmaStream;
  #signal: EmaStream;
  #macd = NaN;
  #histogram = NaN;
  #count = 0;

  /** Throws for bad periods, `fast >= slow` or an unknown column. */
  constructor(options: MacdStreamOptions = {}) {
    const fn = "MacdStream";
    const fast = options.fast ?? 12;
    const slow = options.slow ?? 26;
    const signal = options.signal ?? 9;
    checkPeriod(fn, "fast", fast);
    checkPeriod(fn, "slow", slow);
    checkPeriod(fn, "signal", signal);
    if (fast >= slow) {
      throw new RangeError(`${fn}: fast (${fast}) must be less than slow (${slow}); swap them`);
    }
    const seed = options.seed ?? "sma";
    this.column = checkColumn(fn, options.column);
    this.#fast = new EmaStream(fast, { seed });
    this.#slow = new EmaStream(slow, { seed });
    this.#signal = new EmaStream(signal, { seed });
  }

  /** MACD line after the last push (same as {@link macd}). */
  get value(): number {
    return this.#macd;
  }

  /** MACD line: fast EMA minus slow EMA. */
  get macd(): number {
    return this.#macd;
  }

  /** Signal line: EMA of the MACD line. */
  get signal(): number {
    return this.#signal.value;
  }

  /** MACD line minus signal line. */
  get histogram(): number {
    return this.#histogram;
  }

  /** Number of values pushed so far. */
  get count(): number {
    return this.#count;
  }

  /** Feeds `bar[column]`; returns the MACD line. */
  push(bar: StreamBar): number {
    return this.update(bar[this.column]);
  }

  /** Feeds one value; returns the MACD line. */
  update(x: number): number {
    this.#count++;
    const line = this.#fast.update(x) - this.#slow.update(x);
    // NaN while the slow EMA warms up: the signal EMA skips it, which delays its seed as in macd().
    this.#histogram = line - this.#signal.update(line);
    return (this.#macd = line);
  }
}
