import { alphaOf, betaAndMeans, checkAligned, checkPeriodsPerYear, riskFreePerPeriod } from "./_private.ts";
import type { RiskFreeOptions } from "./options.ts";

/**
 * Annualized Jensen's alpha against a benchmark, empyrical's definition:
 * `(1 + mean((r - rf) - beta * (b - rf))) ** periodsPerYear - 1` over the periods where both
 * returns are non-NaN (`rf` per period, see `RiskFreeOptions`). quantstats annualizes linearly
 * instead (`mean(r - beta * b) * periods`), which reads higher for positive alpha. NaN with fewer
 * than two pairs or a flat benchmark.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { alpha } from "./alpha.ts";
 * // r = b + 0.01 each period: beta 1, mean excess 0.01, (1.01) ** 2 - 1 = 0.0201
 * const a = alpha(new Float64Array([0.03, -0.01, 0.02]), new Float64Array([0.02, -0.02, 0.01]), { periodsPerYear: 2 });
 * assert.ok(Math.abs(a - 0.0201) < 1e-12);
 * ```
 */
export function alpha(returns: Float64Array, benchmarkReturns: Float64Array, options: RiskFreeOptions): number {
  const ppy = options.periodsPerYear;
  checkPeriodsPerYear(ppy, "alpha");
  const rf = riskFreePerPeriod(options.riskFree ?? 0, ppy, "alpha");
  checkAligned(returns, benchmarkReturns, "alpha");
  return alphaOf(betaAndMeans(returns, benchmarkReturns), rf, ppy);
}
