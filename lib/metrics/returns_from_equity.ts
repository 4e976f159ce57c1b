/**
 * Simple returns of an equity (or price) curve: `r[i] = equity[i + 1] / equity[i] - 1`, one fewer
 * than the input (like empyrical's `simple_returns`). A NaN on either side gives a NaN return,
 * which the metrics treat as a missing observation. Pass `out` (length n - 1) to reuse a buffer.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { returnsFromEquity } from "./returns_from_equity.ts";
 * assert.deepEqual([...returnsFromEquity(new Float64Array([100, 110, 99]))], [0.10000000000000009, -0.09999999999999998]);
 * ```
 */
export function returnsFromEquity(equity: Float64Array, out?: Float64Array): Float64Array {
  const n = equity.length > 0 ? equity.length - 1 : 0;
  if (out !== undefined && out.length !== n) {
    throw new RangeError(`returnsFromEquity: out must have length ${n} (equity.length - 1), got ${out.length}`);
  }
  const r = out ?? new Float64Array(n);
  for (let i = 0; i < n; i++) r[i] = equity[i + 1]! / equity[i]! - 1;
  return r;
}
