import { checkPeriodsPerYear, riskFreePerPeriod } from "./_private.ts";
import type { RiskFreeOptions } from "./options.ts";

/**
 * Annualized Sortino ratio, empyrical's definition: `mean(x) / dd * sqrt(ppy)` with
 * `x = r - rf` and the downside deviation `dd = sqrt(mean(min(x, 0)²))` taken over **all**
 * non-NaN periods (not the standard deviation of the negative ones; see Sortino & Forsey, and
 * Red Rock Capital's "Sortino: A Sharper Ratio"). quantstats computes the same quantity.
 * The target (minimum acceptable return) is the per-period risk-free rate, 0 by default.
 *
 * +Infinity when no period falls below the target and the mean excess is positive; NaN with
 * fewer than two returns or when both mean and downside are zero.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { sortino } from "./sortino.ts";
 * // r = 0.03, -0.01: mean 0.01, dd = sqrt((0 + 0.0001) / 2) = 0.0070711, ratio * sqrt(1) = 1.4142136
 * const s = sortino(new Float64Array([0.03, -0.01]), { periodsPerYear: 1 });
 * assert.ok(Math.abs(s - Math.SQRT2) < 1e-12);
 * ```
 */
export function sortino(returns: Float64Array, options: RiskFreeOptions): number {
  const ppy = options.periodsPerYear;
  checkPeriodsPerYear(ppy, "sortino");
  const rf = riskFreePerPeriod(options.riskFree ?? 0, ppy, "sortino");
  let n = 0;
  let s = 0;
  let down = 0;
  for (let i = 0; i < returns.length; i++) {
    const x = returns[i]! - rf;
    const ok = x === x;
    s += ok ? x : 0;
    n += ok ? 1 : 0;
    // x - |x| is 2x below the target and 0 above: a branch-free min(x, 0), twice over.
    const neg = x - Math.abs(x);
    down += ok ? neg * neg : 0;
  }
  if (n < 2) return NaN;
  return (s / n) / Math.sqrt(down / (4 * n)) * Math.sqrt(ppy);
}
