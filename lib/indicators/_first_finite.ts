/**
 * The first finite value of `values`, or 0 when there is none. Rolling sums anchor their
 * deviations here; it is causal because every output before this index is NaN anyway.
 */
export function firstFinite(values: Float64Array): number {
  for (let i = 0; i < values.length; i++) {
    const x = values[i]!;
    if (x - x === 0) return x;
  }
  return 0;
}
