// A short-lived in-memory DuckDB per operation: the registry never holds a database file, so a
// long-running web server and a scheduled CLI job never contend for DuckDB's single-writer lock.

import { type DuckDBConnection, DuckDBInstance, type DuckDBValue } from "@duckdb/node-api";

/** Runs `fn` with a fresh in-memory connection (no network, no extension downloads), then closes it. */
export async function withDuck<T>(fn: (conn: DuckDBConnection) => Promise<T>): Promise<T> {
  const instance = await DuckDBInstance.create(":memory:", {
    threads: "2",
    autoinstall_known_extensions: "false",
    autoload_known_extensions: "false",
  });
  try {
    const conn = await instance.connect();
    try {
      return await fn(conn);
    } finally {
      conn.closeSync();
    }
  } finally {
    instance.closeSync();
  }
}

/** A SQL string literal; used only for file paths, which DuckDB's COPY and CREATE VIEW cannot bind. */
export function sqlString(s: string): string {
  if (s.includes("\0")) throw new TypeError(`Invalid path ${JSON.stringify(s)}: NUL bytes are not allowed`);
  return `'${s.replace(/'/g, "''")}'`;
}

/** A quoted SQL identifier (column names come from strategy params and stat keys). */
export function sqlIdent(s: string): string {
  return `"${s.replace(/"/g, '""')}"`;
}

/** Reads every column of `sql`'s result, numbers as Float64Array (BIGINT cast by the caller), text as strings. */
export async function readColumns(
  conn: DuckDBConnection,
  sql: string,
  params: DuckDBValue[] = [],
): Promise<Record<string, Float64Array | (string | null)[]>> {
  const reader = await conn.runAndReadAll(sql, params);
  const names = reader.columnNames();
  const cols = reader.getColumns();
  const out: Record<string, Float64Array | (string | null)[]> = {};
  names.forEach((name, c) => {
    const values = cols[c]!;
    const numeric = values.every((v) => v === null || typeof v === "number" || typeof v === "bigint");
    out[name] = numeric
      ? Float64Array.from(values, (v) => v === null ? NaN : Number(v))
      : values.map((v) => v === null ? null : String(v));
  });
  return out;
}
