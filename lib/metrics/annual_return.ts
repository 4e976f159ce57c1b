import { checkPeriodsPerYear } from "./_private.ts";
import type { AnnualizationOptions } from "./options.ts";

/**
 * Annualized arithmetic mean return: `mean(r) * periodsPerYear`, over the non-NaN returns (the
 * numerator Sharpe annualizes; quantstats' "expected return" annualized arithmetically).
 *
 * Note: empyrical's `annual_return` is the compound rate; that is {@link cagr} here. The two
 * differ by roughly half the variance per year.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { annualReturn } from "./annual_return.ts";
 * // mean(0.01, 0.03) = 0.02 per bar, times 12 bars a year = 0.24
 * assert.ok(Math.abs(annualReturn(new Float64Array([0.01, 0.03]), { periodsPerYear: 12 }) - 0.24) < 1e-15);
 * ```
 */
export function annualReturn(returns: Float64Array, options: AnnualizationOptions): number {
  const ppy = options.periodsPerYear;
  checkPeriodsPerYear(ppy, "annualReturn");
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
