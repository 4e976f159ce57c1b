/**
 * Parquet readers on the same file: the store's own codec (lib/store/_parquet.ts), hyparquet (zstd through
 * `node:zlib`) and DuckDB, each reading a 10,000,000-row part file (ts INT64 + open..volume DOUBLE, a tick-grid
 * random walk, 1,048,576-row groups, as the store writes it) into typed arrays, for both codecs.
 *
 *   ./denow run -A bench/parquet_readers_bench.ts            # the table: one child process per reader x codec,
 *                                                            # best and median of 3 reads, peak RSS (VmHWM)
 *   ./denow bench -A bench/parquet_readers_bench.ts          # the same readers as Deno.bench, in one process
 *
 * Env: BENCH_BARS (default 10,000,000), BENCH_RUNS (reads per child, default 3).
 * parquet-wasm is not a dependency: its figure (1.8-4.2 s, peak RSS 3 GB on 10M rows) was measured before, in
 * ../shared/TOOLCHAIN-2.md §7, and is quoted, not re-measured.
 * @module
 */
import type { DuckDBConnection } from "@duckdb/node-api";
import { parquetRead } from "hyparquet";
import { zstdDecompressSync } from "node:zlib";
import { type Codec, readColumn, readLayout, ReadScratch, writePart } from "../lib/store/_parquet.ts";
import { tickWalkColumns } from "./_fixtures/tick_walk.ts";

const N = Number(Deno.env.get("BENCH_BARS") ?? 10_000_000);
const RUNS = Number(Deno.env.get("BENCH_RUNS") ?? 3);
const READERS = ["ours", "hyparquet", "duckdb", "duckdb-sum"] as const;
type Reader = typeof READERS[number];
const DESCRIBE: Record<Reader, string> = {
  ours: "ours (readLayout + readColumn into Float64Arrays)",
  hyparquet: "hyparquet 1.31.5 (parquetRead onChunk into typed arrays)",
  duckdb: "DuckDB (read_parquet streamed into typed arrays)",
  "duckdb-sum": "DuckDB (scan + sum of every column, no rows out)",
};

/** What a read leaves behind: a checksum that every reader must agree on. */
interface Read {
  rows: number;
  closeSum: number;
  lastTs: number;
}

/** The tick-grid random walk's columns in the part file's order: ts, open, high, low, close, volume. */
function syntheticColumns(n: number): Float64Array[] {
  const c = tickWalkColumns(n);
  return [c.ts, c.open, c.high, c.low, c.close, c.volume];
}

function sum(a: Float64Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i]!;
  return s;
}

async function readOurs(path: string): Promise<Read> {
  const file = await Deno.open(path);
  try {
    const layout = await readLayout(file, (await file.stat()).size);
    const cols = Array.from({ length: 6 }, () => new Float64Array(layout.rows));
    const scratch = new ReadScratch();
    let at = 0;
    for (const g of layout.rowGroups) {
      for (let c = 0; c < 6; c++) await readColumn(file, g.columns[c]!, g.rows, c === 0, cols[c]!, at, scratch);
      at += g.rows;
    }
    return { rows: at, closeSum: sum(cols[4]!), lastTs: cols[0]![at - 1]! };
  } finally {
    file.close();
  }
}

async function readHyparquet(path: string): Promise<Read> {
  const bytes = await Deno.readFile(path);
  const file = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength);
  const ts = new BigInt64Array(N);
  const names = ["open", "high", "low", "close", "volume"];
  const cols = names.map(() => new Float64Array(N));
  let rows = 0;
  await parquetRead({
    file,
    compressors: { ZSTD: (input: Uint8Array) => zstdDecompressSync(input) },
    onChunk: ({ columnName, columnData, rowStart, rowEnd }) => {
      if (columnName === "ts") {
        ts.set(columnData as BigInt64Array, rowStart);
        rows = Math.max(rows, rowEnd);
      } else cols[names.indexOf(columnName)]!.set(columnData as Float64Array, rowStart);
    },
  });
  return { rows, closeSum: sum(cols[3]!), lastTs: Number(ts[rows - 1]) };
}

async function readDuck(conn: DuckDBConnection, path: string): Promise<Read> {
  const result = await conn.stream("SELECT ts, open, high, low, close, volume FROM read_parquet($1)", [path]);
  const ts = new BigInt64Array(N);
  const cols = Array.from({ length: 5 }, () => new Float64Array(N));
  let n = 0;
  for (;;) {
    const chunk = await result.fetchChunk();
    if (!chunk || chunk.rowCount === 0) break;
    ts.set((chunk.getColumnVector(0) as unknown as { items: BigInt64Array }).items, n);
    for (let c = 0; c < 5; c++) {
      cols[c]!.set((chunk.getColumnVector(c + 1) as unknown as { items: Float64Array }).items, n);
    }
    n += chunk.rowCount;
  }
  return { rows: n, closeSum: sum(cols[3]!), lastTs: Number(ts[n - 1]) };
}

async function readDuckSum(conn: DuckDBConnection, path: string): Promise<Read> {
  const r = await conn.runAndReadAll(
    `SELECT count(*)::DOUBLE, sum(close), max(ts)::DOUBLE, sum(open) + sum(high) + sum(low) + sum(volume)
     FROM read_parquet($1)`,
    [path],
  );
  const row = r.getRows()[0]! as number[];
  return { rows: row[0]!, closeSum: row[1]!, lastTs: row[2]! };
}

/** Opens what `reader` needs once per process (DuckDB's instance), and returns the read function. */
async function openReader(reader: Reader): Promise<{ read: (path: string) => Promise<Read>; close(): void }> {
  if (reader === "ours") return { read: readOurs, close: () => {} };
  if (reader === "hyparquet") return { read: readHyparquet, close: () => {} };
  const { DuckDBInstance } = await import("@duckdb/node-api");
  const instance = await DuckDBInstance.create(":memory:", { threads: String(navigator.hardwareConcurrency) });
  const conn = await instance.connect();
  return {
    read: (path) => reader === "duckdb" ? readDuck(conn, path) : readDuckSum(conn, path),
    close: () => {
      conn.closeSync();
      instance.closeSync();
    },
  };
}

/** Peak resident set of this process so far (Linux VmHWM), in bytes. */
function peakRss(): number {
  const m = /VmHWM:\s+(\d+) kB/.exec(Deno.readTextFileSync("/proc/self/status"));
  return m ? Number(m[1]) * 1024 : NaN;
}

async function writeFiles(dir: string): Promise<Record<Codec, { path: string; bytes: number }>> {
  const cols = syntheticColumns(N);
  const out = {} as Record<Codec, { path: string; bytes: number }>;
  for (const codec of ["zstd", "none"] as const) {
    const path = `${dir}/${codec}.parquet`;
    const st = await writePart(path, cols, { codec });
    out[codec] = { path, bytes: st.bytes };
  }
  return out;
}

/** Child mode: `--child <reader> <path>`: RUNS reads, one JSON line on stdout. */
async function child(reader: Reader, path: string): Promise<void> {
  const r = await openReader(reader);
  const ms: number[] = [];
  let last: Read | undefined;
  for (let i = 0; i < RUNS; i++) {
    const t0 = performance.now();
    last = await r.read(path);
    ms.push(performance.now() - t0);
  }
  r.close();
  console.log(JSON.stringify({ ms, read: last, peak: peakRss() }));
}

async function table(): Promise<void> {
  const dir = await Deno.makeTempDir({ prefix: "parquet_readers_bench_" });
  try {
    const t0 = performance.now();
    const files = await writeFiles(dir);
    console.log(
      `parquet_readers_bench: ${N.toLocaleString("en-US")} rows, written by ours in ${
        ((performance.now() - t0) / 1000).toFixed(1)
      } s (both codecs, generation included); ${RUNS} reads per cell, each cell its own process; ` +
        `${navigator.hardwareConcurrency} cores`,
    );
    console.log("| reader | codec | file | read: best / median | peak RSS |");
    console.log("|---|---|---|---|---|");
    let reference: Read | undefined;
    for (const codec of ["zstd", "none"] as const) {
      for (const reader of READERS) {
        const out = await new Deno.Command(Deno.execPath(), {
          args: ["run", "-A", import.meta.filename!, "--child", reader, files[codec].path],
          stdout: "piped",
          stderr: "inherit",
        }).output();
        if (!out.success) throw new Error(`${reader} ${codec}: child exited with ${out.code}`);
        const res = JSON.parse(new TextDecoder().decode(out.stdout).trim().split("\n").pop()!) as {
          ms: number[];
          read: Read;
          peak: number;
        };
        reference ??= res.read;
        if (res.read.rows !== reference.rows || res.read.lastTs !== reference.lastTs) {
          throw new Error(`${reader} ${codec} read ${JSON.stringify(res.read)}, ours ${JSON.stringify(reference)}`);
        }
        // Sums in another order (DuckDB's) may differ in the last bits; more than that is a wrong read.
        if (Math.abs(res.read.closeSum - reference.closeSum) > 1e-9 * Math.abs(reference.closeSum)) {
          throw new Error(`${reader} ${codec}: sum(close) ${res.read.closeSum}, ours ${reference.closeSum}`);
        }
        const sorted = [...res.ms].sort((a, b) => a - b);
        const median = sorted[Math.floor(sorted.length / 2)]!;
        console.log(
          `| ${DESCRIBE[reader]} | ${codec} | ${(files[codec].bytes / 2 ** 20).toFixed(0)} MiB | ` +
            `${(sorted[0]! / 1000).toFixed(2)} / ${(median / 1000).toFixed(2)} s | ${
              (res.peak / 2 ** 30).toFixed(2)
            } GB |`,
        );
      }
    }
    console.log(
      "| parquet-wasm 0.8.0 (not a dependency; TOOLCHAIN-2 §7, measured before) | zstd / none | 284 / 406 MiB | " +
        "1.8-4.2 s | 2.5-2.8 GB |",
    );
    console.log("target for ours: 1.5 s");
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

if (import.meta.main) {
  if (Deno.args[0] === "--child") await child(Deno.args[1] as Reader, Deno.args[2]!);
  else await table();
} else {
  // Under `deno bench`: the same readers in one process (peak RSS is not per reader here: use the table).
  const dir = await Deno.makeTempDir({ prefix: "parquet_readers_bench_" });
  const files = await writeFiles(dir);
  const opened = await Promise.all(READERS.map(openReader));
  globalThis.addEventListener("unload", () => {
    for (const r of opened) r.close();
    Deno.removeSync(dir, { recursive: true });
  });
  for (const codec of ["zstd", "none"] as const) {
    READERS.forEach((reader, i) => {
      Deno.bench({ name: `${reader} reads ${N} rows (${codec})`, group: codec, n: RUNS, warmup: 1 }, async () => {
        const r = await opened[i]!.read(files[codec].path);
        if (r.rows !== N) throw new Error(`${reader} read ${r.rows} rows`);
      });
    });
  }
}
