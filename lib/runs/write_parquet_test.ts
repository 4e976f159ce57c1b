import assert from "node:assert/strict";
import { DuckDBInstance } from "@duckdb/node-api";
import { writeParquet } from "./write_parquet.ts";

async function readBack(path: string): Promise<unknown[][]> {
  const inst = await DuckDBInstance.create(":memory:");
  const conn = await inst.connect();
  try {
    const r = await conn.runAndReadAll("SELECT * FROM read_parquet($1)", [path]);
    const types = (await conn.runAndReadAll("DESCRIBE SELECT * FROM read_parquet($1)", [path])).getRows()
      .map((r) => [r[0], r[1]]);
    return [types, ...r.getRows()];
  } finally {
    conn.closeSync();
    inst.closeSync();
  }
}

Deno.test("writeParquet keeps types, NaN and NULL, and column order", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const path = `${dir}/t.parquet`;
    await writeParquet(path, {
      ts: BigInt64Array.of(1_700_000_000_000n, 1_700_000_060_000n),
      n: Int32Array.of(1, -2),
      x: Float64Array.of(0.1, NaN),
      s: ["a'b", null],
    });
    const [types, ...rows] = await readBack(path);
    assert.deepEqual(types, [["ts", "BIGINT"], ["n", "INTEGER"], ["x", "DOUBLE"], ["s", "VARCHAR"]]);
    assert.deepEqual(rows[0], [1_700_000_000_000n, 1, 0.1, "a'b"]);
    assert.ok(Number.isNaN(rows[1]![2]));
    assert.equal(rows[1]![3], null);
    // Atomic: only the file itself is left in the folder.
    const names = [];
    for await (const e of Deno.readDir(dir)) names.push(e.name);
    assert.deepEqual(names, ["t.parquet"]);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("writeParquet writes more rows than one DuckDB chunk, and a path with a quote", async () => {
  const dir = await Deno.makeTempDir({ prefix: "it's-" });
  try {
    const n = 5000;
    const path = `${dir}/big.parquet`;
    await writeParquet(path, { i: Float64Array.from({ length: n }, (_, i) => i) });
    const inst = await DuckDBInstance.create(":memory:");
    const conn = await inst.connect();
    const r = await conn.runAndReadAll("SELECT count(*)::INTEGER, sum(i) FROM read_parquet($1)", [path]);
    conn.closeSync();
    inst.closeSync();
    assert.deepEqual(r.getRows()[0], [n, (n * (n - 1)) / 2]);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("writeParquet rejects bad input with the reason", async () => {
  await assert.rejects(() => writeParquet("/tmp/x.parquet", {}), /no columns/);
  await assert.rejects(
    () => writeParquet("/tmp/x.parquet", { a: Float64Array.of(1), b: Float64Array.of(1, 2) }),
    /a has 1 rows but b has 2/,
  );
  await assert.rejects(
    () => writeParquet("/tmp/x.parquet", { a: [1, 2] as unknown as string[] }, { compression: "lz" as "zstd" }),
    /Invalid compression "lz"/,
  );
});

Deno.test("writeParquet's own encoder: DuckDB reads every value back, across pages, zstd and uncompressed", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const n = 300_000; // three pages of 131,072 rows
    const x = Float64Array.from({ length: n }, (_, i) => i % 7 === 0 ? NaN : Math.sin(i) * 1e3);
    x[1] = -0;
    x[2] = Infinity;
    const cols = {
      ts: BigInt64Array.from({ length: n }, (_, i) => BigInt(1_700_000_000_000 + i * 60_000)),
      k: Int32Array.from({ length: n }, (_, i) => i - 5),
      x,
      s: Array.from({ length: n }, (_, i) => i % 5 === 0 ? null : i % 5 === 1 ? "" : `é${i}`),
    };
    for (const compression of ["zstd", "uncompressed", "snappy"] as const) {
      const path = `${dir}/${compression}.parquet`;
      await writeParquet(path, cols, { compression });
      const inst = await DuckDBInstance.create(":memory:");
      const conn = await inst.connect();
      try {
        const types = (await conn.runAndReadAll("DESCRIBE SELECT * FROM read_parquet($1)", [path])).getRows();
        assert.deepEqual(types.map((r) => [r[0], r[1]]), [["ts", "BIGINT"], ["k", "INTEGER"], ["x", "DOUBLE"], [
          "s",
          "VARCHAR",
        ]]);
        const rows = (await conn.runAndReadAll("SELECT * FROM read_parquet($1)", [path])).getRows();
        assert.equal(rows.length, n);
        for (let i = 0; i < n; i++) {
          const r = rows[i]!;
          if (r[0] !== cols.ts[i] || r[1] !== cols.k[i] || !Object.is(r[2], x[i]) || r[3] !== cols.s[i]) {
            assert.fail(`${compression}: row ${i}: ${JSON.stringify(r.map(String))}`);
          }
        }
      } finally {
        conn.closeSync();
        inst.closeSync();
      }
    }
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("writeParquet's own encoder: text of 1 to 4 UTF-8 bytes per character reads back as TextEncoder wrote it", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const path = `${dir}/text.parquet`;
    // ASCII, 2-byte (é, U+07FF), 3-byte (U+0800, 日本, U+FFFF), 4-byte (a surrogate pair), lone surrogates (U+FFFD).
    const s = ["long", "é\u07ff", "\u0800日本\uffff", "😀x", "a\ud800", "\udc00b", "", null, "\u007f\u0080"];
    await writeParquet(path, { s });
    const [, ...rows] = await readBack(path);
    const decoder = new TextDecoder();
    const expected = s.map((v) => v === null ? null : decoder.decode(new TextEncoder().encode(v)));
    assert.deepEqual(rows.map((r) => r[0]), expected);
    assert.equal(expected[4], "a\ufffd");
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("writeParquet's own encoder: INT64 columns as deltas read back exactly, across blocks and pages", async () => {
  const dir = await Deno.makeTempDir();
  const inst = await DuckDBInstance.create(":memory:");
  const conn = await inst.connect();
  try {
    let seed = 11;
    const rnd = (): number => (seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648) / 2_147_483_648;
    let t = 1_700_000_000_000;
    const shapes: Record<string, (i: number) => bigint> = {
      bars: (i) => BigInt(1_700_000_000_000 + i * 60_000),
      // Gaps of up to ~58 days: miniblocks of 0 to 33 bits.
      gaps: () => BigInt(t += rnd() < 0.01 ? Math.floor(rnd() * 5e9) : 60_000),
      random: () => BigInt(Math.floor((rnd() - 0.5) * 2 ** 52)),
      bounds: (i) => BigInt([2 ** 51, -(2 ** 51), 0, 1, -1][i % 5]!),
      falling: (i) => BigInt(1e12 - i * 7),
      // Beyond ±2^51: written PLAIN.
      extremes: (i) => i % 2 ? -(2n ** 63n) : 2n ** 63n - 1n,
    };
    for (const [shape, value] of Object.entries(shapes)) {
      for (const n of [1, 2, 33, 129, 161, 131_073]) {
        const ts = BigInt64Array.from({ length: n }, (_, i) => value(i));
        const path = `${dir}/${shape}-${n}.parquet`;
        await writeParquet(path, { ts });
        const got = (await conn.runAndReadAll("SELECT ts FROM read_parquet($1)", [path])).getColumns()[0]!;
        assert.equal(got.length, n, `${shape} ${n}`);
        for (let i = 0; i < n; i++) {
          if (got[i] !== ts[i]) assert.fail(`${shape} ${n}: row ${i}: ${got[i]} != ${ts[i]}`);
        }
      }
    }
    const enc = await conn.runAndReadAll(
      "SELECT encodings FROM parquet_metadata($1)",
      [`${dir}/bars-131073.parquet`],
    );
    assert.match(String(enc.getRows()[0]![0]), /DELTA_BINARY_PACKED/);
  } finally {
    conn.closeSync();
    inst.closeSync();
    await Deno.remove(dir, { recursive: true });
  }
});
