import { bucketEnds } from "./_bucket_ends.ts";

/** Options for {@link decimate}. */
export interface DecimateOptions {
  /**
   * Number of equal-width x buckets, normally the plot's inner width in pixels. The output
   * holds at most `4 * buckets` points.
   */
  buckets: number;
}

/**
 * M4 decimation for drawing a long series as a line: splits the x range into `buckets` equal
 * intervals (one per pixel column) and keeps, per bucket, the first, last, minimum and maximum
 * point. A line through the kept points rasterizes like the full series at that width
 * (Jugel et al., "M4: A Visualization-Oriented Time Series Data Aggregation", VLDB 2014), so
 * spikes and the global extremes survive, and the output is bounded by `4 * buckets` whatever
 * the input length.
 *
 * Use it for drawing only, never before computing anything. NaN `y` values are skipped for the
 * min/max but kept when they open or close a bucket, so a line still breaks across a gap wider
 * than a pixel column. `x` must be non-decreasing (times in order); it is binned by value, so
 * missing bars leave empty buckets rather than stretching the line.
 *
 * Returns the kept indices, ascending and unique. A series of `4 * buckets` points or fewer
 * comes back whole.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { decimate } from "./decimate.ts";
 * const n = 100_000;
 * const x = Float64Array.from({ length: n }, (_, i) => i);
 * const y = Float64Array.from({ length: n }, (_, i) => Math.sin(i / 1000));
 * y[54_321] = 5; // a spike
 * const idx = decimate(x, y, { buckets: 800 });
 * assert.ok(idx.length <= 4 * 800);
 * assert.equal(idx[0], 0);
 * assert.equal(idx.at(-1), n - 1);
 * assert.ok(idx.includes(54_321));
 * ```
 */
export function decimate(x: Float64Array, y: Float64Array, options: DecimateOptions): Uint32Array {
  const buckets = options?.buckets;
  if (!Number.isInteger(buckets) || buckets < 1) {
    throw new RangeError(`decimate: buckets must be a positive integer (the plot width in pixels), got ${buckets}`);
  }
  if (!(x instanceof Float64Array) || !(y instanceof Float64Array)) {
    throw new TypeError("decimate: x and y must be Float64Arrays");
  }
  const n = x.length;
  if (y.length !== n) throw new RangeError(`decimate: y has ${y.length} values but x has ${n}: they must be aligned`);
  if (n > 0xffff_ffff) throw new RangeError(`decimate: ${n} points exceed the Uint32 index range`);
  if (n <= 4 * buckets) {
    assertOrdered(x);
    const all = new Uint32Array(n);
    for (let i = 0; i < n; i++) all[i] = i;
    return all;
  }
  const ends = bucketEnds(x, buckets);
  const out = new Uint32Array(4 * buckets);
  let k = 0;
  let first = 0;
  for (let g = 0; g < ends.length; g++) {
    const end = ends[g]!;
    let minI = -1, maxI = -1;
    let minV = Infinity, maxV = -Infinity;
    for (let j = first; j <= end; j++) {
      const v = y[j]!;
      if (v < minV) {
        minV = v;
        minI = j;
      }
      if (v > maxV) {
        maxV = v;
        maxI = j;
      }
    }
    // Emit first, min/max in index order, last; skipping repeats of the previous index.
    const lo = minI < maxI ? minI : maxI;
    const hi = minI < maxI ? maxI : minI;
    out[k++] = first;
    if (lo > first) out[k++] = lo;
    if (hi > first && hi !== lo) out[k++] = hi;
    if (end > first && end !== hi && end !== lo) out[k++] = end;
    first = end + 1;
  }
  return out.slice(0, k);
}

function assertOrdered(x: Float64Array): void {
  for (let i = 1; i < x.length; i++) {
    if (!(x[i]! >= x[i - 1]!)) {
      throw new RangeError(
        `decimate: x must be non-decreasing and not NaN, got ${x[i]} after ${x[i - 1]} at index ${i}`,
      );
    }
  }
  if (x.length === 1 && Number.isNaN(x[0])) throw new RangeError("decimate: x must not be NaN, got NaN at index 0");
}
