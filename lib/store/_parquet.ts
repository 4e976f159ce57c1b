// A minimal Parquet writer and reader for the store's own part files.
//
// Why not DuckDB for this: measured on 10M bars (2 shared cores), DuckDB's Appender plus COPY TO took
// 3.7 s and streaming 10M rows back out of DuckDB took 1.8 s, almost all of it per-chunk N-API overhead
// (2,048 rows per chunk). Writing the same standard Parquet ourselves is a memcpy plus zstd per page.
//
// Why not a Parquet library for reading either (issue 13): measured on 10M rows on this machine class
// (2 shared cores), reading a 10M-row file into typed arrays took 1.8-2.4 s with hyparquet 1.31.5 and
// 1.8-4.2 s with parquet-wasm 0.8.0 (peak RSS 3 GB), against 0.40 s for this reader; the store's target
// is 1.5 s. Measure ours, hyparquet and DuckDB on the same 10M-row file (per reader and codec: best and
// median of 3 reads, peak RSS) with
//   ./denow run -A bench/parquet_readers_bench.ts
// parquet-wasm is not a dependency; its figure was measured before (../shared/TOOLCHAIN-2.md §7).
// Quiet machine, 2026-12-07, best / median of 3 reads, peak RSS:
//   reader                     zstd           none           peak RSS
//   ours                       2.12 / 2.19 s  1.56 / 1.57 s  0.5-0.6 GB
//   hyparquet 1.31.5           5.30 / 6.89 s  8.59 / 9.98 s  2.1-3.1 GB
//   DuckDB rows to arrays      3.89 / 4.02 s  3.54 / 3.90 s  0.8 GB
// Most of ours is the first touch of the 480 MB of output arrays (~3 ms per MB on these VMs). With
// GLIBC_TUNABLES=glibc.malloc.hugetlb=1 (what the data tasks in deno.json set; prefix the bench command with it)
// large buffers may get transparent huge pages: ours 0.86 / 1.53 s zstd and 0.28 / 0.28 s uncompressed, hyparquet
// 1.75 / 1.82 s and 7.09 / 9.54 s, DuckDB 2.88 / 3.02 s and 1.71 / 2.47 s, so the 1.5 s target is met where the
// tunable is (how many huge pages a VM gets varies from run to run).
// That DuckDB and hyparquet read our files bit for bit (zstd included) is tested in _parquet_test.ts.
//
// The files are plain Parquet 1.0 that any reader (DuckDB, pyarrow, polars) opens: one flat schema
// `ts INT64, open..volume DOUBLE`, all REQUIRED, PLAIN encoding, data page v1, ZSTD or no compression,
// row-group min/max statistics on `ts` (so DuckDB skips row groups on range filters).
// The reader only accepts that layout and throws UnsupportedPartError for anything else,
// so the store can fall back to DuckDB for foreign files.
// Format reference: https://github.com/apache/parquet-format (parquet.thrift).

import zlib from "node:zlib";
import { writeAll } from "./_fs.ts";
import { T, ThriftReader, type ThriftStruct, type ThriftValue, ThriftWriter } from "./_thrift.ts";

/** Column names in file order. */
export const PART_COLUMNS = ["ts", "open", "high", "low", "close", "volume"] as const;

/** Page compression of new part files. */
export type Codec = "zstd" | "none";

const TYPE_INT64 = 2, TYPE_DOUBLE = 5;
const CODEC_NONE = 0, CODEC_ZSTD = 6;
const ENC_PLAIN = 0, ENC_RLE = 3, ENC_BIT_PACKED = 4;
const MAGIC = new Uint8Array([0x50, 0x41, 0x52, 0x31]); // "PAR1"
const TWO32 = 4294967296;

/** Options of {@link writePart}. */
export interface WritePartOptions {
  codec: Codec;
  /** Rows per row group (DuckDB parallelises scans by row group). Default 1,048,576. */
  rowGroupRows?: number;
  /** Rows per page. Default 131,072 (1 MiB of doubles). */
  pageRows?: number;
  /** zstd level; 1 is the fastest that still compresses tick-rounded prices about 6x. */
  zstdLevel?: number;
}

/** Rows and ts bounds of a written part, plus its size in bytes. */
export interface PartStats {
  rows: number;
  first: number;
  last: number;
  bytes: number;
}

/** Writes into `file` by 8 MiB blocks, so pages and headers do not cost a syscall each. */
class BlockWriter {
  #buf = new Uint8Array(8 << 20);
  #len = 0;
  pos = 0;
  constructor(readonly file: Deno.FsFile) {}

  async write(bytes: Uint8Array): Promise<void> {
    if (this.#len + bytes.length > this.#buf.length) await this.flush();
    if (bytes.length > this.#buf.length) await writeAll(this.file, bytes);
    else {
      this.#buf.set(bytes, this.#len);
      this.#len += bytes.length;
    }
    this.pos += bytes.length;
  }

  async flush(): Promise<void> {
    if (this.#len > 0) await writeAll(this.file, this.#buf.subarray(0, this.#len));
    this.#len = 0;
  }
}

function int64Bytes(v: number): Uint8Array {
  const out = new Uint8Array(8);
  const hi = Math.floor(v / TWO32);
  const dv = new DataView(out.buffer);
  dv.setUint32(0, v - hi * TWO32, true);
  dv.setInt32(4, hi, true);
  return out;
}

/** Encodes ts (integral float64) as little-endian int64 into `out` (8 bytes per value). */
function encodeInt64(src: Float64Array, start: number, n: number, lo: Uint32Array, hiView: Int32Array): void {
  for (let i = 0; i < n; i++) {
    const v = src[start + i]!;
    const hi = Math.floor(v / TWO32);
    lo[2 * i] = v - hi * TWO32;
    hiView[2 * i + 1] = hi;
  }
}

/**
 * Writes sorted, unique bars as a Parquet file at `path` (which must not exist), fsyncs it, closes it.
 * `cols` is `[ts, open, high, low, close, volume]`, equal lengths, at least one row.
 */
export async function writePart(
  path: string,
  cols: readonly Float64Array[],
  options: WritePartOptions,
): Promise<PartStats> {
  const ts = cols[0]!;
  const rows = ts.length;
  const rgRows = options.rowGroupRows ?? 1_048_576;
  const pageRows = options.pageRows ?? 131_072;
  const codec = options.codec === "zstd" ? CODEC_ZSTD : CODEC_NONE;
  const zstdParams = { params: { [zlib.constants.ZSTD_c_compressionLevel]: options.zstdLevel ?? 1 } };
  const scratch = new ArrayBuffer(pageRows * 8);
  const scratchBytes = new Uint8Array(scratch), lo = new Uint32Array(scratch), hiView = new Int32Array(scratch);

  const file = await Deno.open(path, { write: true, createNew: true });
  try {
    const w = new BlockWriter(file);
    await w.write(MAGIC);
    const rowGroups: { start: number; n: number; chunks: ChunkMeta[] }[] = [];
    for (let start = 0; start < rows; start += rgRows) {
      const n = Math.min(rgRows, rows - start);
      const chunks: ChunkMeta[] = [];
      for (let c = 0; c < cols.length; c++) {
        const col = cols[c]!;
        const offset = w.pos;
        let uncompressed = 0, compressed = 0;
        for (let p = start; p < start + n; p += pageRows) {
          const pn = Math.min(pageRows, start + n - p);
          let raw: Uint8Array;
          if (c === 0) {
            encodeInt64(col, p, pn, lo, hiView);
            raw = scratchBytes.subarray(0, pn * 8);
          } else raw = new Uint8Array(col.buffer, col.byteOffset + p * 8, pn * 8);
          const data: Uint8Array = codec === CODEC_ZSTD ? zlib.zstdCompressSync(raw, zstdParams) : raw;
          const header = new ThriftWriter()
            .i32(1, 0) // DATA_PAGE
            .i32(2, raw.length)
            .i32(3, data.length)
            .structBegin(5).i32(1, pn).i32(2, ENC_PLAIN).i32(3, ENC_RLE).i32(4, ENC_RLE).structEnd()
            .structEnd() // PageHeader STOP
            .bytes();
          await w.write(header);
          await w.write(data);
          uncompressed += header.length + raw.length;
          compressed += header.length + data.length;
        }
        chunks.push({ offset, uncompressed, compressed, min: col[start]!, max: col[start + n - 1]! });
      }
      rowGroups.push({ start, n, chunks });
    }
    const footer = footerBytes(rows, rowGroups, codec);
    await w.write(footer);
    const tail = new Uint8Array(8);
    new DataView(tail.buffer).setUint32(0, footer.length, true);
    tail.set(MAGIC, 4);
    await w.write(tail);
    await w.flush();
    await file.sync();
    return { rows, first: rows > 0 ? ts[0]! : NaN, last: rows > 0 ? ts[rows - 1]! : NaN, bytes: w.pos };
  } finally {
    file.close();
  }
}

interface ChunkMeta {
  offset: number;
  uncompressed: number;
  compressed: number;
  min: number;
  max: number;
}

function footerBytes(rows: number, rowGroups: { n: number; chunks: ChunkMeta[] }[], codec: number): Uint8Array {
  const w = new ThriftWriter();
  w.i32(1, 1);
  w.listBegin(2, T.STRUCT, PART_COLUMNS.length + 1);
  w.elementStructBegin().string(4, "schema").i32(5, PART_COLUMNS.length).structEnd();
  for (let c = 0; c < PART_COLUMNS.length; c++) {
    w.elementStructBegin().i32(1, c === 0 ? TYPE_INT64 : TYPE_DOUBLE).i32(3, 0).string(4, PART_COLUMNS[c]!).structEnd();
  }
  w.i64(3, rows);
  w.listBegin(4, T.STRUCT, rowGroups.length);
  for (const rg of rowGroups) {
    w.elementStructBegin();
    w.listBegin(1, T.STRUCT, rg.chunks.length);
    let total = 0, totalCompressed = 0;
    for (let c = 0; c < rg.chunks.length; c++) {
      const ch = rg.chunks[c]!;
      total += ch.uncompressed;
      totalCompressed += ch.compressed;
      w.elementStructBegin().i64(2, ch.offset).structBegin(3);
      w.i32(1, c === 0 ? TYPE_INT64 : TYPE_DOUBLE);
      w.listBegin(2, T.I32, 1).elementI32(ENC_PLAIN);
      w.listBegin(3, T.BINARY, 1).elementString(PART_COLUMNS[c]!);
      w.i32(4, codec).i64(5, rg.n).i64(6, ch.uncompressed).i64(7, ch.compressed).i64(9, ch.offset);
      w.structBegin(12);
      if (c === 0) {
        // Deprecated max/min (1, 2) too: they are signed-order correct for INT64 and some readers only know them.
        const max = int64Bytes(ch.max), min = int64Bytes(ch.min);
        w.binary(1, max).binary(2, min).i64(3, 0).binary(5, max).binary(6, min);
      } else w.i64(3, 0);
      w.structEnd(); // statistics
      w.structEnd(); // meta_data
      w.structEnd(); // ColumnChunk
    }
    w.i64(2, total).i64(3, rg.n).i64(5, rg.chunks[0]!.offset).i64(6, totalCompressed);
    w.structEnd();
  }
  w.string(6, "sentinel store (parquet subset writer 1)");
  w.listBegin(7, T.STRUCT, PART_COLUMNS.length);
  for (let c = 0; c < PART_COLUMNS.length; c++) w.elementStructBegin().structBegin(1).structEnd().structEnd();
  w.structEnd(); // FileMetaData STOP
  return w.bytes().slice();
}

/** The file is valid Parquet but not the layout this reader handles; read it through DuckDB instead. */
export class UnsupportedPartError extends Error {
  override name = "UnsupportedPartError";
}

/** Where one column chunk lives. */
export interface ColumnLayout {
  codec: number;
  offset: number;
  size: number;
}

/** One row group: its rows and ts bounds (from statistics) and its six column chunks. */
export interface RowGroupLayout {
  rows: number;
  tsMin: number;
  tsMax: number;
  columns: ColumnLayout[];
}

/** The parsed footer of a part file. */
export interface PartLayout {
  rows: number;
  rowGroups: RowGroupLayout[];
}

function num(s: ThriftStruct, id: number, what: string): number {
  const v = s.get(id);
  if (typeof v !== "number") throw new UnsupportedPartError(`Parquet footer lacks ${what}`);
  return v;
}

function readInt64Stat(v: ThriftValue | undefined): number | undefined {
  if (!(v instanceof Uint8Array) || v.length !== 8) return undefined;
  const dv = new DataView(v.buffer, v.byteOffset, 8);
  return dv.getInt32(4, true) * TWO32 + dv.getUint32(0, true);
}

async function readAt(file: Deno.FsFile, pos: number, out: Uint8Array): Promise<void> {
  await file.seek(pos, Deno.SeekMode.Start);
  let off = 0;
  while (off < out.length) {
    const n = await file.read(out.subarray(off));
    if (n === null) throw new UnsupportedPartError(`Parquet file ends at ${pos + off}, expected ${pos + out.length}`);
    off += n;
  }
}

/** Reads and checks the footer of an open part file of `size` bytes. */
export async function readLayout(file: Deno.FsFile, size: number): Promise<PartLayout> {
  if (size < 12) throw new UnsupportedPartError(`Parquet file is ${size} bytes, too short`);
  const tail = new Uint8Array(8);
  await readAt(file, size - 8, tail);
  const footerLen = new DataView(tail.buffer).getUint32(0, true);
  if (tail[4] !== 0x50 || tail[5] !== 0x41 || tail[6] !== 0x52 || tail[7] !== 0x31 || footerLen > size - 12) {
    throw new UnsupportedPartError("not a Parquet file (bad magic or footer length)");
  }
  const footer = new Uint8Array(footerLen);
  await readAt(file, size - 8 - footerLen, footer);
  const meta = new ThriftReader(footer).struct();
  const schema = meta.get(2);
  if (!Array.isArray(schema) || schema.length !== PART_COLUMNS.length + 1) {
    throw new UnsupportedPartError("Parquet schema is not the store's six columns");
  }
  for (let c = 0; c < PART_COLUMNS.length; c++) {
    const el = schema[c + 1] as ThriftStruct;
    const name = new TextDecoder().decode(el.get(4) as Uint8Array);
    if (name !== PART_COLUMNS[c] || el.get(1) !== (c === 0 ? TYPE_INT64 : TYPE_DOUBLE) || el.get(3) !== 0) {
      throw new UnsupportedPartError(`Parquet column ${c} is not REQUIRED ${PART_COLUMNS[c]}`);
    }
  }
  const rowGroups: RowGroupLayout[] = [];
  for (const rgv of (meta.get(4) ?? []) as ThriftStruct[]) {
    const columns: ColumnLayout[] = [];
    let tsMin = -Infinity, tsMax = Infinity;
    const chunks = rgv.get(1) as ThriftStruct[];
    for (let c = 0; c < chunks.length; c++) {
      const cm = chunks[c]!.get(3) as ThriftStruct | undefined;
      if (!cm) throw new UnsupportedPartError("Parquet column chunk without metadata");
      const codec = num(cm, 4, "codec");
      if (codec !== CODEC_NONE && codec !== CODEC_ZSTD) throw new UnsupportedPartError(`Parquet codec ${codec}`);
      for (const e of (cm.get(2) ?? []) as number[]) {
        if (e !== ENC_PLAIN && e !== ENC_RLE && e !== ENC_BIT_PACKED) {
          throw new UnsupportedPartError(`Parquet encoding ${e}`);
        }
      }
      const dict = cm.get(11);
      const offset = typeof dict === "number" && dict > 0 ? dict : num(cm, 9, "data_page_offset");
      columns.push({ codec, offset, size: num(cm, 7, "total_compressed_size") });
      if (c === 0) {
        const st = cm.get(12) as ThriftStruct | undefined;
        tsMin = readInt64Stat(st?.get(6) ?? st?.get(2)) ?? -Infinity;
        tsMax = readInt64Stat(st?.get(5) ?? st?.get(1)) ?? Infinity;
      }
    }
    if (columns.length !== PART_COLUMNS.length) throw new UnsupportedPartError("Parquet row group column count");
    rowGroups.push({ rows: num(rgv, 3, "row group num_rows"), tsMin, tsMax, columns });
  }
  return { rows: num(meta, 3, "num_rows"), rowGroups };
}

/** How to land a column: doubles as-is, int64 as float64 (ts for frames), int64 raw (ts for Arrow). */
export type ColumnTarget = Float64Array | BigInt64Array;

/** Reusable buffers for {@link readColumn}. */
export class ReadScratch {
  chunk = new Uint8Array(0);
  aligned = new ArrayBuffer(0);
  grow(n: number): Uint8Array {
    if (this.chunk.length < n) this.chunk = new Uint8Array(Math.max(n, this.chunk.length * 2));
    return this.chunk.subarray(0, n);
  }
  alignedFor(bytes: Uint8Array): Uint8Array {
    if (this.aligned.byteLength < bytes.length) this.aligned = new ArrayBuffer(bytes.length);
    const out = new Uint8Array(this.aligned, 0, bytes.length);
    out.set(bytes);
    return out;
  }
}

/**
 * Decodes column chunk `col` (of a row group with `rows` rows) into `out` starting at `outOffset`.
 * `int64` says the column is ts: into a Float64Array it converts, into a BigInt64Array it copies.
 */
export async function readColumn(
  file: Deno.FsFile,
  col: ColumnLayout,
  rows: number,
  int64: boolean,
  out: ColumnTarget,
  outOffset: number,
  scratch: ReadScratch,
): Promise<void> {
  const bytes = scratch.grow(col.size);
  await readAt(file, col.offset, bytes);
  const r = new ThriftReader(bytes);
  let done = 0;
  while (done < rows) {
    const h = r.struct();
    const type = h.get(1), size = h.get(3) as number;
    const dp = h.get(5) as ThriftStruct | undefined;
    if (type !== 0 || !dp || dp.get(2) !== ENC_PLAIN) {
      throw new UnsupportedPartError(`Parquet page type ${type} / encoding ${dp?.get(2)}`);
    }
    const n = dp.get(1) as number;
    const start = r.pos;
    r.pos += size;
    if (r.pos > bytes.length || done + n > rows) throw new UnsupportedPartError("Parquet page runs past its chunk");
    let data: Uint8Array = bytes.subarray(start, start + size);
    if (col.codec === CODEC_ZSTD) data = zlib.zstdDecompressSync(data);
    if (data.length !== n * 8) {
      throw new UnsupportedPartError(`Parquet page holds ${data.length} bytes for ${n} values`);
    }
    const at = outOffset + done;
    if (!int64 || out instanceof BigInt64Array) {
      new Uint8Array(out.buffer, out.byteOffset + at * 8, n * 8).set(data);
    } else {
      if (data.byteOffset % 4 !== 0) data = scratch.alignedFor(data);
      const lo = new Uint32Array(data.buffer, data.byteOffset, n * 2);
      const hi = new Int32Array(data.buffer, data.byteOffset, n * 2);
      for (let i = 0; i < n; i++) out[at + i] = hi[2 * i + 1]! * TWO32 + lo[2 * i]!;
    }
    done += n;
  }
}
