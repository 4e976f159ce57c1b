import { checkColumns, checkSeries, prepareOutU8 } from "./_validate.ts";
import type { CrossOptions } from "./crossed_above.ts";

/**
 * Marks the bars where `a` crosses below `b`: `out[i]` is 1 when `a[i] < b[i]` and
 * `a[i-1] >= b[i-1]`, with all four values defined (not NaN), else 0. `b` may be a series of
 * the same length or a number (a threshold such as RSI 70). Bar 0 is always 0.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { crossedBelow } from "./crossed_below.ts";
 * const rsi = Float64Array.of(75, 71, 69, 70, 65);
 * assert.deepEqual([...crossedBelow(rsi, 70)], [0, 0, 1, 0, 1]);
 * ```
 */
export function crossedBelow(a: Float64Array, b: Float64Array | number, options: CrossOptions = {}): Uint8Array {
  checkSeries("crossedBelow", "a", a);
  const n = a.length;
  const out = prepareOutU8("crossedBelow", n, options.out);
  if (n === 0) return out;
  out[0] = 0;
  if (typeof b === "number") {
    for (let i = 1; i < n; i++) out[i] = a[i]! < b && a[i - 1]! >= b ? 1 : 0;
    return out;
  }
  checkColumns("crossedBelow", { a, b });
  for (let i = 1; i < n; i++) out[i] = a[i]! < b[i]! && a[i - 1]! >= b[i - 1]! ? 1 : 0;
  return out;
}
