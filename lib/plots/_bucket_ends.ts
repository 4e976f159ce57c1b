// The buckets of decimate (M4): one per pixel column of the x span, shared by decimate and SeriesDecimator so both
// cut a series at the same bars.

/** The last index of each bucket decimate forms over `x` (more than `4 * buckets` points), with its checks. */
export function bucketEnds(x: Float64Array, buckets: number): Uint32Array {
  const n = x.length;
  if (n > 0xffff_ffff) throw new RangeError(`decimate: ${n} points exceed the Uint32 index range`);
  const x0 = x[0]!;
  const span = x[n - 1]! - x0;
  if (!Number.isFinite(x0) || !(span >= 0) || !Number.isFinite(span)) {
    throw new RangeError(`decimate: x must be finite and non-decreasing, got first ${x0} and last ${x[n - 1]}`);
  }
  const scale = span > 0 ? buckets / span : 0;
  const last = buckets - 1;
  const ends = new Uint32Array(buckets);
  let k = 0;
  let i = 0;
  let prevX = x0;
  while (i < n) {
    const b = Math.min(last, Math.floor((x[i]! - x0) * scale));
    let j = i;
    do {
      const xj = x[j]!;
      if (!(xj >= prevX)) {
        throw new RangeError(`decimate: x must be non-decreasing and not NaN, got ${xj} after ${prevX} at index ${j}`);
      }
      prevX = xj;
      j++;
    } while (j < n && (b === last || (x[j]! - x0) * scale < b + 1));
    ends[k++] = j - 1;
    i = j;
  }
  return ends.slice(0, k);
}
