import { finiteCopy, select } from "./_private.ts";

/**
 * Several quantiles of one series from a single scratch copy, for `computeStats`: VaR, CVaR and
 * the tail ratio used to each copy the returns and quickselect them (three copies, four selects
 * over the whole array). Here every order statistic found stays in place with smaller values
 * before it and larger after, so the next one is selected only between its two nearest found
 * neighbours. Values are exactly those of `quantileInPlace` on a fresh copy (an order statistic
 * does not depend on the permutation), and the tail mean is summed over the very permutation
 * `conditionalValueAtRisk` sums over: the first select on the copy is the VaR quantile's.
 */
export class FiniteQuantiles {
  readonly #a: Float64Array;
  /** Indices already holding their order statistic, ascending. */
  readonly #fixed: number[] = [];
  readonly #cache = new Map<number, number>();
  /** Mean of the lowest `floor((n - 1) * tailQ) + 1` values, as `conditionalValueAtRisk` computes it. */
  readonly tailMean: number = NaN;

  /**
   * `tailQ` (1 - confidence) is selected first, on the fresh copy, so that {@link tailMean} sums in
   * `conditionalValueAtRisk`'s order; pass NaN to skip it. With `owned`, `values` is already
   * `finiteCopy(returns)` and is reordered in place instead of copied.
   */
  constructor(values: Float64Array, tailQ: number, owned = false) {
    this.#a = owned ? values : finiteCopy(values);
    if (tailQ >= 0 && tailQ <= 1) {
      const v = this.quantile(tailQ);
      if (v === v) {
        // The first select put the k + 1 lowest values in a[0..k] (empyrical's np.partition).
        const a = this.#a;
        const k = Math.floor((a.length - 1) * tailQ);
        let s = 0;
        for (let i = 0; i <= k; i++) s += a[i]!;
        this.tailMean = s / (k + 1);
      }
    }
  }

  /** The `q` quantile with linear interpolation (numpy's default), as `quantileInPlace`. */
  quantile(q: number): number {
    const hit = this.#cache.get(q);
    if (hit !== undefined) return hit;
    const a = this.#a;
    const n = a.length;
    if (n === 0) return NaN;
    const h = (n - 1) * q;
    const lo = Math.floor(h);
    const interpolate = !(lo + 1 >= n || h === lo);
    // Only the first select fixes the permutation the tail mean sums over; later quantiles may
    // find their order statistics any way, and sampling is ~4x faster than selecting.
    let v = this.#fixed.length > 0 ? this.#sampled(lo, h, interpolate) : NaN;
    if (v !== v) {
      this.#place(lo);
      const x = a[lo]!;
      v = x;
      if (interpolate) {
        let b = Infinity;
        for (let i = lo + 1; i < n; i++) b = Math.min(b, a[i]!);
        v = x + (h - lo) * (b - x);
      }
    }
    this.#cache.set(q, v);
    return v;
  }

  /**
   * The k-th order statistic, interpolated at `h` towards the next one as {@link quantile} does, found without reordering the array: a sorted regular sample of
   * the unfixed stretch around k gives bounds that should hold rank k, one pass counts the values
   * below them and copies those between, and a select over that small copy finishes. NaN when the
   * stretch is small or the bounds miss (then {@link quantile} selects as usual). The value is the
   * same order statistic, so the same number, up to the sign of a zero if both zeros occur.
   */
  #sampled(k: number, h: number, interpolate: boolean): number {
    const a = this.#a;
    const f = this.#fixed;
    let j = 0;
    while (j < f.length && f[j]! < k) j++;
    if (f[j] === k) return NaN; // already in place: the usual path is free
    const lo = j > 0 ? f[j - 1]! + 1 : 0;
    const hi = j < f.length ? f[j]! - 1 : a.length - 1;
    const m = hi - lo + 1;
    // The next order statistic must lie in this stretch too, else interpolation needs the one above.
    if (m < 1 << 14 || (interpolate && k + 1 > hi)) return NaN;
    const step = Math.floor(m / 4096);
    const size = Math.floor(m / step);
    const sample = new Float64Array(size);
    for (let i = 0; i < size; i++) sample[i] = a[lo + i * step]!;
    sample.sort();
    // Rank k sits near sample index p (size - 1); +-4 standard deviations of a sampled rank, plus slack.
    const p = (k - lo) / (m - 1);
    const at = Math.round(p * (size - 1));
    const d = Math.ceil(4 * Math.sqrt(size * p * (1 - p))) + 8;
    const low = at - d >= 0 ? sample[at - d]! : -Infinity;
    const high = at + d < size ? sample[at + d]! : Infinity;
    const cap = Math.ceil((2 * d + 2) * step * 2) + 64;
    const between = new Float64Array(cap);
    let below = 0;
    let nb = 0;
    for (let i = lo; i <= hi; i++) {
      const x = a[i]!;
      if (x < low) below++;
      else if (x <= high) {
        if (nb === cap) return NaN;
        between[nb++] = x;
      }
    }
    const r = k - lo - below;
    if (r < 0 || r >= nb || (interpolate && r + 1 >= nb)) return NaN;
    select(between, r, 0, nb - 1);
    const x = between[r]!;
    if (!interpolate) return x;
    let b = Infinity;
    for (let i = r + 1; i < nb; i++) b = Math.min(b, between[i]!);
    return x + (h - k) * (b - x);
  }

  /** Puts the k-th order statistic at index k, selecting only between the nearest fixed indices. */
  #place(k: number): void {
    const f = this.#fixed;
    let j = 0;
    while (j < f.length && f[j]! < k) j++;
    if (f[j] === k) return;
    const lo = j > 0 ? f[j - 1]! + 1 : 0;
    const hi = j < f.length ? f[j]! - 1 : this.#a.length - 1;
    select(this.#a, k, lo, hi);
    f.splice(j, 0, k);
  }
}
