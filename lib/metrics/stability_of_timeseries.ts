import { stabilityOf } from "./_stability.ts";

/**
 * Stability of a returns series, empyrical's `stability_of_timeseries`: the R² of a least-squares
 * line through the cumulative log returns `cumsum(log1p(r))` against the bar index, from 0 (no
 * trend) to 1 (growth at a constant rate, however fast or slow). NaN returns are dropped first,
 * as empyrical does, so the index counts the finite returns only.
 *
 * NaN with fewer than two finite returns, for a flat curve (R² undefined; scipy's `linregress`
 * gives NaN there too), or when a return is -1 or below (the log of a wiped-out account).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { stabilityOfTimeseries } from "./stability_of_timeseries.ts";
 * // steady +1 % a bar: the log curve is a straight line
 * assert.ok(Math.abs(stabilityOfTimeseries(new Float64Array(20).fill(0.01)) - 1) < 1e-12);
 * // log curve 1, 1, 2 against 0, 1, 2: R² = 3/4
 * const e1 = Math.E - 1;
 * assert.ok(Math.abs(stabilityOfTimeseries(new Float64Array([e1, 0, e1])) - 0.75) < 1e-14);
 * ```
 */
export function stabilityOfTimeseries(returns: Float64Array): number {
  return stabilityOf(returns, false);
}
