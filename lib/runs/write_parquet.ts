import type { DuckDBType, DuckDBValue } from "@duckdb/node-api";
import { basename, dirname, join, resolve } from "node:path";
import type { Columns } from "./columns.ts";
import { columnsLength } from "./_columns.ts";
import { duckdb, type DuckModule, sqlIdent, sqlString, withDuck } from "./_duck.ts";
import { syncDir, syncFile } from "./_fs.ts";
import { encodeParquet, writeAllSync } from "./_encode_parquet.ts";

/** Options of {@link writeParquet}. */
export interface WriteParquetOptions {
  /** Page compression. Default `zstd` (on the columns it shrinks by an eighth or more; the others are stored plain). */
  compression?: "zstd" | "snappy" | "uncompressed";
}

const CHUNK = 2048;

/**
 * Writes columns to a Parquet file, atomically: a temp file in the same folder, fsynced, then
 * renamed over `path`, so readers see the old file or the whole new one. zstd and uncompressed
 * files are encoded here (one row group, PLAIN pages, zstd on the columns it shrinks): a 1M-row
 * equity curve in about 0.1 s instead of DuckDB's 0.6 s through its Appender. Snappy and empty
 * tables go through DuckDB.
 * Types: Float64Array → DOUBLE (NaN kept), BigInt64Array → BIGINT, Int32Array → INTEGER, text →
 * VARCHAR (`null` → NULL). Column order is kept. Readable by DuckDB, pyarrow and polars.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { writeParquet } from "./write_parquet.ts";
 * const dir = await Deno.makeTempDir();
 * await writeParquet(`${dir}/x.parquet`, { ts: BigInt64Array.of(0n, 60_000n), equity: Float64Array.of(100, 101) });
 * assert.ok((await Deno.stat(`${dir}/x.parquet`)).size > 0);
 * await Deno.remove(dir, { recursive: true });
 * ```
 */
export async function writeParquet(path: string, columns: Columns, options: WriteParquetOptions = {}): Promise<void> {
  const compression = options.compression ?? "zstd";
  const parts = encodeParquet(columns, compression);
  if (parts) {
    await writeAtomic(path, parts);
    return;
  }
  const names = Object.keys(columns);
  const n = columnsLength(columns);
  const duck = await duckdb();
  const types = names.map((name) => duckType(duck, name, columns[name]!));
  const out = resolve(path);
  const tmp = join(dirname(out), `.tmp-${Deno.pid}-${crypto.randomUUID().slice(0, 8)}-${basename(out)}`);
  try {
    await withDuck(async (conn) => {
      const defs = names.map((name, c) => `${sqlIdent(name)} ${types[c]!.toString()}`).join(", ");
      await conn.run(`CREATE TEMP TABLE t (${defs})`);
      const appender = await conn.createAppender("t");
      try {
        for (let off = 0; off < n; off += CHUNK) {
          const m = Math.min(CHUNK, n - off);
          const chunk = duck.DuckDBDataChunk.create(types, m);
          names.forEach((name, c) => chunk.setColumnValues(c, slice(columns[name]!, off, m)));
          appender.appendDataChunk(chunk);
        }
        appender.flushSync();
      } finally {
        appender.closeSync();
      }
      await conn.run(`COPY t TO ${sqlString(tmp)} (FORMAT parquet, COMPRESSION ${compression})`);
    });
    await syncFile(tmp);
    await Deno.rename(tmp, out);
  } catch (e) {
    await Deno.remove(tmp).catch(() => {});
    throw e;
  }
  await syncDir(dirname(out));
}

async function writeAtomic(path: string, parts: Uint8Array[]): Promise<void> {
  const out = resolve(path);
  const tmp = join(dirname(out), `.tmp-${Deno.pid}-${crypto.randomUUID().slice(0, 8)}-${basename(out)}`);
  try {
    const f = await Deno.open(tmp, { write: true, createNew: true });
    try {
      writeAllSync(f, parts);
      await f.sync();
    } finally {
      f.close();
    }
    await Deno.rename(tmp, out);
  } catch (e) {
    await Deno.remove(tmp).catch(() => {});
    throw e;
  }
  await syncDir(dirname(out));
}

function duckType(duck: DuckModule, name: string, col: Columns[string]): DuckDBType {
  if (col instanceof Float64Array) return duck.DOUBLE;
  if (col instanceof BigInt64Array) return duck.BIGINT;
  if (col instanceof Int32Array) return duck.INTEGER;
  if (Array.isArray(col)) return duck.VARCHAR;
  throw new TypeError(
    `writeParquet: column ${JSON.stringify(name)} must be a Float64Array, BigInt64Array, Int32Array or string array`,
  );
}

function slice(col: Columns[string], off: number, m: number): DuckDBValue[] {
  const out = new Array<DuckDBValue>(m);
  for (let i = 0; i < m; i++) out[i] = (col[off + i] ?? null) as DuckDBValue;
  return out;
}
