// Batch research end to end: `deno task backtest` with a single-series strategy over several series (a pattern or
// repeated --data), run as a subprocess over a temp data dir holding three bundled sample series.
import assert from "node:assert/strict";
import { DuckDBInstance } from "@duckdb/node-api";
import { readCsv } from "../lib/data/mod.ts";
import { RunRegistry } from "../lib/runs/mod.ts";
import { Store } from "../lib/store/mod.ts";
import { type CliRun, errorLine, runCli, withTempDir } from "../tests/_cli.ts";
import { progressLine } from "./_backtest_batch.ts";
import { isSeriesPattern } from "./_backtest_args.ts";

const SAMPLES = { "ETH/BTC": "ETH_BTC-5m", "LTC/BTC": "LTC_BTC-5m", "ADA/BTC": "ADA_BTC-5m" } as const;
const csvOf = (file: string): string => new URL(`../data/samples/${file}.csv`, import.meta.url).pathname;
const ETH_CSV = csvOf("ETH_BTC-5m");
const GRID = ["--grid", "fast=2..20:3", "--grid", "slow=10..40:10"];

const cli = (dataDir: string, ...args: string[]): Promise<CliRun> => runCli("backtest", args, { dataDir });

/** A temp data dir whose store holds the three 5m BTC samples as `samples:<SYMBOL>:5m`. */
async function withSamples(fn: (dir: string) => Promise<void>): Promise<void> {
  await withTempDir("sentinel-batch-", async (dir) => {
    using store = await Store.open({ dir });
    for (const [symbol, file] of Object.entries(SAMPLES)) {
      const { frame } = await readCsv(csvOf(file), { sort: true });
      await store.append({ exchange: "samples", symbol, timeframe: "5m" }, frame, { calendar: "24/7" });
    }
    await fn(dir);
  });
}

/** sweep.csv as lines grouped by the value of its first column (the series), that column left out. */
function bySeries(csv: string): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const line of csv.trim().split("\n").slice(1)) {
    const comma = line.indexOf(",");
    const key = line.slice(0, comma);
    out.set(key, [...(out.get(key) ?? []), line.slice(comma + 1)]);
  }
  return out;
}

Deno.test("batch over a pattern: per-series rows equal three separate sweeps row for row; one run, every hash", async () => {
  await withSamples(async (dir) => {
    const opts = ["--strategy", "sma_cross", ...GRID, "--fee", "0.001"];
    const [batch, ...alone] = await Promise.all([
      cli(dir, "--data", "samples:*/BTC:5m", ...opts, "--workers", "2", "--out", `${dir}/batch`, "--json"),
      ...Object.keys(SAMPLES).map((s) =>
        cli(dir, "--data", `samples:${s}:5m`, ...opts, "--workers", "0", "--out", `${dir}/${s.replace("/", "_")}`)
      ),
    ]);
    assert.equal(batch.code, 0, batch.stderr);
    for (const r of alone) assert.equal(r.code, 0, r.stderr);
    const j = JSON.parse(batch.stdout);
    assert.equal(j.kind, "batch");
    assert.equal(j.workers, 2);
    // The pattern's matches in id order.
    const labels = ["samples:ADA/BTC:5m", "samples:ETH/BTC:5m", "samples:LTC/BTC:5m"];
    assert.deepEqual(j.series.map((s: { series: string }) => s.series), labels);

    const csv = await Deno.readTextFile(`${dir}/batch/sweep.csv`);
    assert.ok(csv.startsWith("series,fast,slow,total_return,"), csv.slice(0, 80));
    const rows = bySeries(csv);
    assert.deepEqual([...rows.keys()], labels);
    let total = 0;
    for (const label of labels) {
      const symbol = label.split(":")[1]!;
      const own = (await Deno.readTextFile(`${dir}/${symbol.replace("/", "_")}/sweep.csv`)).trim().split("\n");
      assert.deepEqual(rows.get(label), own.slice(1), `${label}: rows`);
      const sweep = JSON.parse(await Deno.readTextFile(`${dir}/${symbol.replace("/", "_")}/sweep.json`));
      const mine = j.series.find((s: { series: string }) => s.series === label);
      assert.deepEqual(mine.best, sweep.best, `${label}: best`);
      assert.equal(mine.combos, sweep.combos);
      total += sweep.combos;
    }
    assert.equal(j.combos, total);

    const inst = await DuckDBInstance.create(":memory:");
    const conn = await inst.connect();
    try {
      const got = (await conn.runAndReadAll(
        "SELECT series, count(*)::INTEGER FROM read_parquet($1) GROUP BY series ORDER BY series",
        [`${dir}/batch/sweep.parquet`],
      )).getRows();
      assert.deepEqual(got, labels.map((l) => [l, rows.get(l)!.length]));
    } finally {
      conn.closeSync();
      inst.closeSync();
    }

    // One registry run for the batch, with every series' data hash (the same as each series' own run).
    const runs = await RunRegistry.open({ dir: `${dir}/_runs` });
    const rec = await runs.get(j.run_id);
    assert.equal(rec.kind, "sweep");
    assert.equal(rec.manifest.kind, "batch");
    assert.deepEqual(rec.series, labels);
    assert.ok(rec.files.includes("sweep.parquet") && rec.files.includes("report.html"));
    const hashes = (rec.manifest.data as { series: string; hash: string }[]).map((d) => [d.series, d.hash]);
    const own = (await runs.list()).filter((r) => r.id !== rec.id).flatMap((r) =>
      (r.manifest.data as { series: string; hash: string }[]).map((d) => [d.series, d.hash])
    );
    assert.deepEqual(hashes, [...own].sort((a, b) => a[0]!.localeCompare(b[0]!)));
    assert.ok(hashes.every(([, h]) => /^[0-9a-f]{64}$/.test(h!)), JSON.stringify(hashes));

    // report.html: the summary and one heatmap per series.
    const html = await Deno.readTextFile(`${dir}/batch/report.html`);
    assert.equal(html.match(/<figure class="sentinel-figure"/g)?.length, 3);
    for (const l of labels) {
      assert.ok(html.includes(`>${l}</h3>`), l);
      assert.ok(html.includes(`${l}: Sharpe by fast and slow`), l);
    }
    assert.match(html, /Best per series/);
    const summary = (await Deno.readTextFile(`${dir}/batch/batch_summary.csv`)).trim().split("\n");
    assert.equal(summary[0], "series,bars,combos,skipped,best_params,best_sharpe,total_return,max_drawdown,trades");
    assert.equal(summary.length, 4);
  });
});

Deno.test("batch over repeated --data (CSV files): the same rows as the pattern, keyed by each file's series", async () => {
  await withSamples(async (dir) => {
    const opts = ["--strategy", "sma_cross", ...GRID, "--fill", "close", "--fast", "--workers", "0"];
    const files = Object.values(SAMPLES).map(csvOf);
    const [a, b] = await Promise.all([
      cli(dir, ...files.flatMap((f) => ["--data", f]), ...opts, "--out", `${dir}/csv`),
      cli(dir, "--data", "samples:*/BTC:5m", ...opts, "--out", `${dir}/store`),
    ]);
    assert.equal(a.code, 0, a.stderr);
    assert.equal(b.code, 0, b.stderr);
    assert.match(a.stdout, /^batch sma_cross over 3 series: \d+ combos in [\d.]+ s \(1 thread, fused kernel\)/m);
    assert.match(a.stdout, /^best per series by final_equity$/m);
    assert.match(a.stderr, /batch 3\/3 series, \d+\/\d+ combos/);
    const csv = bySeries(await Deno.readTextFile(`${dir}/csv/sweep.csv`));
    const store = bySeries(await Deno.readTextFile(`${dir}/store/sweep.csv`));
    assert.deepEqual([...csv.keys()], ["csv:ETH_BTC-5m:5m", "csv:LTC_BTC-5m:5m", "csv:ADA_BTC-5m:5m"]);
    assert.deepEqual(csv.get("csv:ETH_BTC-5m:5m"), store.get("samples:ETH/BTC:5m"));
    assert.deepEqual(csv.get("csv:ADA_BTC-5m:5m"), store.get("samples:ADA/BTC:5m"));
  });
});

Deno.test("batch errors: one line, exit 2, before any sweep", async () => {
  await withSamples(async (dir) => {
    const eth = "samples:ETH/BTC:5m", ltc = "samples:LTC/BTC:5m";
    const cases: [string[], RegExp][] = [
      [
        ["--data", "samples:*/XBT:5m", "--strategy", "sma_cross", ...GRID],
        /^error: --data "samples:\*\/XBT:5m" matches no stored series in .*: stored series are samples:ADA\/BTC:5m, samples:ETH\/BTC:5m, samples:LTC\/BTC:5m \(\* matches any characters, \? one\)$/,
      ],
      [
        [
          "--data",
          eth,
          "--data",
          ltc,
          "--strategy",
          "sma_cross",
          ...GRID,
          "--walk-forward",
          "folds=2,train=500,test=200",
        ],
        /^error: --walk-forward is not supported for a batch over several series \(samples:ETH\/BTC:5m, samples:LTC\/BTC:5m\): run one series at a time$/,
      ],
      [
        ["--data", "samples:*:5m", "--strategy", "sma_cross", ...GRID, "--after-tax", "st=0.3,lt=0.2"],
        /^error: --after-tax is not supported for a batch over several series \(samples:\*:5m\): run one series at a time$/,
      ],
      [
        ["--data", eth, "--data", eth, "--strategy", "sma_cross"],
        /^error: --data samples:ETH\/BTC:5m is given twice: give each series once$/,
      ],
      [
        ["--data", ETH_CSV, "--data", "data/samples/ETH_BTC-5m.csv", "--strategy", "sma_cross"],
        /^error: --data \/.*\/ETH_BTC-5m\.csv and --data data\/samples\/ETH_BTC-5m\.csv are both csv:ETH_BTC-5m:5m: give each series once$/,
      ],
    ];
    const [once, ...runs] = await Promise.all([
      cli(dir, "--data", eth, "--data", "samples:E*:5m", "--strategy", "sma_cross"),
      ...cases.map(([args]) => cli(dir, ...args)),
    ]);
    for (const [i, r] of runs.entries()) {
      assert.equal(r.code, 2, `${cases[i]![0].join(" ")}: ${r.stderr}`);
      assert.match(errorLine(r), cases[i]![1]);
    }
    // A series named and matched by a pattern too is kept once: a batch of one series.
    assert.equal(once.code, 0, once.stderr);
    assert.match(once.stdout, /^batch sma_cross over 1 series/m);
    const recs = await (await RunRegistry.open({ dir: `${dir}/_runs` })).list();
    assert.equal(recs.length, 1);
  });
});

Deno.test("batch without a grid runs the params once per series; a portfolio strategy still takes several --data or a pattern", async () => {
  await withSamples(async (dir) => {
    const data = ["--data", "samples:ETH/BTC:5m", "--data", "samples:LTC/BTC:5m"];
    const rot = ["--strategy", "momentum_rotation", "--param", "lookback=48", "--param", "k=1", "--json"];
    const [batch, portfolio, pattern] = await Promise.all([
      cli(dir, ...data, "--strategy", "sma_cross", "--param", "fast=5", "--param", "slow=30", "--json"),
      cli(dir, ...data, ...rot),
      cli(dir, "--data", "samples:*/BTC:5m", ...rot),
    ]);
    assert.equal(batch.code, 0, batch.stderr);
    const j = JSON.parse(batch.stdout);
    assert.equal(j.kind, "batch");
    assert.equal(j.combos, 2);
    for (const s of j.series) assert.deepEqual(s.best.params, { fast: 5, slow: 30 });
    assert.equal(portfolio.code, 0, portfolio.stderr);
    assert.notEqual(JSON.parse(portfolio.stdout).kind, "batch");
    // A pattern names a portfolio's assets too.
    assert.equal(pattern.code, 0, pattern.stderr);
    assert.deepEqual(
      JSON.parse(pattern.stdout).manifest.data.map((d: { series: string }) => d.series),
      ["samples:ADA/BTC:5m", "samples:ETH/BTC:5m", "samples:LTC/BTC:5m"],
    );
  });
});

Deno.test("isSeriesPattern and progressLine", () => {
  assert.ok(isSeriesPattern("samples:*/BTC:5m"));
  assert.ok(isSeriesPattern("binance:BTC/USD?:1h"));
  assert.ok(!isSeriesPattern("samples:ETH/BTC:5m"));
  assert.ok(!isSeriesPattern("data/*.csv"));
  assert.equal(
    progressLine({ done: 120, total: 330, skipped: 4, seriesDone: 1, seriesTotal: 3, series: "a:B/C:5m", etaSec: 3.2 }),
    "batch 1/3 series, 120/330 combos (4 invalid skipped) (a:B/C:5m), 4s left",
  );
});

Deno.test("a --config job whose data lists several series (or a pattern) is a batch, recorded under its name", async () => {
  await withSamples(async (dir) => {
    const config = `${dir}/jobs.json`;
    await Deno.writeTextFile(
      config,
      JSON.stringify({
        jobs: [
          { name: "btc", data: "samples:*/BTC:5m", strategy: "sma_cross", grid: { fast: "2..10:4", slow: "20,40" } },
          { name: "none", data: ["samples:*/USDT:1h"], strategy: "sma_cross" },
        ],
      }),
    );
    const r = await cli(dir, "--config", config, "--out", `${dir}/out`, "--json");
    assert.equal(r.code, 2, r.stderr);
    const j = JSON.parse(r.stdout);
    assert.equal(j.jobs[0].kind, "batch");
    assert.equal(j.jobs[0].series.length, 3);
    assert.match(j.jobs[1].error, /^--data "samples:\*\/USDT:1h" matches no stored series/);
    const rec = await (await RunRegistry.open({ dir: `${dir}/_runs` })).get(j.jobs[0].run_id);
    assert.equal(rec.label, "btc");
    assert.equal(rec.source, "job");
    await Deno.stat(`${dir}/out/btc/report.html`);
  });
});
