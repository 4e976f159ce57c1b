// The checks of writeParquet and the bytes it writes itself, apart from the writing: the registry writes a run's
// Parquet files straight into the run's temp folder (renamed whole once every file is fsynced), so it needs the
// bytes without writeParquet's own temp file, rename and folder fsync per file.

import type { Column, Columns } from "./columns.ts";
import { columnsLength } from "./_columns.ts";
import { canWriteParquet, parquetBytes, type ParquetCodec } from "./_parquet_bytes.ts";

/** Checks the compression and the columns as {@link writeParquet} does; returns the row count. */
export function checkParquetInput(columns: Columns, compression: ParquetCodec): number {
  if (!["zstd", "snappy", "uncompressed"].includes(compression)) {
    throw new RangeError(`Invalid compression ${JSON.stringify(compression)}: use "zstd", "snappy" or "uncompressed"`);
  }
  if (Object.keys(columns).length === 0) {
    throw new RangeError("writeParquet: no columns to write; pass at least one column");
  }
  return columnsLength(columns);
}

/**
 * The Parquet file of `columns` as byte chunks to write in order, when this module encodes it (zstd or uncompressed,
 * at least one row); undefined when DuckDB must write it (snappy, no rows). Checks as {@link checkParquetInput}, then
 * each column's type.
 */
export function encodeParquet(columns: Columns, compression: ParquetCodec = "zstd"): Uint8Array[] | undefined {
  const n = checkParquetInput(columns, compression);
  if (!canWriteParquet(compression, n)) return undefined;
  for (const [name, col] of Object.entries(columns)) checkColumn(name, col);
  return parquetBytes(columns, n, compression);
}

function checkColumn(name: string, col: Column): void {
  if (col instanceof Float64Array || col instanceof BigInt64Array || col instanceof Int32Array) return;
  if (Array.isArray(col) && col.every((v) => v === null || typeof v === "string")) return;
  throw new TypeError(
    `writeParquet: column ${JSON.stringify(name)} must be a Float64Array, BigInt64Array, Int32Array or string array`,
  );
}

/** Writes every chunk at the file's current position, synchronously: no copy and no thread hop per chunk. */
export function writeAllSync(file: Deno.FsFile, parts: readonly Uint8Array[]): void {
  for (const part of parts) {
    for (let off = 0; off < part.length;) off += file.writeSync(part.subarray(off));
  }
}
