import { firstFinite, kurtosisOfMoments, moments } from "./_private.ts";
import type { MomentOptions } from "./skew.ts";

/**
 * Excess kurtosis (0 for a normal distribution) of the non-NaN returns. Default (pandas'
 * `Series.kurt`, which quantstats reports): the unbiased estimator
 * `G2 = ((n + 1) g2 + 6) (n - 1) / ((n - 2)(n - 3))` with `g2 = m4 / m2² - 3`; `bias: true`
 * returns `g2` (scipy's default, Fisher). Add 3 for Pearson's kurtosis. NaN with fewer than 4
 * values (2 with bias) or zero variance.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { kurtosis } from "./kurtosis.ts";
 * // -1, 1, -1, 1: m2 = 1, m4 = 1, g2 = 1 - 3 = -2; G2 = ((5)(-2) + 6)(3) / ((2)(1)) = -6
 * const x = new Float64Array([-1, 1, -1, 1]);
 * assert.equal(kurtosis(x, { bias: true }), -2);
 * assert.equal(kurtosis(x), -6);
 * ```
 */
export function kurtosis(returns: Float64Array, options: MomentOptions = {}): number {
  const bias = options.bias ?? false;
  return kurtosisOfMoments(moments(returns, firstFinite(returns)), bias);
}
