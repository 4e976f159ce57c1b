// Result columns as Parquet bytes, written here rather than through DuckDB: the registry writes a sweep's best equity
// curve (1M rows on SMA-X-990) on every run, and DuckDB's Appender took about 0.6 s of it in per-value N-API calls,
// plus loading DuckDB into a backtest process that needs it for nothing else. The bytes are plain Parquet 1.0 that
// DuckDB, pyarrow, polars and hyparquet read (tested against DuckDB, value for value): one row group, pages of up to
// 131,072 rows (data page v1), DOUBLE / INT64 / INT32 columns REQUIRED (NaN kept), text OPTIONAL UTF8 strings (null as
// a missing value). INT64 columns (times) are DELTA_BINARY_PACKED, uncompressed, when every value is within ±2^51
// (exact in doubles); the other columns are PLAIN, with zstd level 1 on the columns it shrinks by an eighth or more.
// Format reference: https://github.com/apache/parquet-format (parquet.thrift, Encodings.md).

import zlib from "node:zlib";
import { T, ThriftWriter } from "../store/_thrift.ts";
import type { Column } from "./columns.ts";

/** Page compression, as in {@link writeParquet}. */
export type ParquetCodec = "zstd" | "snappy" | "uncompressed";

const TYPE_INT32 = 1, TYPE_INT64 = 2, TYPE_DOUBLE = 5, TYPE_BYTE_ARRAY = 6;
const CODEC_NONE = 0, CODEC_ZSTD = 6;
const ENC_PLAIN = 0, ENC_RLE = 3, ENC_DELTA_BINARY_PACKED = 5;
const REQUIRED = 0, OPTIONAL = 1;
const CONVERTED_UTF8 = 0;
const PAGE_ROWS = 131_072;
/** Rows of the page that decides a column's codec. */
const SAMPLE_ROWS = 16_384;
const MAGIC = new Uint8Array([0x50, 0x41, 0x52, 0x31]); // "PAR1"
const encoder = new TextEncoder();
const ZSTD_PARAMS = { params: { [zlib.constants.ZSTD_c_compressionLevel]: 1 } };
/** DELTA_BINARY_PACKED layout: blocks of 128 deltas in 4 miniblocks of 32 (parquet-mr's and Arrow's choice). */
const DELTA_BLOCK = 128, DELTA_MINIBLOCKS = 4, DELTA_MINI = 32;
/** Largest |value| of an INT64 column written as deltas: its deltas, and their offsets from a block's least, are exact. */
const DELTA_MAX = 2 ** 51;
const WORD = 4_294_967_296;

/** Whether {@link parquetBytes} writes `codec` (snappy is left to DuckDB). */
export function canWriteParquet(codec: ParquetCodec, rows: number): boolean {
  return codec !== "snappy" && rows > 0;
}

/** The Parquet file of `columns` (equal lengths, `rows` > 0) as a list of byte chunks to write in order. */
export function parquetBytes(columns: Record<string, Column>, rows: number, codec: ParquetCodec): Uint8Array[] {
  const zstd = codec === "zstd";
  const parts: Uint8Array[] = [MAGIC];
  let pos = MAGIC.length;
  const metas: ChunkMeta[] = [];
  for (const [name, col] of Object.entries(columns)) {
    const type = physicalType(col);
    const offset = pos;
    // Times as deltas: 1M one-minute bars take ~60 KB instead of 8 MB plain or 2.4 MB through zstd, and no zstd
    // (8 pages of 1 MB were most of the time of writing an equity curve).
    const times = col instanceof BigInt64Array ? deltaPages(col) : undefined;
    // The codec is per column: zstd only where a sample page shows it pays. An equity curve's doubles shrink by
    // about 10 %, which on 1M rows cost 0.3-0.9 s of a backtest process; counts and text shrink 3-10x.
    let packed = false;
    /** Page 0 when the sample is the whole column (a trade list, a sweep table): encoded and compressed once. */
    let first: { raw: Uint8Array; data: Uint8Array } | undefined;
    if (zstd && !times) {
      const sampleRows = Math.min(SAMPLE_ROWS, rows);
      const sample = pageBody(col, 0, sampleRows);
      const z = zstdBytes(sample);
      packed = z.length < sample.length * 0.875; // zstd saves at least an eighth
      if (sampleRows === rows) first = { raw: sample, data: packed ? z : sample };
    }
    let uncompressed = 0, compressed = 0;
    for (let p = 0; p < rows; p += PAGE_ROWS) {
      const pn = Math.min(PAGE_ROWS, rows - p);
      const raw = times ? times[p / PAGE_ROWS]! : p === 0 && first ? first.raw : pageBody(col, p, pn);
      const data: Uint8Array = p === 0 && first ? first.data : packed ? zstdBytes(raw) : raw;
      const header = new ThriftWriter()
        .i32(1, 0) // DATA_PAGE
        .i32(2, raw.length)
        .i32(3, data.length)
        .structBegin(5).i32(1, pn).i32(2, times ? ENC_DELTA_BINARY_PACKED : ENC_PLAIN).i32(3, ENC_RLE).i32(4, ENC_RLE)
        .structEnd()
        .structEnd() // PageHeader STOP
        .bytes();
      parts.push(header, data);
      pos += header.length + data.length;
      uncompressed += header.length + raw.length;
      compressed += header.length + data.length;
    }
    metas.push({
      name,
      type,
      optional: type === TYPE_BYTE_ARRAY,
      encoding: times ? ENC_DELTA_BINARY_PACKED : ENC_PLAIN,
      codec: packed ? CODEC_ZSTD : CODEC_NONE,
      offset,
      uncompressed,
      compressed,
    });
  }
  const footer = footerBytes(rows, metas);
  const tail = new Uint8Array(8);
  new DataView(tail.buffer).setUint32(0, footer.length, true);
  tail.set(MAGIC, 4);
  parts.push(footer, tail);
  return parts;
}

interface ChunkMeta {
  name: string;
  type: number;
  optional: boolean;
  /** Of the values: PLAIN or DELTA_BINARY_PACKED. */
  encoding: number;
  codec: number;
  offset: number;
  uncompressed: number;
  compressed: number;
}

function physicalType(col: Column): number {
  if (col instanceof Float64Array) return TYPE_DOUBLE;
  if (col instanceof BigInt64Array) return TYPE_INT64;
  if (col instanceof Int32Array) return TYPE_INT32;
  return TYPE_BYTE_ARRAY;
}

/** Rows [p, p + n) of a column: PLAIN values, after the definition levels for text. */
function pageBody(col: Column, p: number, n: number): Uint8Array {
  if (!Array.isArray(col)) {
    const typed = col as Float64Array | BigInt64Array | Int32Array;
    const size = typed.BYTES_PER_ELEMENT;
    // Little-endian on every platform Deno runs on: the array's bytes are the PLAIN encoding.
    return new Uint8Array(typed.buffer, typed.byteOffset + p * size, n * size);
  }
  const text = col as readonly (string | null)[];
  // Definition levels (1 = present, 0 = null) as RLE runs of the RLE/bit-packed hybrid, bit width 1; the UTF-8
  // length of each value is measured first so the page is one exact buffer, written without a copy per value
  // (TextEncoder.encode per value was 1 µs each, 40 ms on a 12K-trade list's three text columns).
  const levels: number[] = [];
  const lengths = new Int32Array(n);
  let valueBytes = 0;
  for (let i = p; i < p + n;) {
    const present = text[i] !== null && text[i] !== undefined;
    let j = i;
    while (j < p + n && (text[j] !== null && text[j] !== undefined) === present) {
      if (present) {
        const len = utf8Length(text[j]!);
        lengths[j - p] = len;
        valueBytes += 4 + len;
      }
      j++;
    }
    varint(levels, (j - i) * 2);
    levels.push(present ? 1 : 0);
    i = j;
  }
  const out = new Uint8Array(4 + levels.length + valueBytes);
  const view = new DataView(out.buffer);
  view.setUint32(0, levels.length, true);
  out.set(levels, 4);
  let at = 4 + levels.length;
  for (let i = p; i < p + n; i++) {
    const s = text[i];
    if (s === null || s === undefined) continue;
    const len = lengths[i - p]!;
    view.setUint32(at, len, true);
    at += 4;
    if (len === s.length) { // ASCII: one byte per UTF-16 unit
      for (let k = 0; k < len; k++) out[at + k] = s.charCodeAt(k);
    } else {
      encoder.encodeInto(s, out.subarray(at, at + len));
    }
    at += len;
  }
  return out;
}

/** Bytes of `s` in UTF-8 as TextEncoder writes it (a lone surrogate becomes U+FFFD, 3 bytes). */
function utf8Length(s: string): number {
  let len = s.length;
  for (let k = 0; k < s.length; k++) {
    const c = s.charCodeAt(k);
    if (c < 0x80) continue;
    if (c < 0x800) len += 1;
    else if (c >= 0xd800 && c <= 0xdbff && (s.charCodeAt(k + 1) & 0xfc00) === 0xdc00) {
      len += 2; // a surrogate pair: 2 units, 4 bytes
      k++;
    } else len += 2;
  }
  return len;
}

/**
 * An INT64 column as DELTA_BINARY_PACKED pages of {@link PAGE_ROWS} values, read from its 32-bit words (no BigInt per
 * value); undefined when a value is beyond ±{@link DELTA_MAX} (the column is written PLAIN). A page is a header (block
 * size, miniblocks per block, value count, first value), then per block of 128 deltas its least delta, the bit width
 * of each miniblock and the miniblocks' offsets from that least, bit-packed from the low bit; a last block's unneeded
 * miniblocks have width 0 and no bytes.
 */
function deltaPages(col: BigInt64Array): Uint8Array[] | undefined {
  const words = new Int32Array(col.buffer, col.byteOffset, 2 * col.length);
  const deltas = new Float64Array(DELTA_BLOCK);
  const greatest = new Float64Array(DELTA_MINIBLOCKS);
  const pages: Uint8Array[] = [];
  for (let p = 0; p < col.length; p += PAGE_ROWS) {
    const end = Math.min(p + PAGE_ROWS, col.length);
    const out: number[] = [];
    varint(out, DELTA_BLOCK);
    varint(out, DELTA_MINIBLOCKS);
    varint(out, end - p);
    let prev = words[2 * p + 1]! * WORD + (words[2 * p]! >>> 0);
    if (prev > DELTA_MAX || prev < -DELTA_MAX) return undefined;
    varint(out, zigzag(prev));
    for (let b = p + 1; b < end; b += DELTA_BLOCK) {
      const count = Math.min(DELTA_BLOCK, end - b);
      // One pass: the deltas, their least, and each miniblock's greatest (its width is that of greatest - least).
      let least = Infinity;
      for (let m = 0; m < DELTA_MINIBLOCKS; m++) greatest[m] = -Infinity;
      for (let k = 0, w = 2 * b; k < count; k++, w += 2) {
        const v = words[w + 1]! * WORD + (words[w]! >>> 0);
        if (v > DELTA_MAX || v < -DELTA_MAX) return undefined;
        const d = v - prev;
        deltas[k] = d;
        prev = v;
        if (d < least) least = d;
        if (d > greatest[k >> 5]!) greatest[k >> 5] = d;
      }
      varint(out, zigzag(least));
      const widthsAt = out.length;
      for (let m = 0; m < DELTA_MINIBLOCKS; m++) {
        const most = m * DELTA_MINI < count ? greatest[m]! - least : 0;
        out.push(most < WORD ? 32 - Math.clz32(most) : 64 - Math.clz32(Math.floor(most / WORD)));
      }
      for (let m = 0; m < DELTA_MINIBLOCKS && m * DELTA_MINI < count; m++) {
        const width = out[widthsAt + m]!;
        if (width === 0) continue;
        // 32 values of `width` bits, low bit first; past the last value the miniblock is padded with zeros.
        let byte = 0, bits = 0;
        for (let k = m * DELTA_MINI; k < (m + 1) * DELTA_MINI; k++) {
          let x = k < count ? deltas[k]! - least : 0;
          for (let left = width; left > 0;) {
            const take = Math.min(left, 8 - bits);
            const unit = 2 ** take;
            byte += (x % unit) * 2 ** bits;
            x = Math.floor(x / unit);
            bits += take;
            left -= take;
            if (bits === 8) {
              out.push(byte);
              byte = 0;
              bits = 0;
            }
          }
        }
      }
    }
    pages.push(Uint8Array.from(out));
  }
  return pages;
}

function zigzag(v: number): number {
  return v >= 0 ? 2 * v : -2 * v - 1;
}

function varint(out: number[], v: number): void {
  while (v >= 128) {
    out.push((v % 128) | 128);
    v = Math.floor(v / 128);
  }
  out.push(v);
}

/**
 * `raw` as one zstd frame, level 1. node:zlib's default 16 KB output chunks are kept: a bigger output buffer lets
 * zstd write its blocks differently, and the files are to stay byte for byte what they were.
 */
function zstdBytes(raw: Uint8Array): Uint8Array {
  return zlib.zstdCompressSync(raw, ZSTD_PARAMS);
}

function footerBytes(rows: number, metas: ChunkMeta[]): Uint8Array {
  const w = new ThriftWriter();
  w.i32(1, 1);
  w.listBegin(2, T.STRUCT, metas.length + 1);
  w.elementStructBegin().string(4, "schema").i32(5, metas.length).structEnd();
  for (const m of metas) {
    w.elementStructBegin().i32(1, m.type).i32(3, m.optional ? OPTIONAL : REQUIRED).string(4, m.name);
    // UTF8 both as the converted type and as the STRING logical type, which newer readers look at.
    if (m.type === TYPE_BYTE_ARRAY) w.i32(6, CONVERTED_UTF8).structBegin(10).structBegin(1).structEnd().structEnd();
    w.structEnd();
  }
  w.i64(3, rows);
  w.listBegin(4, T.STRUCT, 1);
  w.elementStructBegin();
  w.listBegin(1, T.STRUCT, metas.length);
  let total = 0, totalCompressed = 0;
  for (const m of metas) {
    total += m.uncompressed;
    totalCompressed += m.compressed;
    w.elementStructBegin().i64(2, m.offset).structBegin(3);
    w.i32(1, m.type);
    w.listBegin(2, T.I32, 2).elementI32(m.encoding).elementI32(ENC_RLE);
    w.listBegin(3, T.BINARY, 1).elementString(m.name);
    w.i32(4, m.codec).i64(5, rows).i64(6, m.uncompressed).i64(7, m.compressed).i64(9, m.offset);
    w.structEnd(); // meta_data
    w.structEnd(); // ColumnChunk
  }
  w.i64(2, total).i64(3, rows).i64(5, metas[0]!.offset).i64(6, totalCompressed);
  w.structEnd(); // RowGroup
  w.string(6, "sentinel runs (parquet writer 1)");
  w.structEnd(); // FileMetaData STOP
  return w.bytes().slice();
}
