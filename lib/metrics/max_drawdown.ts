/**
 * Maximum drawdown of a returns series as a **negative** fraction (-0.25 is a 25 % fall from the
 * running peak), empyrical's and quantstats' sign convention. Equity starts at 1 before the first
 * return, so a first-period loss counts. NaN returns count as flat periods. 0 when equity never
 * falls; NaN for empty input. For an equity curve use `drawdownSeries` or
 * `maxDrawdown(returnsFromEquity(equity))`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { maxDrawdown } from "./max_drawdown.ts";
 * // 1 -> 1.1 -> 0.99 -> 1.089: the fall 1.1 -> 0.99 is 0.99 / 1.1 - 1 = -0.1
 * assert.ok(Math.abs(maxDrawdown(new Float64Array([0.1, -0.1, 0.1])) - -0.1) < 1e-12);
 * ```
 */
export function maxDrawdown(returns: Float64Array): number {
  const n = returns.length;
  if (n === 0) return NaN;
  let eq = 1;
  let peak = 1;
  let worst = 1;
  // Branch-free on purpose: new peaks and new troughs come at random, and V8 turns data-dependent
  // ifs into mispredicted jumps; Math.max/min and the select on NaN stay predictable.
  for (let i = 0; i < n; i++) {
    const r = returns[i]!;
    eq *= r === r ? 1 + r : 1;
    peak = Math.max(peak, eq);
    worst = Math.min(worst, eq / peak);
  }
  return worst - 1;
}
