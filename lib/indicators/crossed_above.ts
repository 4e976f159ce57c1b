import { checkColumns, checkSeries, prepareOutU8 } from "./_validate.ts";

/** Options for {@link crossedAbove} and {@link crossedBelow}. */
export interface CrossOptions {
  /** Buffer to write into (length of `a`); a new one by default. */
  out?: Uint8Array;
}

/**
 * Marks the bars where `a` crosses above `b`: `out[i]` is 1 when `a[i] > b[i]` and
 * `a[i-1] <= b[i-1]`, with all four values defined (not NaN), else 0. `b` may be a series of
 * the same length or a number (a threshold such as RSI 30). Bar 0 is always 0.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { crossedAbove } from "./crossed_above.ts";
 * const fast = Float64Array.of(NaN, 1, 3, 3, 1, 4);
 * const slow = Float64Array.of(2, 2, 2, 3, 2, 2);
 * assert.deepEqual([...crossedAbove(fast, slow)], [0, 0, 1, 0, 0, 1]);
 * assert.deepEqual([...crossedAbove(fast, 2.5)], [0, 0, 1, 0, 0, 1]);
 * ```
 */
export function crossedAbove(a: Float64Array, b: Float64Array | number, options: CrossOptions = {}): Uint8Array {
  checkSeries("crossedAbove", "a", a);
  const n = a.length;
  const out = prepareOutU8("crossedAbove", n, options.out);
  if (n === 0) return out;
  out[0] = 0;
  if (typeof b === "number") {
    for (let i = 1; i < n; i++) out[i] = a[i]! > b && a[i - 1]! <= b ? 1 : 0;
    return out;
  }
  checkColumns("crossedAbove", { a, b });
  for (let i = 1; i < n; i++) out[i] = a[i]! > b[i]! && a[i - 1]! <= b[i - 1]! ? 1 : 0;
  return out;
}
