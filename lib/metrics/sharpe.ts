import { checkPeriodsPerYear, riskFreePerPeriod } from "./_private.ts";
import type { RiskFreeOptions } from "./options.ts";

/** Options of {@link sharpe}. */
export interface SharpeOptions extends RiskFreeOptions {
  /** Delta degrees of freedom of the standard deviation; default 1, like empyrical and quantstats. */
  ddof?: number;
}

/**
 * Annualized Sharpe ratio, empyrical's definition: `mean(x) / std(x, ddof = 1) * sqrt(ppy)` with
 * `x = r - rf` over the non-NaN returns, `rf` the per-period risk-free rate
 * (`(1 + riskFree) ** (1 / ppy) - 1`, quantstats' conversion of a yearly rate).
 *
 * NaN with fewer than two returns or zero dispersion (the ratio is undefined; recent empyrical
 * versions would give ±Infinity there).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { sharpe } from "./sharpe.ts";
 * // mean 0.02, sample std sqrt(0.0002) = 0.0141421..., times sqrt(4): 0.02 / 0.0141421 * 2 = 2.828427
 * const s = sharpe(new Float64Array([0.01, 0.03]), { periodsPerYear: 4 });
 * assert.ok(Math.abs(s - 2 * Math.SQRT2) < 1e-12);
 * ```
 */
export function sharpe(returns: Float64Array, options: SharpeOptions): number {
  const ppy = options.periodsPerYear;
  checkPeriodsPerYear(ppy, "sharpe");
  const rf = riskFreePerPeriod(options.riskFree ?? 0, ppy, "sharpe");
  const ddof = options.ddof ?? 1;
  if (!(ddof >= 0)) throw new RangeError(`sharpe: ddof must be >= 0, got ${ddof}`);
  let n = 0;
  let s = 0;
  for (let i = 0; i < returns.length; i++) {
    const r = returns[i]!;
    const ok = r === r;
    s += ok ? r : 0;
    n += ok ? 1 : 0;
  }
  if (n < 2 || n - ddof <= 0) return NaN;
  const mean = s / n;
  let ss = 0;
  for (let i = 0; i < returns.length; i++) {
    const r = returns[i]!;
    const d = r - mean;
    ss += r === r ? d * d : 0;
  }
  const sd = Math.sqrt(ss / (n - ddof));
  if (sd === 0) return NaN;
  return (mean - rf) / sd * Math.sqrt(ppy);
}
