// Rolling maximum or minimum in O(1) amortized per value: a monotonic deque of the bars that can
// still become the window's extreme. A max or min is exact, so this equals the vectorized block
// algorithm (../_rolling_extreme.ts) bit for bit provided it picks the same element: NaN for a
// window holding a missing value, and for equal values the same zero, since Math.max ranks +0
// above -0 and Math.min ranks -0 below +0.

/** Rolling maximum (`sign` 1) or minimum (`sign` -1) of the last `period` values. */
export class RollingExtreme {
  readonly period: number;
  readonly sign: 1 | -1;
  // Deque of bar indices (Float64Array: a stream may outlive 2^31 bars) and their values,
  // circular over `period` slots; values strictly decrease (max) or increase (min) front to back.
  #idx: Float64Array;
  #val: Float64Array;
  #head = 0;
  #size = 0;
  #count = 0;
  #lastBad = -Infinity;

  constructor(period: number, sign: 1 | -1) {
    this.period = period;
    this.sign = sign;
    this.#idx = new Float64Array(period);
    this.#val = new Float64Array(period);
  }

  /** Feeds one value; returns the extreme of the last `period` values, NaN during warm-up. */
  update(x: number): number {
    const period = this.period;
    const i = this.#count++;
    const idx = this.#idx;
    const val = this.#val;
    if (x - x === 0) {
      // Drop the back while the new value ranks at least as high: it outlives them.
      while (this.#size > 0) {
        const backAt = (this.#head + this.#size - 1) % period;
        if (!this.#outranks(x, val[backAt]!)) break;
        this.#size--;
      }
      // Drop the front once it leaves the window; the deque then has room for the new value.
      if (this.#size > 0 && idx[this.#head]! <= i - period) {
        this.#head = this.#head + 1 === period ? 0 : this.#head + 1;
        this.#size--;
      }
      const at = (this.#head + this.#size) % period;
      idx[at] = i;
      val[at] = x;
      this.#size++;
    } else {
      // NaN and ±Infinity blank every window that holds them (as `x + x * 0` does there);
      // nothing older can be the extreme of a later window without this bar.
      this.#lastBad = i;
      this.#size = 0;
    }
    if (i < period - 1 || i - this.#lastBad < period) return NaN;
    return val[this.#head]!;
  }

  // Whether `x` ranks at least as high as `b` (max) or as low (min), with -0 below +0.
  #outranks(x: number, b: number): boolean {
    if (x !== b) return this.sign === 1 ? x > b : x < b;
    if (x !== 0) return true;
    // Equal zeros: keep an older +0 against a new -0 for max, an older -0 against a new +0 for min.
    const xNeg = 1 / x < 0;
    const bNeg = 1 / b < 0;
    return this.sign === 1 ? !(xNeg && !bNeg) : !(!xNeg && bNeg);
  }
}
