import { type Table, tableFromArrays } from "apache-arrow";

/** ts as Int64 epoch ms (as Frame.toArrow does), equity, drawdown, then the given Float64 columns. */
export function equityTable(
  ts: Float64Array,
  equity: Float64Array,
  columns: Record<string, Float64Array>,
): Table {
  const n = ts.length;
  const ts64 = new BigInt64Array(n);
  const drawdown = new Float64Array(n);
  let peak = -Infinity;
  for (let i = 0; i < n; i++) {
    ts64[i] = BigInt(ts[i]!);
    const e = equity[i]!;
    if (e > peak) peak = e;
    drawdown[i] = peak > 0 ? e / peak - 1 : NaN;
  }
  return tableFromArrays({ ts: ts64, equity, drawdown, ...columns });
}
