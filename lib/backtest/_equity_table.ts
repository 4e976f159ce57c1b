import { type Table, tableFromArrays } from "apache-arrow";

/** 2^32: splits an integral time into the two 32-bit words of its Int64. */
const WORD = 4_294_967_296;
/** |hi word| bound of an integral double below 2^53: its Int64 is exact from the two words. */
const HI_MAX = 2_097_152;

/** ts as Int64 epoch ms (as Frame.toArrow does), equity, drawdown, then the given Float64 columns. */
export function equityTable(
  ts: Float64Array,
  equity: Float64Array,
  columns: Record<string, Float64Array>,
): Table {
  const n = ts.length;
  const ts64 = new BigInt64Array(n);
  // The Int64 times are written as two Int32 words (little-endian, as the Parquet writer assumes too): BigInt(t) per
  // bar was most of this function's 50 ms on 1M bars. A time that is not an integer below 2^53 in magnitude takes
  // BigInt(t) as before, which throws the same RangeError for NaN and fractions.
  const words = new Int32Array(ts64.buffer, ts64.byteOffset, 2 * n);
  const drawdown = new Float64Array(n);
  let peak = -Infinity;
  for (let i = 0; i < n; i++) {
    const t = ts[i]!;
    const hi = Math.floor(t / WORD);
    const lo = t - hi * WORD;
    if (lo === lo >>> 0 && hi >= -HI_MAX && hi <= HI_MAX) {
      words[2 * i] = lo | 0;
      words[2 * i + 1] = hi;
    } else ts64[i] = BigInt(t);
    const e = equity[i]!;
    if (e > peak) peak = e;
    drawdown[i] = peak > 0 ? e / peak - 1 : NaN;
  }
  return tableFromArrays({ ts: ts64, equity, drawdown, ...columns });
}
