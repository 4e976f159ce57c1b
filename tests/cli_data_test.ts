// `deno task data` end to end: the real CLI in a subprocess, a temp store, real ccxt against the fake exchange.
import assert from "node:assert/strict";
import { Frame } from "../lib/frame/mod.ts";
import { parseCsv } from "../lib/data/mod.ts";
import { Store } from "../lib/store/mod.ts";
import { type Fault, randomBars, startFakeExchange } from "../lib/testing/mod.ts";
import { type CliRun, errorLine, runCli } from "./_cli.ts";

const CLI = new URL("../cli/data.ts", import.meta.url).pathname;
const SAMPLES = new URL("../data/samples/", import.meta.url).pathname;

const data = (dir: string, ...args: string[]): Promise<CliRun> => runCli("data", args, { dataDir: dir });

Deno.test("import-samples, list --json and quality --json on the bundled samples", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const first = await data(dir, "import-samples", "--quiet");
    assert.equal(first.code, 0, first.stderr);
    const again = await data(dir, "import-samples", "--json");
    assert.equal(again.code, 0, again.stderr);
    const list = JSON.parse((await data(dir, "list", "--json")).stdout) as Record<string, unknown>[];
    assert.equal(list.length, 11);
    assert.deepEqual(list.find((s) => s.symbol === "GOOG"), {
      exchange: "samples",
      symbol: "GOOG",
      timeframe: "1d",
      first: "2004-08-19T00:00:00Z",
      last: "2013-03-01T00:00:00Z",
      bars: 2148, // re-importing stored nothing twice
      calendar: "weekdays",
      source: `${SAMPLES}GOOG.raw.csv`,
    });
    const q = JSON.parse((await data(dir, "quality", "samples:ADA/BTC:5m", "--json")).stdout);
    assert.equal(q.gapCount, 5);
    assert.equal(q.missing, 40);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("CSV -> store -> Arrow/Parquet/CSV export keeps every value bit for bit", async () => {
  const dir = await Deno.makeTempDir();
  try {
    // Awkward values: shortest round-trip forms, subnormals, long mantissas.
    const rows = ["timestamp,open,high,low,close,volume"];
    const vals = [0.1 + 0.2, 1e-300, 5e-324, 123456789.12345679, 2 ** 53, 0.000015200000000000001];
    for (let i = 0; i < vals.length; i++) {
      const v = vals[i]!;
      rows.push(`${1_600_000_000_000 + i * 60_000},${v},${v * 2},${v / 2},${v},${v * 3}`);
    }
    const src = `${dir}/in.csv`;
    await Deno.writeTextFile(src, rows.join("\n") + "\n");
    const imp = await data(dir, "import", src, "--exchange", "t", "--symbol", "X/Y", "--timeframe", "1m");
    assert.equal(imp.code, 0, imp.stderr);
    for (const format of ["csv", "parquet", "arrow"]) {
      const r = await data(dir, "export", "t", "X/Y", "1m", "--format", format, "--out", `${dir}/out.${format}`);
      assert.equal(r.code, 0, r.stderr);
    }
    const original = parseCsv(await Deno.readTextFile(src)).frame;
    assert.equal(await Deno.readTextFile(`${dir}/out.csv`), rows.join("\n") + "\n");
    const { tableFromIPC } = await import("apache-arrow");
    const arrow = Frame.fromArrow(tableFromIPC(await Deno.readFile(`${dir}/out.arrow`)));
    assert.deepEqual(arrow.toBars(), original.toBars());
    // Parquet read back by DuckDB itself (not our reader).
    const { DuckDBInstance } = await import("@duckdb/node-api");
    const db = await DuckDBInstance.create(":memory:");
    const con = await db.connect();
    const reader = await con.runAndReadAll(`select * from read_parquet('${dir}/out.parquet') order by ts`);
    const parquetRows = reader.getRowObjectsJS().map((r) => ({ ...r, ts: Number(r.ts) }));
    con.closeSync();
    db.closeSync();
    assert.deepEqual(parquetRows, original.toBars());
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("bad input: one line naming the value and the fix, exit code 2, nothing stored", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const bad = `${dir}/bad.csv`;
    await Deno.writeTextFile(bad, "timestamp,open,high,low,close,volume\n0,1,2,0.5,1,1\n60000,1,0.5,2,1,1\n");
    const r = await data(dir, "import", bad, "--exchange", "t", "--symbol", "X", "--timeframe", "1m");
    assert.equal(r.code, 2);
    assert.match(errorLine(r), /bad\.csv:3: .*high/);
    assert.deepEqual(JSON.parse((await data(dir, "list", "--json")).stdout), []);

    const cases: [string[], RegExp][] = [
      [["quality", "samples", "GOOG", "1d"], /no stored series samples:GOOG:1d.*deno task data list/],
      [["quality", "../../etc", "passwd", "1d"], /exchange "\.\.\/\.\.\/etc": an exchange name is/],
      [["quality", "x'; drop table bars; --", "BTC/USDT", "1h"], /exchange .*drop table.*an exchange name is/],
      [["export", "samples", "GOOG", "1d", "--format", "xls", "--out", "x"], /--format "xls" is not valid/],
      [["download", "--symbol", "BTC/USDT", "--timeframe", "1h"], /needs --since/],
      [["download", "--symbol", "BTC/USDT", "--timeframe", "7q", "--since", "2024"], /timeframe "7q"/],
      [["frobnicate"], /unknown command "frobnicate"/],
    ];
    for (const [args, re] of cases) {
      const out = await data(dir, ...args);
      assert.equal(out.code, 2, `${args.join(" ")}: ${out.stderr}`);
      assert.match(errorLine(out), re);
    }
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("download through real ccxt survives faults and kills at random points, ending with exactly the served bars", async () => {
  const dir = await Deno.makeTempDir();
  const start = Date.UTC(2024, 0, 1);
  // 6,000 closed 1m bars with two holes in the exchange's own data (gaps must stay gaps).
  const all = randomBars({ n: 6_000, seed: 7, start, stepMs: 60_000 }).toBars();
  const served = all.filter((_, i) => !(i >= 1000 && i < 1010) && i !== 4321);
  // Every page is slowed so kills land mid-download; a few pages fail transiently.
  const script: Fault[] = [];
  const fake = await startFakeExchange({
    series: [{ symbol: "BTC/USDT", timeframe: "1m", bars: served }],
    faultFn: ({ endpoint, n }) => {
      if (endpoint !== "klines") return undefined;
      if (n === 3) return { kind: "status", status: 503 };
      if (n === 5) return { kind: "rateLimit", retryAfterSec: 1 };
      if (n === 8) return { kind: "malformed", body: "truncated" };
      return script[n] ?? { kind: "delay", ms: 40 };
    },
  });
  const args = [
    "download",
    "--exchange",
    "binance",
    "--symbol",
    "BTC/USDT",
    "--timeframe",
    "1m",
    "--since",
    "2024-01-01",
    "--until",
    String(start + 6_000 * 60_000),
    "--limit",
    "250",
    "--api-url",
    fake.url,
  ];
  try {
    // Three runs killed with SIGKILL at random moments (deterministic seed), then one that finishes.
    let seed = 12345;
    let partial = 0;
    const rand = (): number => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff);
    for (let k = 0; k < 3; k++) {
      const child = new Deno.Command(Deno.execPath(), {
        args: ["run", "-A", CLI, ...args],
        env: { SENTINEL_DATA_DIR: dir, NO_COLOR: "1" },
        stdout: "null",
        stderr: "null",
      }).spawn();
      // Kill after this run has asked for a random 2 to 7 pages, not after a fixed time: a loaded machine
      // can take longer than any fixed delay just to start the process.
      const asked = fake.requestsTo("klines").length;
      const pages = 2 + Math.floor(rand() * 6);
      let exited = false;
      child.status.then(() => exited = true);
      const deadline = Date.now() + 60_000;
      while (!exited && fake.requestsTo("klines").length < asked + pages && Date.now() < deadline) {
        await new Promise((r) => setTimeout(r, 5));
      }
      await new Promise((r) => setTimeout(r, rand() * 40));
      try {
        child.kill("SIGKILL");
      } catch { /* already finished */ }
      await child.status;
      // The store opens and reads after every kill: a prefix of the served bars, never a torn row.
      const store = await Store.open({ dir });
      try {
        const info = await store.info({ exchange: "binance", symbol: "BTC/USDT", timeframe: "1m" });
        if (info) {
          const got = (await store.read({ exchange: "binance", symbol: "BTC/USDT", timeframe: "1m" })).toBars();
          assert.deepEqual(got, served.slice(0, got.length));
          if (got.length > 0 && got.length < served.length) partial++;
        }
      } finally {
        store.close();
      }
    }
    assert.ok(partial >= 1, "no kill landed mid-download; slow the fake down");
    const final = await data(dir, ...args, "--json");
    assert.equal(final.code, 0, final.stderr);
    const store = await Store.open({ dir });
    try {
      const got = (await store.read({ exchange: "binance", symbol: "BTC/USDT", timeframe: "1m" })).toBars();
      assert.equal(got.length, served.length);
      assert.deepEqual(got, served);
    } finally {
      store.close();
    }
  } finally {
    await fake.close();
    await Deno.remove(dir, { recursive: true });
  }
});
