// The SMA of the fused sweep kernel, computed block by block instead of as whole series: SMA-X-990 over 1M bars
// needs 45 SMAs, 360 MB as whole arrays (720 MB with the copies shared with workers), and first touching that much
// memory cost more than the sweep itself on a VM. A block of each SMA fits in the L2 cache beside the others.

/** Key of an SMA request of the close (lib/strategies' smaRequest): `sma:close:<period>`. */
const SMA_KEY = /^sma:close:([1-9][0-9]{0,8})$/;

/** The period of an `sma:close:<period>` key, or undefined for any other series. */
export function smaKeyPeriod(key: string): number | undefined {
  const m = SMA_KEY.exec(key);
  return m === null ? undefined : Number(m[1]);
}

/**
 * Successive blocks of `sma(values, period)` (lib/indicators), bit for bit: the same anchor, the same running sum
 * of deviations in the same order, rebuilt from the window at the same bars (multiples of `max(period, 1024)`).
 * `start` then `fill` over consecutive ranges from bar 0.
 */
export class SmaBlocks {
  readonly period: number;
  readonly #interval: number;
  #anchor = 0;
  #sum = 0;
  #bad = 0;
  /** The next bar at which sma() rebuilds its state from the window. */
  #rebuild = 0;
  /** The first bar of the next `fill`. */
  #at = 0;

  constructor(period: number) {
    if (!Number.isInteger(period) || period < 1) throw new RangeError(`period must be an integer >= 1, got ${period}`);
    this.period = period;
    this.#interval = Math.max(period, 1024);
  }

  /** Starts over at bar 0 of `values`. */
  start(values: Float64Array): void {
    this.#anchor = firstFinite(values);
    this.#sum = 0;
    this.#bad = 0;
    this.#rebuild = (Math.floor(this.period / this.#interval) + 1) * this.#interval;
    this.#at = 0;
  }

  /** Writes the SMA of bars `[from, to)` into `out[0 .. to - from)`; `from` is where the last call stopped. */
  fill(values: Float64Array, from: number, to: number, out: Float64Array): void {
    if (from !== this.#at) throw new RangeError(`SmaBlocks.fill: expected bars from ${this.#at}, got ${from}`);
    const period = this.period;
    let i = from;
    // The head: sma()'s first loop, whose sum the first block continues.
    for (; i < to && i < period; i++) {
      const x = values[i]!;
      if (x - x === 0) this.#sum += x - this.#anchor;
      else this.#bad++;
      out[i - from] = i < period - 1 || this.#bad > 0 ? NaN : this.#anchor + this.#sum / period;
    }
    while (i < to) {
      if (i === this.#rebuild) this.#restart(values, i);
      const end = Math.min(to, this.#rebuild);
      // With no missing value in the window, the run without the missing-value bookkeeping does sma()'s arithmetic
      // operation for operation; a non-finite sum after it means a value was missing (or the sum overflowed): the
      // run is done again with the bookkeeping, from the same state.
      const sum = this.#bad === 0 ? smaRunFinite(values, period, i, end, from, this.#anchor, this.#sum, out) : NaN;
      if (sum - sum === 0) this.#sum = sum;
      else {
        smaRun(values, period, i, end, from, this.#anchor, this.#sum, this.#bad, out);
        this.#sum = RUN[0]!;
        this.#bad = RUN[1]!;
      }
      i = end;
    }
    this.#at = to;
  }

  // sma()'s rebuild between its blocks: the anchor follows the price, the sum is re-added from the window.
  #restart(values: Float64Array, b: number): void {
    const last = values[b - 1]!;
    if (last - last === 0) this.#anchor = last;
    let sum = 0, bad = 0;
    for (let j = b - this.period; j < b; j++) {
      const y = values[j]!;
      if (y - y === 0) sum += y - this.#anchor;
      else bad++;
    }
    this.#sum = sum;
    this.#bad = bad;
    this.#rebuild = b + this.#interval;
  }
}

/** smaRun's state out: [sum, bad]. A module-level pair instead of an object per call. */
const RUN = new Float64Array(2);

// sma()'s smaBlock with the output shifted by `base`; leaves the sum and bad count in RUN.
function smaRun(
  values: Float64Array,
  period: number,
  from: number,
  to: number,
  base: number,
  anchor: number,
  sum: number,
  bad: number,
  out: Float64Array,
): void {
  for (let i = from; i < to; i++) {
    const x = values[i]!;
    const y = values[i - period]!;
    if (x - x === 0) sum += x - anchor;
    else bad++;
    if (y - y === 0) sum -= y - anchor;
    else bad--;
    out[i - base] = bad > 0 ? NaN : anchor + sum / period;
  }
  RUN[0] = sum;
  RUN[1] = bad;
}

// smaRun when every value of the window and of [from, to) is finite; returns the sum (non-finite if one was not).
function smaRunFinite(
  values: Float64Array,
  period: number,
  from: number,
  to: number,
  base: number,
  anchor: number,
  sum: number,
  out: Float64Array,
): number {
  for (let i = from; i < to; i++) {
    sum += values[i]! - anchor;
    sum -= values[i - period]! - anchor;
    out[i - base] = anchor + sum / period;
  }
  return sum;
}

function firstFinite(values: Float64Array): number {
  for (let i = 0; i < values.length; i++) {
    const x = values[i]!;
    if (x - x === 0) return x;
  }
  return 0;
}
