import { finiteCopy, quantileInPlace } from "./_private.ts";

/** Options of {@link tailRatio}. */
export interface TailRatioOptions {
  /** Upper quantile; the lower one is `1 - cutoff`. Default 0.95. */
  cutoff?: number;
}

/**
 * Tail ratio, empyrical's and quantstats' definition: `|q(0.95)| / |q(0.05)|` of the non-NaN
 * returns, quantiles by linear interpolation. 0.25 means losses in the left tail are four times
 * the gains in the right one. NaN for empty input; Infinity (empyrical) when the left quantile is
 * exactly 0 and the right one is not (quantstats returns NaN there).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { tailRatio } from "./tail_ratio.ts";
 * // sorted -2, -1, 0, 1, 4 (cutoff 0.75): q(0.75) = 1, q(0.25) = -1 -> 1
 * assert.equal(tailRatio(new Float64Array([4, -1, 0, 1, -2]), { cutoff: 0.75 }), 1);
 * ```
 */
export function tailRatio(returns: Float64Array, options: TailRatioOptions = {}): number {
  const c = options.cutoff ?? 0.95;
  if (!(c > 0.5 && c < 1)) throw new RangeError(`tailRatio: cutoff must be in (0.5, 1), e.g. 0.95, got ${c}`);
  const s = finiteCopy(returns);
  if (s.length === 0) return NaN;
  return Math.abs(quantileInPlace(s, c)) / Math.abs(quantileInPlace(s, 1 - c));
}
