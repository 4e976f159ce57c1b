// Rolling maximum and minimum in O(n) with the van Herk / Gil-Werman algorithm: split the
// series into blocks of `period` bars; a window [i - period + 1, i] spans at most two blocks,
// so its extreme is the extreme of a suffix of one block and a prefix of the next. Only
// Math.max/Math.min (branch-free) are used, and a NaN (missing value) reaches exactly the
// windows that contain it. Results are exact, so prefixes give identical values (causal).
//
// `x + x * 0` is x for finite x and NaN for NaN and ±Infinity, without a branch.

/**
 * Writes the rolling maximum (`sign` 1) or minimum (`sign` -1) of `values` over `period` bars
 * into `out`, NaN for the first `period - 1` bars and for windows holding a non-finite value.
 * `scratch` is a work buffer of the same length.
 */
export function rollingExtreme(
  values: Float64Array,
  period: number,
  sign: 1 | -1,
  out: Float64Array,
  scratch: Float64Array,
): void {
  const n = values.length;
  for (let start = 0; start < n; start += period) {
    const end = Math.min(n, start + period);
    if (sign === 1) maxBlock(values, period, start, end, scratch, out);
    else minBlock(values, period, start, end, scratch, out);
  }
}

// One block: suffix extremes of this block into `suffix`, then the outputs of its bars from
// the running prefix extreme and the previous block's suffixes.
function maxBlock(
  values: Float64Array,
  period: number,
  start: number,
  end: number,
  suffix: Float64Array,
  out: Float64Array,
): void {
  let m = -Infinity;
  for (let i = end - 1; i >= start; i--) {
    const x = values[i]!;
    m = Math.max(m, x + x * 0);
    suffix[i] = m;
  }
  let prefix = -Infinity;
  for (let i = start; i < end; i++) {
    const x = values[i]!;
    prefix = Math.max(prefix, x + x * 0);
    out[i] = i < period - 1 ? NaN : Math.max(suffix[i - period + 1]!, prefix);
  }
}

function minBlock(
  values: Float64Array,
  period: number,
  start: number,
  end: number,
  suffix: Float64Array,
  out: Float64Array,
): void {
  let m = Infinity;
  for (let i = end - 1; i >= start; i--) {
    const x = values[i]!;
    m = Math.min(m, x + x * 0);
    suffix[i] = m;
  }
  let prefix = Infinity;
  for (let i = start; i < end; i++) {
    const x = values[i]!;
    prefix = Math.min(prefix, x + x * 0);
    out[i] = i < period - 1 ? NaN : Math.min(suffix[i - period + 1]!, prefix);
  }
}
