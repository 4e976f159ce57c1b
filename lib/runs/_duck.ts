// In-memory DuckDB only: the registry never holds a database file, so a long-running web server and
// a scheduled CLI job never contend for DuckDB's single-writer lock.

import type { DuckDBConnection, DuckDBInstance, DuckDBTypeId, DuckDBValue } from "@duckdb/node-api";

/** The `@duckdb/node-api` module. */
export type DuckModule = typeof import("@duckdb/node-api");

let loaded: Promise<DuckModule> | undefined;

/**
 * The DuckDB module, loaded on first use: loading its native addon costs 110-150 ms (measured on this 2-core machine
 * class), which every process importing lib/runs paid at start even when it never read a run (`deno task mcp`'s
 * first answer, the CLI's help).
 */
export function duckdb(): Promise<DuckModule> {
  const p = loaded ??= import("@duckdb/node-api");
  p.catch(() => {
    if (loaded === p) loaded = undefined;
  });
  return p;
}

/** In-memory, no network, no extension downloads. */
const OPTIONS = {
  threads: "2",
  autoinstall_known_extensions: "false",
  autoload_known_extensions: "false",
};

/** Runs `fn` with a fresh in-memory connection (no network, no extension downloads), then closes it. */
export async function withDuck<T>(fn: (conn: DuckDBConnection) => Promise<T>): Promise<T> {
  const instance = await (await duckdb()).DuckDBInstance.create(":memory:", OPTIONS);
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

/**
 * One in-memory DuckDB instance created on first use and kept for later reads (creating one,
 * plus the first query's setup, is most of the cost of reading a small Parquet file). Each
 * operation gets its own connection, so concurrent reads do not share one. It holds no file, so
 * it takes no lock. {@link close} waits for running operations, then closes the instance; a
 * later operation opens a new one.
 */
export class LazyDuck {
  #instance?: Promise<DuckDBInstance>;
  #running = 0;
  #idle?: PromiseWithResolvers<void>;

  /** Runs `fn` with a new connection to the shared instance, then closes the connection. */
  async run<T>(fn: (conn: DuckDBConnection) => Promise<T>): Promise<T> {
    this.#running++;
    try {
      const created = this.#instance ??= duckdb().then((d) => d.DuckDBInstance.create(":memory:", OPTIONS));
      let instance: DuckDBInstance;
      try {
        instance = await created;
      } catch (e) {
        if (this.#instance === created) this.#instance = undefined;
        throw e;
      }
      const conn = await instance.connect();
      try {
        return await fn(conn);
      } finally {
        conn.closeSync();
      }
    } finally {
      if (--this.#running === 0) this.#idle?.resolve();
    }
  }

  /** Closes the instance once no operation runs (a no-op if none was opened). */
  async close(): Promise<void> {
    while (this.#running > 0) {
      this.#idle ??= Promise.withResolvers<void>();
      await this.#idle.promise;
      this.#idle = undefined;
    }
    const created = this.#instance;
    this.#instance = undefined;
    if (created === undefined) return;
    const instance = await created.catch(() => undefined);
    instance?.closeSync();
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

/** Column types whose values come back as JS numbers or bigints (read into Float64Array). */
let numeric: Set<DuckDBTypeId> | undefined;

function numericTypes(d: DuckModule): Set<DuckDBTypeId> {
  const t = d.DuckDBTypeId;
  return numeric ??= new Set<DuckDBTypeId>([
    t.TINYINT,
    t.SMALLINT,
    t.INTEGER,
    t.BIGINT,
    t.UTINYINT,
    t.USMALLINT,
    t.UINTEGER,
    t.UBIGINT,
    t.HUGEINT,
    t.UHUGEINT,
    t.FLOAT,
    t.DOUBLE,
    t.SQLNULL,
  ]);
}

/**
 * Reads every column of `sql`'s result, numbers as Float64Array, anything else as text (`null` kept).
 * The kind comes from the result's column types, not from the values: a result with 0 rows has
 * no values to look at (a zero-trade run's trades.parquet), and an all-NULL text column stays text.
 */
export async function readColumns(
  conn: DuckDBConnection,
  sql: string,
  params: DuckDBValue[] = [],
): Promise<Record<string, Float64Array | (string | null)[]>> {
  const NUMERIC = numericTypes(await duckdb());
  const reader = await conn.runAndReadAll(sql, params);
  const names = reader.columnNames();
  const types = reader.columnTypes();
  const cols = reader.getColumns();
  const out: Record<string, Float64Array | (string | null)[]> = {};
  names.forEach((name, c) => {
    const values = cols[c] ?? [];
    out[name] = NUMERIC.has(types[c]!.typeId)
      ? Float64Array.from(values, (v) => v === null ? NaN : Number(v))
      : values.map((v) => v === null ? null : String(v));
  });
  return out;
}
