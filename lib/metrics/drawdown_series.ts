/**
 * Underwater curve of an equity curve: `equity[i] / max(equity[0..i]) - 1`, 0 at new highs and
 * negative below them (same length as the input). A NaN equity value gives NaN there and does
 * not move the peak. Pass `out` (same length) to reuse a buffer.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { drawdownSeries } from "./drawdown_series.ts";
 * // peaks 100, 120, 120, 120: 0, 0, 90/120 - 1 = -0.25, 0
 * assert.deepEqual([...drawdownSeries(new Float64Array([100, 120, 90, 120]))], [0, 0, -0.25, 0]);
 * ```
 */
export function drawdownSeries(equity: Float64Array, out?: Float64Array): Float64Array {
  const n = equity.length;
  if (out !== undefined && out.length !== n) {
    throw new RangeError(`drawdownSeries: out must have the length of equity (${n}), got ${out.length}`);
  }
  const dd = out ?? new Float64Array(n);
  let peak = -Infinity;
  for (let i = 0; i < n; i++) {
    const e = equity[i]!;
    if (e > peak) peak = e;
    dd[i] = e / peak - 1;
  }
  return dd;
}
