/**
 * Ulcer index of a returns series (Peter Martin), as quantstats computes it:
 * `sqrt(sum(dd²) / (n - 1))` where `dd` is the drawdown (a negative fraction) after each return,
 * equity starting at 1. Martin's original divides by `n` and uses percent; the `n - 1` follows
 * quantstats so the numbers compare, and fractions keep it in the units of `maxDrawdown`
 * (0.05 here is Martin's 5). NaN returns count as flat periods; NaN with fewer than two returns.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { ulcerIndex } from "./ulcer_index.ts";
 * // equity 1.1, 0.99, 1.1: drawdowns 0, -0.1, 0 -> sqrt(0.01 / 2)
 * const u = ulcerIndex(new Float64Array([0.1, -0.1, 1.1 / 0.99 - 1]));
 * assert.ok(Math.abs(u - Math.sqrt(0.005)) < 1e-12);
 * ```
 */
export function ulcerIndex(returns: Float64Array): number {
  const n = returns.length;
  if (n < 2) return NaN;
  let eq = 1;
  let peak = 1;
  let ss = 0;
  for (let i = 0; i < n; i++) {
    const r = returns[i]!;
    eq *= r === r ? 1 + r : 1;
    peak = Math.max(peak, eq);
    const dd = eq / peak - 1;
    ss += dd * dd;
  }
  return Math.sqrt(ss / (n - 1));
}
