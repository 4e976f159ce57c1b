import { checkPeriodsPerYear, compoundGrowth } from "./_private.ts";
import type { AnnualizationOptions } from "./options.ts";

/**
 * Annual return as empyrical defines `annual_return`: the geometric growth rate per year of bars,
 * `(1 + total return) ** (periodsPerYear / n) - 1` over the `n` returns (NaN ones count as flat
 * periods, as in empyrical's `cum_returns`). Registry key `annual_return`.
 *
 * - Same number as {@link cagr} without `ts` (empyrical's `cagr` is this very formula). The
 *   registry's `cagr` stat passes the bar times instead, so it counts calendar years (quantstats'
 *   `cagr`): the two agree on gap-free bars whose `periodsPerYear` matches the calendar (daily
 *   crypto at 365) and part where bars are missing or the year has fewer bars than days.
 * - The arithmetic `mean(r) * periodsPerYear` is {@link annualReturnArithmetic}.
 *
 * NaN for empty input or a terminal wealth below zero; -1 at exactly zero.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { annualReturn } from "./annual_return.ts";
 * // +50 % then -50 % over one year of two bars: 0.75 of the start, -25 % a year
 * assert.equal(annualReturn(new Float64Array([0.5, -0.5]), { periodsPerYear: 2 }), -0.25);
 * ```
 */
export function annualReturn(returns: Float64Array, options: AnnualizationOptions): number {
  const ppy = options.periodsPerYear;
  checkPeriodsPerYear(ppy, "annualReturn");
  const n = returns.length;
  if (n === 0) return NaN;
  const g = compoundGrowth(returns);
  if (!(g >= 0)) return NaN;
  return Math.pow(g, ppy / n) - 1;
}
