import { cagr } from "./cagr.ts";
import { maxDrawdown } from "./max_drawdown.ts";
import type { AnnualizationOptions } from "./options.ts";

/**
 * Calmar ratio, empyrical's definition: `cagr / |maxDrawdown|` over the whole series (not the
 * trailing 36 months of Young's original). NaN when there is no drawdown or the ratio is infinite,
 * as in empyrical (quantstats would divide by zero).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { calmar } from "./calmar.ts";
 * // yearly returns 0.5, -0.2: total 1.5 * 0.8 = 1.2, cagr = 1.2 ** 0.5 - 1; max drawdown -0.2
 * const c = calmar(new Float64Array([0.5, -0.2]), { periodsPerYear: 1 });
 * assert.ok(Math.abs(c - (Math.sqrt(1.2) - 1) / 0.2) < 1e-12);
 * ```
 */
export function calmar(returns: Float64Array, options: AnnualizationOptions): number {
  const dd = maxDrawdown(returns);
  if (!(dd < 0)) return NaN;
  const v = cagr(returns, options) / -dd;
  return Number.isFinite(v) ? v : NaN;
}
