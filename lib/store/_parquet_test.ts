import { DuckDBInstance } from "@duckdb/node-api";
import { parquetMetadata, parquetRead } from "hyparquet";
import assert from "node:assert/strict";
import { join } from "node:path";
import { zstdDecompressSync } from "node:zlib";
import { mulberry32 } from "../testing/mulberry32.ts";
import { readColumn, readLayout, ReadScratch, UnsupportedPartError, writePart } from "./_parquet.ts";

Deno.test("writePart/readLayout/readColumn: row groups, pages, statistics, both codecs", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const n = 1000;
    const cols = Array.from(
      { length: 6 },
      (_, c) => Float64Array.from({ length: n }, (_, i) => c === 0 ? -5e11 + i * 7 : i / (c + 2)),
    );
    for (const codec of ["none", "zstd"] as const) {
      const path = join(dir, `${codec}.parquet`);
      const st = await writePart(path, cols, { codec, rowGroupRows: 300, pageRows: 64 });
      assert.deepEqual([st.rows, st.first, st.last], [n, -5e11, -5e11 + 999 * 7]);
      const f = await Deno.open(path);
      try {
        const layout = await readLayout(f, (await f.stat()).size);
        assert.deepEqual(layout.rowGroups.map((g) => g.rows), [300, 300, 300, 100]);
        assert.deepEqual([layout.rowGroups[1]!.tsMin, layout.rowGroups[1]!.tsMax], [-5e11 + 300 * 7, -5e11 + 599 * 7]);
        const out = cols.map(() => new Float64Array(n));
        const raw = new BigInt64Array(n);
        let at = 0;
        const s = new ReadScratch();
        for (const g of layout.rowGroups) {
          for (let c = 0; c < 6; c++) await readColumn(f, g.columns[c]!, g.rows, c === 0, out[c]!, at, s);
          await readColumn(f, g.columns[0]!, g.rows, true, raw, at, s);
          at += g.rows;
        }
        assert.deepEqual(out, cols);
        assert.equal(raw[999], BigInt(-5e11 + 999 * 7));
      } finally {
        f.close();
      }
    }
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("readLayout refuses files it does not handle (DuckDB dictionary/snappy, not Parquet)", async () => {
  const dir = await Deno.makeTempDir();
  const instance = await DuckDBInstance.create(":memory:");
  const conn = await instance.connect();
  try {
    const foreign = join(dir, "duck.parquet");
    await conn.run("COPY (SELECT 1::INTEGER AS ts) TO $1 (FORMAT parquet)", [foreign]);
    const junk = join(dir, "junk.parquet");
    await Deno.writeTextFile(junk, "not parquet at all");
    for (const path of [foreign, junk]) {
      const f = await Deno.open(path);
      try {
        await assert.rejects(() => readLayout(f, Deno.statSync(path).size), UnsupportedPartError);
      } finally {
        f.close();
      }
    }
  } finally {
    conn.closeSync();
    instance.closeSync();
    await Deno.remove(dir, { recursive: true });
  }
});

// Interop: two independent readers (DuckDB's C++ reader, hyparquet's JS one) must see exactly the bits we wrote.
// Doubles are compared as bytes, so NaN (payloads too), -0 and subnormals count; ts as int64.

/** 2,500 rows: specials at the start of every column, then random bit patterns, then a tick-grid walk. */
function interopColumns(): Float64Array[] {
  const n = 2_500;
  const rnd = mulberry32(13);
  const ts = Float64Array.from({ length: n }, (_, i) => i === n - 1 ? 2 ** 53 - 1 : -(2 ** 53 - 1) + i * 3_600_007);
  const specials = [
    NaN,
    -0,
    0,
    Infinity,
    -Infinity,
    Number.MIN_VALUE,
    -Number.MIN_VALUE,
    Number.MAX_VALUE,
    -Number.MAX_VALUE,
    Number.EPSILON,
    2.2250738585072014e-308,
    0.1,
  ];
  const cols = [ts];
  for (let c = 0; c < 5; c++) {
    const col = new Float64Array(n);
    const words = new Uint32Array(col.buffer);
    for (let i = 0; i < n; i++) {
      if (i < specials.length) col[i] = specials[(i + c) % specials.length]!;
      else if (i < 1_500) {
        // Any 64-bit pattern, NaNs with payloads among them (exponent all ones: 1 in 2,048).
        words[2 * i] = (rnd() * 2 ** 32) >>> 0;
        words[2 * i + 1] = (rnd() * 2 ** 32) >>> 0;
      } else col[i] = Math.round((30_000 + (i % 97) * 0.37 + c) * 100) / 100; // compresses like prices
    }
    cols.push(col);
  }
  // A NaN with a payload that is not the canonical one, and a negative NaN, written as bits.
  const words = new Uint32Array(cols[3]!.buffer);
  words[2 * 20] = 0x00000001, words[2 * 20 + 1] = 0x7ff00000; // signalling NaN, payload 1
  words[2 * 21] = 0x00000000, words[2 * 21 + 1] = 0xfff80000; // -NaN
  return cols;
}

function assertSameBits(got: Float64Array, want: Float64Array, what: string): void {
  assert.equal(got.length, want.length, `${what}: length`);
  const g = new Uint8Array(got.buffer, got.byteOffset, got.byteLength);
  const w = new Uint8Array(want.buffer, want.byteOffset, want.byteLength);
  for (let i = 0; i < g.length; i++) {
    if (g[i] !== w[i]) {
      const row = Math.floor(i / 8);
      assert.fail(`${what}: row ${row} reads ${got[row]} (bits differ), wrote ${want[row]}`);
    }
  }
}

function assertSameTs(got: BigInt64Array, want: Float64Array, what: string): void {
  assert.equal(got.length, want.length, `${what}: length`);
  for (let i = 0; i < want.length; i++) {
    if (got[i] !== BigInt(want[i]!)) assert.fail(`${what}: row ${i} reads ts ${got[i]}, wrote ${want[i]}`);
  }
}

async function withInteropParts(
  fn: (parts: { codec: "zstd" | "none"; path: string; cols: Float64Array[] }[]) => Promise<void>,
): Promise<void> {
  const dir = await Deno.makeTempDir();
  try {
    const cols = interopColumns();
    const parts = [];
    for (const codec of ["zstd", "none"] as const) {
      const path = join(dir, `${codec}.parquet`);
      await writePart(path, cols, { codec, rowGroupRows: 1_000, pageRows: 300 });
      parts.push({ codec, path, cols });
    }
    await fn(parts);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

Deno.test("our part files read bit for bit in hyparquet (zstd through node:zlib, and uncompressed)", async () => {
  // The comparison itself tells -0 from 0 and one NaN from another.
  assert.throws(() => assertSameBits(Float64Array.of(0), Float64Array.of(-0), "x"), /row 0/);
  assert.throws(() =>
    assertSameBits(new Float64Array(new Uint32Array([1, 0x7ff00000]).buffer), Float64Array.of(NaN), "x")
  );
  await withInteropParts(async (parts) => {
    for (const { codec, path, cols } of parts) {
      const bytes = await Deno.readFile(path);
      const file = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength);
      const meta = parquetMetadata(file);
      assert.equal(meta.num_rows, 2_500n);
      assert.deepEqual(meta.row_groups.map((g) => g.num_rows), [1_000n, 1_000n, 500n]);
      const codecs = new Set(meta.row_groups.flatMap((g) => g.columns.map((c) => c.meta_data?.codec)));
      assert.deepEqual([...codecs], [codec === "zstd" ? "ZSTD" : "UNCOMPRESSED"]);
      assert.deepEqual(meta.schema.slice(1).map((s) => [s.name, s.type, s.repetition_type]), [
        ["ts", "INT64", "REQUIRED"],
        ...["open", "high", "low", "close", "volume"].map((name) => [name, "DOUBLE", "REQUIRED"]),
      ]);
      const stats = meta.row_groups[1]!.columns[0]!.meta_data?.statistics;
      assert.deepEqual([stats?.min_value, stats?.max_value], [BigInt(cols[0]![1_000]!), BigInt(cols[0]![1_999]!)]);

      const ts = new BigInt64Array(2_500);
      const out = cols.slice(1).map(() => new Float64Array(2_500));
      const names = ["open", "high", "low", "close", "volume"];
      let decompressed = 0;
      await parquetRead({
        file,
        compressors: {
          ZSTD: (input: Uint8Array) => {
            decompressed++;
            return zstdDecompressSync(input);
          },
        },
        onChunk: ({ columnName, columnData, rowStart }) => {
          if (columnName === "ts") ts.set(columnData as BigInt64Array, rowStart);
          else out[names.indexOf(columnName)]!.set(columnData as Float64Array, rowStart);
        },
      });
      // 3 row groups x 6 columns x 4 pages (300-row pages of 1,000 rows; 2 of the last 500).
      assert.equal(decompressed, codec === "zstd" ? 6 * (4 + 4 + 2) : 0);
      assertSameTs(ts, cols[0]!, `hyparquet ${codec} ts`);
      for (let c = 0; c < 5; c++) assertSameBits(out[c]!, cols[c + 1]!, `hyparquet ${codec} ${names[c]}`);
    }
  });
});

Deno.test("our part files read bit for bit in DuckDB (zstd and uncompressed; metadata and ts statistics)", async () => {
  const instance = await DuckDBInstance.create(":memory:", { threads: "2" });
  const conn = await instance.connect();
  try {
    await withInteropParts(async (parts) => {
      for (const { codec, path, cols } of parts) {
        const meta = await conn.runAndReadAll(
          `SELECT row_group_id, row_group_num_rows, path_in_schema, type, compression, stats_min, stats_max
           FROM parquet_metadata($1) ORDER BY row_group_id, column_id`,
          [path],
        );
        const rows = meta.getRowObjectsJS();
        assert.equal(rows.length, 3 * 6);
        assert.deepEqual([...new Set(rows.map((r) => r.compression))], [codec === "zstd" ? "ZSTD" : "UNCOMPRESSED"]);
        assert.deepEqual([...new Set(rows.map((r) => r.row_group_num_rows))], [1_000n, 500n]);
        const tsStats = rows.filter((r) => r.path_in_schema === "ts").map((r) => [r.stats_min, r.stats_max]);
        assert.deepEqual(
          tsStats,
          [0, 1_000, 2_000].map((s) => [String(cols[0]![s]), String(cols[0]![Math.min(s + 999, 2_499)])]),
        );
        const types = await conn.runAndReadAll("SELECT typeof(ts), typeof(close) FROM read_parquet($1) LIMIT 1", [
          path,
        ]);
        assert.deepEqual(types.getRows(), [["BIGINT", "DOUBLE"]]);

        // Row order: the file's own, which DuckDB keeps for a plain scan (checked against file_row_number).
        const result = await conn.stream(
          "SELECT ts, open, high, low, close, volume, file_row_number FROM read_parquet($1, file_row_number = true)",
          [path],
        );
        const ts = new BigInt64Array(2_500);
        const out = cols.slice(1).map(() => new Float64Array(2_500));
        let n = 0;
        for (;;) {
          const chunk = await result.fetchChunk();
          if (!chunk || chunk.rowCount === 0) break;
          const rowNumbers = chunk.getColumnVector(6) as unknown as { items: BigInt64Array };
          assert.equal(rowNumbers.items[0], BigInt(n), "DuckDB kept the file's row order");
          ts.set((chunk.getColumnVector(0) as unknown as { items: BigInt64Array }).items, n);
          for (let c = 0; c < 5; c++) {
            out[c]!.set((chunk.getColumnVector(c + 1) as unknown as { items: Float64Array }).items, n);
          }
          n += chunk.rowCount;
        }
        assert.equal(n, 2_500);
        assertSameTs(ts, cols[0]!, `DuckDB ${codec} ts`);
        const names = ["open", "high", "low", "close", "volume"];
        for (let c = 0; c < 5; c++) assertSameBits(out[c]!, cols[c + 1]!, `DuckDB ${codec} ${names[c]}`);
      }
    });
  } finally {
    conn.closeSync();
    instance.closeSync();
  }
});
