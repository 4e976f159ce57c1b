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
