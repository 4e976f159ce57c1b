import { checkConfidence, finiteCopy, quantileInPlace } from "./_private.ts";
import type { VarOptions } from "./value_at_risk.ts";

/**
 * Historical conditional value at risk (expected shortfall) of one period: the mean of the
 * non-NaN returns at or below the historical VaR, quantstats' `cvar(method = "historical")`.
 * Negative for a loss, like `valueAtRisk`. empyrical instead averages the lowest
 * `floor((n - 1) * cutoff) + 1` returns; both agree when that rank lands on an observation.
 * NaN for empty input.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { conditionalValueAtRisk } from "./conditional_value_at_risk.ts";
 * // VaR(0.75) = -0.01 (see valueAtRisk); returns <= -0.01: -0.04, -0.01 -> mean -0.025
 * const r = new Float64Array([0.02, -0.01, 0.03, -0.04, 0.05]);
 * assert.ok(Math.abs(conditionalValueAtRisk(r, { confidence: 0.75 }) - -0.025) < 1e-15);
 * ```
 */
export function conditionalValueAtRisk(returns: Float64Array, options: VarOptions = {}): number {
  const c = options.confidence ?? 0.95;
  checkConfidence(c, "conditionalValueAtRisk");
  const values = finiteCopy(returns);
  const v = quantileInPlace(values, 1 - c);
  if (v !== v) return NaN;
  let s = 0;
  let k = 0;
  for (let i = 0; i < values.length; i++) {
    const x = values[i]!;
    const tail = x <= v;
    s += tail ? x : 0;
    k += tail ? 1 : 0;
  }
  return s / k;
}
