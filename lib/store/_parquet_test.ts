import { DuckDBInstance } from "@duckdb/node-api";
import assert from "node:assert/strict";
import { join } from "node:path";
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
