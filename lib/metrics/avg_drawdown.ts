import { drawdownEpisodes, meanDepth } from "./_private.ts";

/**
 * Average drawdown of an equity curve: the mean depth (negative fraction) of its drawdown
 * episodes, each episode running from a peak to the first bar back at or above it, or to the
 * end if not recovered. This is the mean of quantstats' `drawdown_details` "max drawdown" column
 * (its "Avg. Drawdown"); empyrical has no such metric. 0 when equity never falls; NaN for an
 * empty curve.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { avgDrawdown } from "./avg_drawdown.ts";
 * // episodes: 100 -> 90 (-0.10, recovered at 100), 110 -> 88 (-0.20, open): mean -0.15
 * const v = avgDrawdown(new Float64Array([100, 90, 100, 110, 88]));
 * assert.ok(Math.abs(v - -0.15) < 1e-12);
 * ```
 */
export function avgDrawdown(equity: Float64Array): number {
  if (equity.length === 0) return NaN;
  return meanDepth(drawdownEpisodes(equity));
}
