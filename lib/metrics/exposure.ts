/**
 * Exposure time: the fraction of bars in the market, from a per-bar position (units, notional or
 * weight; any non-zero value is "in the market"). NaN entries are ignored; NaN when none is left.
 * quantstats estimates the same from non-zero returns and rounds up to a whole percent; a
 * position series avoids mistaking a flat bar in the market for cash.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { exposure } from "./exposure.ts";
 * // in the market on 2 of 4 bars
 * assert.equal(exposure(new Float64Array([0, 1.5, -0.5, 0])), 0.5);
 * ```
 */
export function exposure(position: Float64Array): number {
  let n = 0;
  let k = 0;
  for (let i = 0; i < position.length; i++) {
    const p = position[i]!;
    if (p === p) {
      n++;
      if (p !== 0) k++;
    }
  }
  return n === 0 ? NaN : k / n;
}
