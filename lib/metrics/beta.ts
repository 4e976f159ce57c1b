import { betaAndMeans, checkAligned } from "./_private.ts";

/**
 * Beta of a strategy against a benchmark, empyrical's definition: `cov(r, b) / var(b)` (both with
 * the same divisor) over the periods where both returns are non-NaN. A risk-free rate would
 * shift both series equally and cancel, so none is taken. NaN with fewer than two pairs or a flat
 * benchmark.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { beta } from "./beta.ts";
 * // r = 2 b exactly: beta 2
 * assert.ok(Math.abs(beta(new Float64Array([0.02, -0.04, 0.06]), new Float64Array([0.01, -0.02, 0.03])) - 2) < 1e-12);
 * ```
 */
export function beta(returns: Float64Array, benchmarkReturns: Float64Array): number {
  checkAligned(returns, benchmarkReturns, "beta");
  return betaAndMeans(returns, benchmarkReturns).beta;
}
