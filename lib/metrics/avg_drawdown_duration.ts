import { checkDurationOptions, drawdownEpisodes, durations } from "./_private.ts";
import type { DrawdownDurationOptions } from "./max_drawdown_duration.ts";

/**
 * Mean time under water over the drawdown episodes of an equity curve (each from its peak to
 * recovery, or to the last bar if open), in bars or milliseconds; see `maxDrawdownDuration`.
 * 0 when equity never falls; NaN for an empty curve.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { avgDrawdownDuration } from "./avg_drawdown_duration.ts";
 * // episodes of 3 bars (0 -> 3) and 1 bar (4 -> 5): mean 2
 * assert.equal(avgDrawdownDuration(new Float64Array([100, 90, 95, 100, 101, 99])), 2);
 * ```
 */
export function avgDrawdownDuration(equity: Float64Array, options: DrawdownDurationOptions = {}): number {
  checkDurationOptions(equity, options, "avgDrawdownDuration");
  if (equity.length === 0) return NaN;
  return durations(drawdownEpisodes(equity), options).mean;
}
