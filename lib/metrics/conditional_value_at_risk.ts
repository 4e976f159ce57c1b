import { checkConfidence, finiteCopy, quantileInPlace } from "./_private.ts";
import type { VarOptions } from "./value_at_risk.ts";

/**
 * Historical conditional value at risk (expected shortfall) of one period, empyrical's
 * `conditional_value_at_risk(returns, cutoff = 1 - confidence)`: the mean of the lowest
 * `floor((n - 1) * cutoff) + 1` non-NaN returns, i.e. of the returns at or below the historical
 * VaR (`valueAtRisk`), each tied value counted only up to that rank. Negative for a loss.
 * NaN for empty input.
 *
 * quantstats differs: its `cvar` averages the returns strictly below its default VaR, which is
 * the parametric (normal) one, `mean + z * std`, and falls back to that VaR when none is below.
 * Ties matter for backtests: on a strategy flat most of the time the 5 % quantile is often 0,
 * and "every return at or below 0" would average in all the flat bars; the rank does not.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { conditionalValueAtRisk } from "./conditional_value_at_risk.ts";
 * // sorted -0.04, -0.01, 0.02, 0.03, 0.05; cutoff 0.25: the lowest floor(4 * 0.25) + 1 = 2 -> mean -0.025
 * const r = new Float64Array([0.02, -0.01, 0.03, -0.04, 0.05]);
 * assert.ok(Math.abs(conditionalValueAtRisk(r, { confidence: 0.75 }) - -0.025) < 1e-15);
 * ```
 */
export function conditionalValueAtRisk(returns: Float64Array, options: VarOptions = {}): number {
  const c = options.confidence ?? 0.95;
  checkConfidence(c, "conditionalValueAtRisk");
  const values = finiteCopy(returns);
  const n = values.length;
  if (n === 0) return NaN;
  // quantileInPlace selects rank k first: the k + 1 lowest values end up in values[0..k].
  quantileInPlace(values, 1 - c);
  const k = Math.floor((n - 1) * (1 - c));
  let s = 0;
  for (let i = 0; i <= k; i++) s += values[i]!;
  return s / (k + 1);
}
