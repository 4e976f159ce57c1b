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
  /** Mean of the values at or below the `tailQ` quantile, as `conditionalValueAtRisk` computes it. */
  readonly tailMean: number = NaN;

  /**
   * `tailQ` (1 - confidence) is selected first, on the fresh copy, so that {@link tailMean} sums in
   * `conditionalValueAtRisk`'s order; pass NaN to skip it.
   */
  constructor(values: Float64Array, tailQ: number) {
    this.#a = finiteCopy(values);
    if (tailQ >= 0 && tailQ <= 1) {
      const v = this.quantile(tailQ);
      if (v === v) {
        const a = this.#a;
        let s = 0;
        let k = 0;
        for (let i = 0; i < a.length; i++) {
          const x = a[i]!;
          const tail = x <= v;
          s += tail ? x : 0;
          k += tail ? 1 : 0;
        }
        this.tailMean = s / k;
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
    this.#place(lo);
    const x = a[lo]!;
    let v = x;
    if (!(lo + 1 >= n || h === lo)) {
      let b = Infinity;
      for (let i = lo + 1; i < n; i++) b = Math.min(b, a[i]!);
      v = x + (h - lo) * (b - x);
    }
    this.#cache.set(q, v);
    return v;
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
