import { firstFinite, moments, skewOfMoments } from "./_private.ts";

/** Options of {@link skew} and `kurtosis`. */
export interface MomentOptions {
  /**
   * `false` (default): bias-corrected sample estimator, as pandas' `Series.skew`/`kurt` (which
   * quantstats reports). `true`: the plain moment ratio, as `scipy.stats.skew`/`kurtosis` with
   * their default `bias=True` (what empyrical lists) and what Bailey & López de Prado's PSR uses.
   */
  bias?: boolean;
}

/**
 * Skewness of the non-NaN returns. Default (pandas/quantstats): the adjusted Fisher–Pearson
 * coefficient `G1 = g1 * sqrt(n (n - 1)) / (n - 2)`, with `g1 = m3 / m2^1.5` (population
 * central moments); `bias: true` returns `g1`. NaN with fewer than 3 values (2 with bias) or zero
 * variance.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { skew } from "./skew.ts";
 * // 0, 0, 3: mean 1, m2 = (1 + 1 + 4) / 3 = 2, m3 = (-1 - 1 + 8) / 3 = 2, g1 = 2 / 2^1.5
 * const x = new Float64Array([0, 0, 3]);
 * assert.ok(Math.abs(skew(x, { bias: true }) - 1 / Math.SQRT2) < 1e-12);
 * assert.ok(Math.abs(skew(x) - (1 / Math.SQRT2) * Math.sqrt(6) / 1) < 1e-12);
 * ```
 */
export function skew(returns: Float64Array, options: MomentOptions = {}): number {
  const bias = options.bias ?? false;
  return skewOfMoments(moments(returns, firstFinite(returns)), bias);
}
