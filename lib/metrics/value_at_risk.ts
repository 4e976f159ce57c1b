import { checkConfidence, finiteCopy, quantileInPlace } from "./_private.ts";

/** Options of {@link valueAtRisk} and `conditionalValueAtRisk`. */
export interface VarOptions {
  /** Confidence level in (0, 1); default 0.95 (the 5 % left tail). */
  confidence?: number;
}

/**
 * Historical value at risk of one period: the `1 - confidence` quantile of the non-NaN returns,
 * with numpy's linear interpolation, as empyrical's `value_at_risk(returns, cutoff = 0.05)`.
 * Sign convention of empyrical and quantstats: a loss is a **negative** return (-0.03 means "on
 * the worst 5 % of days you lose at least 3 %"). quantstats' default VaR is the parametric
 * (normal) one; this is the historical one. NaN for empty input.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { valueAtRisk } from "./value_at_risk.ts";
 * // sorted -0.04, -0.01, 0.02, 0.03, 0.05; rank (5 - 1) * 0.25 = 1 -> -0.01
 * assert.equal(valueAtRisk(new Float64Array([0.02, -0.01, 0.03, -0.04, 0.05]), { confidence: 0.75 }), -0.01);
 * ```
 */
export function valueAtRisk(returns: Float64Array, options: VarOptions = {}): number {
  const c = options.confidence ?? 0.95;
  checkConfidence(c, "valueAtRisk");
  return quantileInPlace(finiteCopy(returns), 1 - c);
}
