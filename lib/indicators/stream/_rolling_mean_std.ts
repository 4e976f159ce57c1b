// Incremental twin of ../_rolling_mean_std.ts, shared by the Bollinger, rolling-std and z-score
// streams. It replays that file's arithmetic step for step so the results are identical:
// - the same anchored sums (anchor: the first finite value, then the window's last value at
//   each rebuild), updated add-then-remove in the same order;
// - the same block schedule: the first block starts at bar `period`, each block is
//   `max(period, 128)` bars long and ends with an exact rebuild from the window;
// - the same precision check (`m2 < hi * drop`), which rebuilds at once and starts a new block
//   after that bar.
// A rebuild reads the ring buffer (the last `period` values), so a push costs O(1) amortized:
// scheduled rebuilds are O(period) every max(period, 128) bars, and a precision rebuild
// cannot fire twice in a row (see the vectorized file).

/** Running mean and deviation of the last `period` values; `mean`/`std` after each update. */
export class RollingMeanStd {
  /** Mean of the window after the last update; NaN during warm-up or with a missing value. */
  mean = NaN;
  /** Deviation (divisor `period - ddof`) after the last update; NaN as `mean`, or when undefined. */
  std = NaN;
  readonly period: number;
  #denom: number;
  #interval: number;
  #drop: number;
  #ring: Float64Array;
  #pos = 0;
  #count = 0;
  #blockEnd = 0;
  #anchor = 0;
  #anchored = false;
  #s1 = 0;
  #s2 = 0;
  #bad = 0;
  #run = 0;
  #prev = NaN;
  #hi = 0;

  constructor(period: number, ddof: number) {
    this.period = period;
    this.#denom = period - ddof;
    this.#interval = Math.max(period, 128);
    this.#drop = 2 ** -12 / (2 * period + 1);
    this.#ring = new Float64Array(period);
  }

  /** Number of values fed so far. */
  get count(): number {
    return this.#count;
  }

  /** Feeds one value; `mean` and `std` then hold the window's statistics. */
  update(x: number): void {
    const period = this.period;
    const i = this.#count++;
    const ring = this.#ring;
    const pos = this.#pos;
    if (i >= period && i === this.#blockEnd) {
      // End of a block: exact sums of the window that ends at the previous bar.
      this.#rebuild();
      this.#blockEnd = i + this.#interval;
    }
    const finite = x - x === 0;
    // The vectorized code anchors at the first finite value of the whole series; it only
    // matters from the moment that value arrives, so anchoring then is the same.
    if (finite && !this.#anchored) {
      this.#anchor = x;
      this.#anchored = true;
    }
    const anchor = this.#anchor;
    let s1 = this.#s1, s2 = this.#s2, bad = this.#bad;
    if (finite) {
      const d = x - anchor;
      s1 += d;
      s2 += d * d;
    } else {
      bad++;
    }
    const y = ring[pos]!;
    ring[pos] = x;
    this.#pos = pos + 1 === period ? 0 : pos + 1;
    const run = x === this.#prev ? this.#run + 1 : 1;
    this.#prev = x;
    if (i < period) {
      this.#s1 = s1;
      this.#s2 = s2;
      this.#bad = bad;
      this.#run = run;
      if (i === period - 1) {
        this.#write(x, s2 - s1 * s1 / period);
        this.#hi = s2;
        this.#blockEnd = period + this.#interval;
      } else {
        this.mean = this.std = NaN;
      }
      return;
    }
    if (y - y === 0) {
      const d = y - anchor;
      s1 -= d;
      s2 -= d * d;
    } else {
      bad--;
    }
    this.#s1 = s1;
    this.#s2 = s2;
    this.#bad = bad;
    this.#run = run;
    if (s2 > this.#hi) this.#hi = s2;
    const m2 = s2 - s1 * s1 / period;
    if (m2 < this.#hi * this.#drop && bad === 0 && run < period) {
      // This bar lost precision: rebuild the window that ends here and start a new block after it.
      this.#rebuild();
      this.#write(x, this.#s2 - this.#s1 * this.#s1 / period);
      this.#blockEnd = i + 1 + this.#interval;
      return;
    }
    this.#write(x, m2);
  }

  #write(x: number, m2: number): void {
    const denom = this.#denom;
    if (this.#bad > 0) {
      this.mean = this.std = NaN;
    } else if (this.#run >= this.period) {
      this.mean = x;
      this.std = denom > 0 ? 0 : NaN;
    } else {
      this.mean = this.#anchor + this.#s1 / this.period;
      const v = m2 / denom;
      this.std = denom > 0 ? (v > 0 ? Math.sqrt(v) : 0) : NaN;
    }
  }

  // Exact state of the window held in the ring (oldest at #pos, newest just before it),
  // anchored at its newest value when that is finite.
  #rebuild(): void {
    const ring = this.#ring;
    const period = this.period;
    const pos = this.#pos;
    const lastAt = pos === 0 ? period - 1 : pos - 1;
    const last = ring[lastAt]!;
    if (last - last === 0) this.#anchor = last;
    const anchor = this.#anchor;
    let s1 = 0, s2 = 0, bad = 0;
    for (let k = 0, j = pos; k < period; k++) {
      const y = ring[j]!;
      if (y - y === 0) {
        const d = y - anchor;
        s1 += d;
        s2 += d * d;
      } else {
        bad++;
      }
      j = j + 1 === period ? 0 : j + 1;
    }
    let run = 1;
    for (let j = lastAt === 0 ? period - 1 : lastAt - 1; run < period && ring[j] === last; run++) {
      j = j === 0 ? period - 1 : j - 1;
    }
    this.#s1 = s1;
    this.#s2 = s2;
    this.#bad = bad;
    this.#run = run;
    this.#prev = last;
    this.#hi = s2;
  }
}
