import { checkDurationOptions, drawdownEpisodes, durations } from "./_private.ts";

/** Options of {@link maxDrawdownDuration} and `avgDrawdownDuration`. */
export interface DrawdownDurationOptions {
  /** `"bars"` (default) or `"ms"` (needs `ts`). */
  unit?: "bars" | "ms";
  /** Bar timestamps in epoch ms aligned to the equity curve; required for `unit: "ms"`. */
  ts?: Float64Array;
}

/**
 * Longest time under water of an equity curve: for each drawdown episode, from the peak bar to
 * the first bar back at or above the peak (or to the last bar if never recovered), in bars or in
 * milliseconds. quantstats reports the same span in calendar days. 0 when equity never falls;
 * NaN for an empty curve.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { maxDrawdownDuration } from "./max_drawdown_duration.ts";
 * const equity = new Float64Array([100, 90, 95, 100, 101, 99]);
 * // episodes: peak 0 -> recovered at 3 (3 bars); peak 4 -> still under at 5 (1 bar)
 * assert.equal(maxDrawdownDuration(equity), 3);
 * const ts = new Float64Array([0, 1, 2, 3, 4, 5].map((d) => d * 86_400_000));
 * assert.equal(maxDrawdownDuration(equity, { unit: "ms", ts }), 3 * 86_400_000);
 * ```
 */
export function maxDrawdownDuration(equity: Float64Array, options: DrawdownDurationOptions = {}): number {
  checkDurationOptions(equity, options, "maxDrawdownDuration");
  if (equity.length === 0) return NaN;
  return durations(drawdownEpisodes(equity), options).max;
}
