// DuckDB query results into Float64Array columns, streaming chunk by chunk.

import type { DuckDBConnection, DuckDBValue } from "@duckdb/node-api";

/** Runs `sql` (every output column must be DOUBLE) and copies the result into one Float64Array per column. */
export async function queryColumns(
  conn: DuckDBConnection,
  sql: string,
  params: DuckDBValue[],
  capacity = 4096,
): Promise<Float64Array[]> {
  const result = await conn.stream(sql, params);
  const ncols = result.columnCount;
  let cols = Array.from({ length: ncols }, () => new Float64Array(Math.max(capacity, 1)));
  let n = 0;
  for (;;) {
    const chunk = await result.fetchChunk();
    if (!chunk || chunk.rowCount === 0) break;
    const rows = chunk.rowCount;
    if (n + rows > cols[0]!.length) {
      const size = Math.max(n + rows, cols[0]!.length * 2);
      cols = cols.map((c) => {
        const next = new Float64Array(size);
        next.set(c.subarray(0, n));
        return next;
      });
    }
    for (let c = 0; c < ncols; c++) {
      const vec = chunk.getColumnVector(c) as unknown as { items: unknown };
      if (!(vec.items instanceof Float64Array)) {
        throw new TypeError(`queryColumns: column ${c} is not DOUBLE; cast it in the SQL`);
      }
      cols[c]!.set(vec.items, n);
    }
    n += rows;
  }
  return cols.map((c) => c.length === n ? c : c.slice(0, n));
}
