import { checkPeriodsPerYear } from "./_private.ts";
import type { AnnualizationOptions } from "./options.ts";

/**
 * Annualized arithmetic mean return: `mean(r) * periodsPerYear` over the non-NaN returns, the
 * numerator Sharpe annualizes (quantstats' `expected_return` is the geometric per-period mean
 * instead). Registry key `annual_return_arithmetic`.
 *
 * Not empyrical's `annual_return`, which is the geometric growth rate ({@link annualReturn} here):
 * the arithmetic mean exceeds it by roughly half the variance per year (+50 % then -50 % has an
 * arithmetic mean of 0 but loses 25 %).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { annualReturnArithmetic } from "./annual_return_arithmetic.ts";
 * // mean(0.01, 0.03) = 0.02 per bar, times 12 bars a year = 0.24
 * assert.ok(Math.abs(annualReturnArithmetic(new Float64Array([0.01, 0.03]), { periodsPerYear: 12 }) - 0.24) < 1e-15);
 * ```
 */
export function annualReturnArithmetic(returns: Float64Array, options: AnnualizationOptions): number {
  const ppy = options.periodsPerYear;
  checkPeriodsPerYear(ppy, "annualReturnArithmetic");
  let n = 0;
  let s = 0;
  for (let i = 0; i < returns.length; i++) {
    const r = returns[i]!;
    const ok = r === r;
    s += ok ? r : 0;
    n += ok ? 1 : 0;
  }
  return n === 0 ? NaN : (s / n) * ppy;
}
