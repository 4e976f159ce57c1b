import { checkPeriodsPerYear } from "./_private.ts";
import type { AnnualizationOptions } from "./options.ts";

/** Options of {@link annualVolatility}. */
export interface AnnualVolatilityOptions extends AnnualizationOptions {
  /** Delta degrees of freedom of the standard deviation; default 1 (sample), like empyrical. */
  ddof?: number;
}

/**
 * Annualized volatility: `std(r, ddof) * sqrt(periodsPerYear)` over the non-NaN returns
 * (empyrical's `annual_volatility` with its default alpha of 2, and quantstats' `volatility`).
 * NaN with fewer than `ddof + 1` returns.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { annualVolatility } from "./annual_volatility.ts";
 * // r = 0.01, 0.03: mean 0.02, sample variance (0.0001 + 0.0001) / 1 = 0.0002, times 100 bars a year
 * const v = annualVolatility(new Float64Array([0.01, 0.03]), { periodsPerYear: 100 });
 * assert.ok(Math.abs(v - Math.sqrt(0.02)) < 1e-15);
 * ```
 */
export function annualVolatility(returns: Float64Array, options: AnnualVolatilityOptions): number {
  const ppy = options.periodsPerYear;
  checkPeriodsPerYear(ppy, "annualVolatility");
  const ddof = options.ddof ?? 1;
  if (!(ddof >= 0)) throw new RangeError(`annualVolatility: ddof must be >= 0, got ${ddof}`);
  let n = 0;
  let s = 0;
  for (let i = 0; i < returns.length; i++) {
    const r = returns[i]!;
    const ok = r === r;
    s += ok ? r : 0;
    n += ok ? 1 : 0;
  }
  if (n - ddof <= 0) return NaN;
  const mean = s / n;
  let ss = 0;
  for (let i = 0; i < returns.length; i++) {
    const r = returns[i]!;
    const d = r - mean;
    ss += r === r ? d * d : 0;
  }
  return Math.sqrt(ss / (n - ddof)) * Math.sqrt(ppy);
}
