/**
 * Compounded total return of a returns series: `prod(1 + r) - 1` (empyrical's
 * `cum_returns_final`). NaN returns count as flat periods. Empty input gives NaN.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { totalReturn } from "./total_return.ts";
 * // 1.1 * 0.9 = 0.99
 * assert.ok(Math.abs(totalReturn(new Float64Array([0.1, -0.1])) - -0.01) < 1e-15);
 * ```
 */
export function totalReturn(returns: Float64Array): number {
  const n = returns.length;
  if (n === 0) return NaN;
  let g = 1;
  for (let i = 0; i < n; i++) {
    const r = returns[i]!;
    g *= r === r ? 1 + r : 1;
  }
  return g - 1;
}
