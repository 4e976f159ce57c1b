import { checkPeriod } from "../_validate.ts";
import { RollingExtreme } from "./_rolling_extreme.ts";
import { SmaStream } from "./sma_stream.ts";
import type { IndicatorStream, StreamBar } from "./indicator_stream.ts";

/** Options for {@link StochasticStream}; they mirror `stochastic()`'s options. */
export interface StochasticStreamOptions {
  /** Look-back of the highest high and lowest low; default 14. */
  kPeriod?: number;
  /** SMA smoothing of %K: 1 is the fast stochastic (default), 3 the slow one. */
  smoothK?: number;
  /** SMA period of %D; default 3. */
  dPeriod?: number;
}

/**
 * Incremental {@link import("../stochastic.ts").stochastic}: after each push, `k` and `d` are
 * `Object.is`-equal to the two series of `stochastic({ high, low, close }, options)` at that
 * index. `push` returns %K.
 *
 * The highest high and lowest low come from monotonic deques, O(1) amortized per push; a max
 * or min is exact, so they equal the vectorized block algorithm bit for bit (NaN for a window
 * with a missing value, +0 above -0 as Math.max has it).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { StochasticStream } from "./stochastic_stream.ts";
 * const s = new StochasticStream({ kPeriod: 2, dPeriod: 2 });
 * const k = [[10, 8, 9], [12, 9, 11], [11, 7, 8]].map(([high, low, close]) => s.update(high!, low!, close!));
 * assert.deepEqual(k, [NaN, 75, 20]);
 * assert.equal(s.d, 47.5);
 * ```
 */
export class StochasticStream implements IndicatorStream {
  /** Look-back of the extremes in bars. */
  readonly kPeriod: number;
  #highs: RollingExtreme;
  #lows: RollingExtreme;
  #count = 0;
  #lastMissing = -Infinity;
  #smooth: SmaStream | null;
  #dSma: SmaStream;
  #k = NaN;

  /** Throws a RangeError unless every period is a positive integer. */
  constructor(options: StochasticStreamOptions = {}) {
    const fn = "StochasticStream";
    const kPeriod = options.kPeriod ?? 14;
    const smoothK = options.smoothK ?? 1;
    const dPeriod = options.dPeriod ?? 3;
    checkPeriod(fn, "kPeriod", kPeriod);
    checkPeriod(fn, "smoothK", smoothK);
    checkPeriod(fn, "dPeriod", dPeriod);
    this.kPeriod = kPeriod;
    this.#highs = new RollingExtreme(kPeriod, 1);
    this.#lows = new RollingExtreme(kPeriod, -1);
    this.#smooth = smoothK > 1 ? new SmaStream(smoothK) : null;
    this.#dSma = new SmaStream(dPeriod);
  }

  /** %K after the last push (same as {@link k}). */
  get value(): number {
    return this.#k;
  }

  /** %K, 0..100: fast %K, or its `smoothK`-bar SMA. */
  get k(): number {
    return this.#k;
  }

  /** %D: the `dPeriod`-bar SMA of %K. */
  get d(): number {
    return this.#dSma.value;
  }

  /** Number of bars pushed so far. */
  get count(): number {
    return this.#count;
  }

  /** Feeds the bar's high, low and close; returns %K. */
  push(bar: StreamBar): number {
    return this.update(bar.high, bar.low, bar.close);
  }

  /** Feeds one bar's high, low and close; returns %K. */
  update(h: number, l: number, c: number): number {
    const period = this.kPeriod;
    const i = this.#count++;
    const hh = this.#highs.update(h);
    const ll = this.#lows.update(l);
    const range = hh - ll;
    // Flat range: 50. NaN (warm-up, missing bar in the window) stays NaN via `range`.
    let fastK = range > 0 ? 100 * (c - ll) / range : range === 0 ? 50 : NaN;
    // A window holding a missing close is NaN too, although %K reads only this bar's close.
    if (!(c - c === 0)) this.#lastMissing = i;
    if (i - this.#lastMissing < period) fastK = NaN;
    const k = this.#smooth === null ? fastK : this.#smooth.update(fastK);
    this.#dSma.update(k);
    return (this.#k = k);
  }
}
