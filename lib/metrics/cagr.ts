import { checkPeriodsPerYear } from "./_private.ts";
import type { AnnualizationOptions } from "./options.ts";

/**
 * Compound annual growth rate, empyrical's definition (`annual_return`/`cagr`):
 * `prod(1 + r) ** (periodsPerYear / n) - 1`, where `n` is the number of returns, NaN ones
 * included (they count as flat periods). Years are counted in bars, `n / periodsPerYear`, not from
 * timestamps: with gap-free bars both agree, and bars keep it consistent with Sharpe's scaling.
 *
 * NaN for empty input or a terminal wealth below zero (leveraged wipe-out); -1 at exactly zero.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { cagr } from "./cagr.ts";
 * // two yearly returns of 10 % and 21 %: (1.1 * 1.21) ** (1 / 2) - 1 = 1.331 ** 0.5 - 1
 * const v = cagr(new Float64Array([0.1, 0.21]), { periodsPerYear: 1 });
 * assert.ok(Math.abs(v - (Math.sqrt(1.331) - 1)) < 1e-12);
 * ```
 */
export function cagr(returns: Float64Array, options: AnnualizationOptions): number {
  const ppy = options.periodsPerYear;
  checkPeriodsPerYear(ppy, "cagr");
  const n = returns.length;
  if (n === 0) return NaN;
  let g = 1;
  for (let i = 0; i < n; i++) {
    const r = returns[i]!;
    g *= r === r ? 1 + r : 1;
  }
  if (!(g >= 0)) return NaN;
  return Math.pow(g, ppy / n) - 1;
}
