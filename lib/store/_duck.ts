// DuckDB query results into Float64Array columns, streaming chunk by chunk.

import type { DuckDBConnection, DuckDBInstance, DuckDBValue } from "@duckdb/node-api";

/** An open in-memory DuckDB and the module it came from. */
export interface Duck {
  mod: typeof import("@duckdb/node-api");
  instance: DuckDBInstance;
  conn: DuckDBConnection;
}

/**
 * Loads DuckDB and opens an in-memory database. Loaded on first use, not imported: its native addon costs 110-150 ms
 * (measured on this 2-core machine class), which every process opening a store paid at start, though most (reads of
 * single-part series, writes, the MCP server's first answers) never run SQL.
 */
export async function openDuck(threads: number): Promise<Duck> {
  const mod = await import("@duckdb/node-api");
  const instance = await mod.DuckDBInstance.create(":memory:", {
    threads: String(threads),
    // Never reach for the network: parquet is built in, nothing else is needed.
    autoinstall_known_extensions: "false",
    autoload_known_extensions: "false",
  });
  try {
    return { mod, instance, conn: await instance.connect() };
  } catch (e) {
    instance.closeSync();
    throw e;
  }
}

/** Closes what {@link openDuck} opened. */
export function closeDuck(d: Duck): void {
  d.conn.closeSync();
  d.instance.closeSync();
}

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
