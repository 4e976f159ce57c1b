import { checkPeriodsPerYear, compoundGrowth } from "./_private.ts";
import type { AnnualizationOptions } from "./options.ts";

const YEAR_MS = 365 * 86_400_000;

/** Options of {@link cagr}. */
export interface CagrOptions extends AnnualizationOptions {
  /**
   * Bar times (epoch ms) of the equity curve the returns come from, `returns.length + 1` values.
   * Given: years are calendar time, `(last ts - first ts) / 365 days` (quantstats), and
   * `periodsPerYear` is only validated. Omitted: years are `n / periodsPerYear` bars (empyrical).
   */
  ts?: Float64Array;
}

/**
 * Compound annual growth rate, `(1 + total return) ** (1 / years) - 1`, where NaN returns count
 * as flat periods. Two conventions, chosen by `ts`:
 *
 * - **by bars** (no `ts`): years = `n / periodsPerYear` over the `n` returns. This is empyrical's
 *   `cagr`, identical to its `annual_return` ({@link annualReturn}), and keeps CAGR consistent
 *   with Sharpe's scaling.
 * - **by calendar** (`ts`): years = the span of the equity curve in 365-day years, quantstats'
 *   `cagr` (which spans its returns' index, one bar shorter; ours spans the bars the returns
 *   cover). The registry's `cagr` stat uses this one, `annual_return` the other: they agree on
 *   gap-free bars whose `periodsPerYear` matches the calendar (daily crypto at 365), and part
 *   where bars are missing or a year has fewer bars than days (252 trading days, weekends).
 *
 * NaN for empty input, a zero calendar span, or a terminal wealth below zero (leveraged
 * wipe-out); -1 at exactly zero.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { cagr } from "./cagr.ts";
 * // two yearly returns of 10 % and 21 %: (1.1 * 1.21) ** (1 / 2) - 1 = 1.331 ** 0.5 - 1
 * const v = cagr(new Float64Array([0.1, 0.21]), { periodsPerYear: 1 });
 * assert.ok(Math.abs(v - (Math.sqrt(1.331) - 1)) < 1e-12);
 * // the same two returns over three calendar years (a gap): 1.331 ** (1 / 3) - 1 = 0.1
 * const year = 365 * 86_400_000;
 * const ts = new Float64Array([0, year, 3 * year]);
 * assert.ok(Math.abs(cagr(new Float64Array([0.1, 0.21]), { periodsPerYear: 1, ts }) - 0.1) < 1e-12);
 * ```
 */
export function cagr(returns: Float64Array, options: CagrOptions): number {
  const ppy = options.periodsPerYear;
  checkPeriodsPerYear(ppy, "cagr");
  const n = returns.length;
  const ts = options.ts;
  if (ts !== undefined && ts.length !== n + 1) {
    throw new RangeError(
      `cagr: ts must hold the ${n + 1} bar times of the equity curve behind ${n} returns, got ${ts.length}`,
    );
  }
  if (n === 0) return NaN;
  const g = compoundGrowth(returns);
  if (!(g >= 0)) return NaN;
  if (ts === undefined) return Math.pow(g, ppy / n) - 1;
  const years = (ts[n]! - ts[0]!) / YEAR_MS;
  return years > 0 ? Math.pow(g, 1 / years) - 1 : NaN;
}
