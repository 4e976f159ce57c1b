import { checkPeriodsPerYear, riskFreePerPeriod } from "./_private.ts";
import type { RiskFreeOptions } from "./options.ts";

/** Options of {@link omega}. */
export interface OmegaOptions extends RiskFreeOptions {
  /**
   * Yearly minimum acceptable return, default 0; de-annualized like empyrical and quantstats,
   * `(1 + requiredReturn) ** (1 / ppy) - 1` (used as is when `periodsPerYear` is 1).
   */
  requiredReturn?: number;
}

/**
 * Omega ratio (Keating & Shadwick), as empyrical and quantstats compute it: with
 * `x = r - rf - threshold`, `sum(x > 0) / -sum(x < 0)` over the non-NaN returns.
 * NaN with fewer than two returns or when nothing falls below the threshold (as in empyrical).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { omega } from "./omega.ts";
 * // gains 0.02 + 0.03 = 0.05, losses 0.01 + 0.04 = 0.05: omega 1
 * assert.equal(omega(new Float64Array([0.02, -0.01, 0.03, -0.04]), { periodsPerYear: 1 }), 1);
 * ```
 */
export function omega(returns: Float64Array, options: OmegaOptions): number {
  const ppy = options.periodsPerYear;
  checkPeriodsPerYear(ppy, "omega");
  const rf = riskFreePerPeriod(options.riskFree ?? 0, ppy, "omega");
  const req = options.requiredReturn ?? 0;
  if (!(req > -1) || !Number.isFinite(req)) {
    throw new RangeError(`omega: requiredReturn must be a finite yearly rate > -1, got ${req}`);
  }
  const threshold = ppy === 1 ? req : Math.pow(1 + req, 1 / ppy) - 1;
  let n = 0;
  let up = 0;
  let down = 0;
  for (let i = 0; i < returns.length; i++) {
    const x = returns[i]! - rf - threshold;
    const ok = x === x;
    const a = Math.abs(x);
    n += ok ? 1 : 0;
    // (|x| + x) / 2 and (|x| - x) / 2 are the gain and the loss, exactly, without a branch.
    up += ok ? (a + x) / 2 : 0;
    down += ok ? (a - x) / 2 : 0;
  }
  if (n < 2 || !(down > 0)) return NaN;
  return up / down;
}
