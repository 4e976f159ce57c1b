// End-to-end tests of `deno task backtest` (cli/backtest.ts), run as a subprocess with a temp
// SENTINEL_DATA_DIR so the runs registry and the store are the test's own.

import assert from "node:assert/strict";
import { DuckDBInstance } from "@duckdb/node-api";
import { readCsv } from "../lib/data/mod.ts";
import { RunRegistry } from "../lib/runs/mod.ts";
import { Store } from "../lib/store/mod.ts";
import { type CliRun, runCli, withTempDir } from "./_cli.ts";

const GOOG = new URL("../data/samples/GOOG.raw.csv", import.meta.url).pathname;
const ETH = new URL("../data/samples/ETH_BTC-5m.csv", import.meta.url).pathname;
const LTC = new URL("../data/samples/LTC_BTC-5m.csv", import.meta.url).pathname;
const ADA = new URL("../data/samples/ADA_BTC-5m.csv", import.meta.url).pathname;

const cli = (dataDir: string, ...args: string[]): Promise<CliRun> => runCli("backtest", args, { dataDir });
const withDir = (fn: (dir: string) => Promise<void>): Promise<void> => withTempDir("sentinel-cli-", fn);

async function duckRows(sql: string, params: string[]): Promise<unknown[][]> {
  const inst = await DuckDBInstance.create(":memory:");
  const conn = await inst.connect();
  try {
    return (await conn.runAndReadAll(sql, params)).getRows();
  } finally {
    conn.closeSync();
    inst.closeSync();
  }
}

Deno.test("single run --json: stats, final equity, trades and manifest, recorded in the registry", async () => {
  await withDir(async (dir) => {
    const r = await cli(
      dir,
      "--data",
      GOOG,
      "--strategy",
      "sma_cross",
      "--param",
      "fast=10",
      "--param",
      "slow=30",
      "--fee",
      "0.1%",
      "--json",
    );
    assert.equal(r.code, 0, r.stderr);
    const j = JSON.parse(r.stdout);
    for (const k of ["total_return", "sharpe", "max_drawdown", "final_equity", "trades", "win_rate", "cagr"]) {
      assert.ok(Number.isFinite(j.stats[k]), `stats.${k} = ${j.stats[k]}`);
    }
    assert.ok(Number.isFinite(j.final_equity));
    assert.equal(j.final_equity, j.stats.final_equity);
    assert.ok(Number.isInteger(j.trades) && j.trades > 0);
    assert.deepEqual(j.manifest.params, { fast: 10, slow: 30 });
    assert.equal(j.manifest.options.fee, 0.001);
    assert.equal(j.manifest.data[0].series, "csv:GOOG.raw:1d");
    assert.equal(j.manifest.data[0].bars, 2148);
    assert.equal(j.manifest.periods_per_year, 252); // daily weekday bars
    const runs = await RunRegistry.open({ dir: `${dir}/_runs` });
    const rec = await runs.get(j.run_id);
    assert.equal(rec.kind, "single");
    assert.equal(rec.source, "cli");
    assert.equal(rec.manifest_id, j.manifest.id);
    assert.equal(rec.stats.final_equity, j.final_equity);
  });
});

Deno.test("--out writes stats.json, trades.csv, equity.parquet (DuckDB-readable), manifest.json, report.html", async () => {
  await withDir(async (dir) => {
    const out = `${dir}/out`;
    const r = await cli(
      dir,
      "--data",
      GOOG,
      "--strategy",
      "sma_cross",
      "--fill",
      "close",
      "--fee",
      "0.001",
      "--out",
      out,
    );
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /Sharpe/);
    assert.match(r.stdout, /trades: \d+/);
    assert.match(r.stdout, /warning: 2 gaps/); // GOOG.raw.csv misses a few trading days; the quality report says so
    const stats = JSON.parse(await Deno.readTextFile(`${out}/stats.json`));
    const manifest = JSON.parse(await Deno.readTextFile(`${out}/manifest.json`));
    assert.equal(manifest.options.fill, "close");
    const html = await Deno.readTextFile(`${out}/report.html`);
    assert.ok(html.startsWith("<!DOCTYPE html>"));
    assert.ok(html.includes("<svg"));
    // The shared renderer's figures: equity, drawdown, rolling Sharpe, rolling beta, exposure, price, monthly, histogram.
    assert.equal((html.match(/<figure class="sentinel-figure"/g) ?? []).length, 8);
    assert.ok(!/<script|https?:\/\/(?!www\.w3\.org)/.test(html), "self-contained: no scripts, no external links");
    const [[rows, last]] = await duckRows(
      "SELECT count(*)::INTEGER, last(equity ORDER BY ts) FROM read_parquet($1)",
      [`${out}/equity.parquet`],
    ) as [[number, number]];
    assert.equal(rows, 2148);
    assert.equal(last, stats.final_equity);
    // Hand check: every trade is closed (finalize close), so the P&L of the trades adds up to the equity gained.
    const lines = (await Deno.readTextFile(`${out}/trades.csv`)).trim().split("\n");
    const header = lines[0]!.split(",");
    assert.deepEqual(header.slice(0, 3), ["entry_time", "exit_time", "asset"]);
    const pnl = header.indexOf("pnl");
    const sum = lines.slice(1).reduce((s, l) => s + Number(l.split(",")[pnl]), 0);
    assert.equal(lines.length - 1, stats.trades);
    assert.ok(Math.abs(sum - (stats.final_equity - 10_000)) < 1e-6, `${sum} vs ${stats.final_equity - 10_000}`);
  });
});

Deno.test("a sweep writes sweep.csv with a column per param and per stat, and a heatmap for 2 params", async () => {
  await withDir(async (dir) => {
    const out = `${dir}/sweep`;
    const r = await cli(
      dir,
      ...["--data", ETH, "--strategy", "sma_cross", "--grid", "fast=2..10:4", "--grid", "slow=8,12", "--fill", "close"],
      ...["--workers", "0", "--out", out, "--json"],
    );
    assert.equal(r.code, 0, r.stderr);
    const j = JSON.parse(r.stdout);
    // fast 2, 6, 10 x slow 8, 12: (10, 8) is invalid (fast must be < slow).
    assert.equal(j.combos, 5);
    assert.equal(j.skipped.count, 1);
    const lines = (await Deno.readTextFile(`${out}/sweep.csv`)).trim().split("\n");
    const header = lines[0]!.split(",");
    assert.deepEqual(header.slice(0, 2), ["fast", "slow"]);
    for (const k of ["final_equity", "sharpe", "max_drawdown", "trades"]) assert.ok(header.includes(k), k);
    assert.equal(lines.length, 6);
    assert.deepEqual(lines.slice(1).map((l) => l.split(",").slice(0, 2).join("/")), [
      "2/8",
      "2/12",
      "6/8",
      "6/12",
      "10/12",
    ]);
    assert.ok((await Deno.readTextFile(`${out}/sweep_heatmap.svg`)).startsWith("<svg"));
    const [[n]] = await duckRows("SELECT count(*)::INTEGER FROM read_parquet($1)", [`${out}/sweep.parquet`]) as [
      [number],
    ];
    assert.equal(n, 5);
    // The best row of the sweep equals a single run with its params (same engine, same stats).
    const best = j.best;
    const single = JSON.parse(
      (await cli(
        dir,
        ...["--data", ETH, "--strategy", "sma_cross", "--fill", "close", "--json"],
        ...Object.entries(best.params).flatMap(([k, v]) => ["--param", `${k}=${v}`]),
      )).stdout,
    );
    assert.equal(single.stats.final_equity, best.stats.final_equity);
    assert.equal(single.stats.sharpe, best.stats.sharpe);
    const runs = await RunRegistry.open({ dir: `${dir}/_runs` });
    assert.deepEqual((await runs.list()).map((x) => x.kind), ["single", "sweep"]);
  });
});

Deno.test("walk-forward prints one line per fold with in- and out-of-sample stats, durations as bars", async () => {
  await withDir(async (dir) => {
    const out = `${dir}/wf`;
    const r = await cli(
      dir,
      ...["--data", ETH, "--strategy", "sma_cross", "--grid", "fast=2,4", "--grid", "slow=10,20", "--fill", "close"],
      ...[
        "--walk-forward",
        "folds=3,train=1d,test=12h,mode=anchored,metric=total_return",
        "--workers",
        "0",
        "--out",
        out,
      ],
    );
    assert.equal(r.code, 0, r.stderr);
    // 5m bars: 1d = 288 bars, 12h = 144 bars.
    assert.match(r.stdout, /3 anchored folds, train 288 bars, test 144 bars, best by total_return/);
    const table = r.stdout.split("\n").filter((l) => /^[123] {4}/.test(l));
    assert.equal(table.length, 3, r.stdout);
    for (const line of table) assert.match(line, /fast=\d+ slow=\d+ +\u2212?\d+\.\d+% +\u2212?\d+\.\d+%/);
    assert.match(r.stdout, /stitched out-of-sample:/);
    const j = JSON.parse(await Deno.readTextFile(`${out}/walk_forward.json`));
    assert.equal(j.folds.length, 3);
    // Anchored: every training window starts where the first one does; test windows follow each other.
    assert.equal(j.folds[1].train.from, j.folds[0].train.from);
    assert.equal(j.folds[1].test.from, j.folds[0].test.to + 300_000);
    assert.equal(j.folds[2].test.bars, 144);
    // The last test window ends on the last bar of the file.
    const { frame } = await readCsv(ETH);
    assert.equal(j.folds[2].test.to, frame.ts[frame.length - 1]);
    const [[rows]] = await duckRows("SELECT count(*)::INTEGER FROM read_parquet($1)", [
      `${out}/oos_equity.parquet`,
    ]) as [[number]];
    assert.equal(rows, 3 * 144);
    const runs = await RunRegistry.open({ dir: `${dir}/_runs` });
    const [rec] = await runs.list({ kind: "walk_forward" });
    assert.equal(rec!.stats.final_equity, j.stats.final_equity);
  });
});

Deno.test("--config runs every job and records each with source job and its name", async () => {
  await withDir(async (dir) => {
    const config = `${dir}/jobs.json`;
    await Deno.writeTextFile(
      config,
      JSON.stringify({
        jobs: [
          {
            name: "goog-sma",
            data: GOOG,
            strategy: "sma_cross",
            params: { fast: 5, slow: 20 },
            options: { fee: 0.001 },
          },
          {
            name: "eth-grid",
            data: ETH,
            strategy: "ema_cross",
            params: { fast: 3 },
            grid: { slow: "10..30:10" },
            options: { fill: "close", timeframe: "5m", from: "2018-01-12" },
          },
          { name: "missing", data: "samples:NOPE:1d", strategy: "sma_cross" },
        ],
      }),
    );
    const r = await cli(dir, "--config", config, "--workers", "0", "--out", `${dir}/out`);
    // A scheduled file runs every job; a broken one is reported on one line and makes the exit code 2.
    assert.equal(r.code, 2, r.stderr);
    assert.match(r.stderr, /^error: job missing: unknown series "samples:NOPE:1d"/m);
    assert.match(r.stdout, /== job goog-sma/);
    assert.match(r.stdout, /== job eth-grid/);
    const runs = await RunRegistry.open({ dir: `${dir}/_runs` });
    const recs = await runs.list({ source: "job" });
    assert.deepEqual(recs.map((x) => [x.label, x.kind]).sort(), [["eth-grid", "sweep"], ["goog-sma", "single"]]);
    const grid = recs.find((x) => x.label === "eth-grid")!;
    assert.equal(grid.detail.combos, 3);
    assert.ok(((grid.manifest.data as { first: number }[])[0]!.first) >= Date.UTC(2018, 0, 12));
    await Deno.stat(`${dir}/out/goog-sma/report.html`);
    await Deno.stat(`${dir}/out/eth-grid/sweep.csv`);
  });
});

Deno.test("a stored series runs by name after the samples are appended through the store", async () => {
  await withDir(async (dir) => {
    const { frame } = await readCsv(GOOG);
    {
      using store = await Store.open({ dir });
      await store.append({ exchange: "samples", symbol: "GOOG", timeframe: "1d" }, frame, { calendar: "weekdays" });
    }
    const r = await cli(
      dir,
      ...["--data", "samples:GOOG:1d", "--strategy", "rsi_reversion", "--from", "2010-01-01", "--to", "2012-01-01"],
      "--json",
    );
    assert.equal(r.code, 0, r.stderr);
    const j = JSON.parse(r.stdout);
    const d = j.manifest.data[0];
    assert.equal(d.series, "samples:GOOG:1d");
    assert.equal(d.first, Date.UTC(2010, 0, 4)); // first trading day of 2010
    assert.ok(d.last < Date.UTC(2012, 0, 1)); // --to is exclusive
    assert.equal(j.manifest.calendar, "weekdays");
    assert.ok(Number.isFinite(j.final_equity));
  });
});

Deno.test("bad input: one line naming the value and the fix, exit code 2", async () => {
  await withDir(async (dir) => {
    const cases: [string[], RegExp][] = [
      [["--strategy", "sma_crosss"], /unknown strategy "sma_crosss": use one of .*sma_cross/],
      [["--strategy", "sma_cross", "--param", "fats=3"], /unknown param "fats" for sma_cross; params are fast, slow/],
      [["--strategy", "sma_cross", "--param", "fast=0"], /fast must be an integer from 1 to 10000 \(got 0\)/],
      [["--strategy", "sma_cross", "--param", "fast=50"], /fast must be < slow \(got fast=50, slow=30\)/],
      [["--strategy", "sma_cross", "--fee", "abc"], /--fee "abc" is not valid/],
      [["--strategy", "sma_cross", "--size", "half"], /--size "half" is not valid/],
      [
        ["--strategy", "sma_cross", "--from", "2030-01-01"],
        /no bars in .* from 2030-01-01 to -: the data covers 2004-08-19 to 2013-03-01/,
      ],
      [
        ["--strategy", "sma_cross", "--grid", "fast=5..2"],
        /--grid fast=5\.\.2: "5\.\.2": write a\.\.b:step with a <= b and step > 0/,
      ],
      [["--strategy", "sma_cross", "--bogus"], /Unknown option '--bogus'/],
      [["--strategy", "sma_cross", "--walk-forward", "folds=3"], /needs folds, train and test/],
    ];
    const results = await Promise.all(cases.map(([args]) => cli(dir, "--data", GOOG, ...args)));
    results.forEach((r, i) => {
      assert.equal(r.code, 2, `${cases[i]![0].join(" ")}: ${r.stderr}`);
      const lines = r.stderr.trim().split("\n");
      assert.equal(lines.length, 1, r.stderr);
      assert.match(lines[0]!, /^error: /);
      assert.match(lines[0]!, cases[i]![1]);
      assert.equal(r.stdout, "");
    });
    const unknown = await cli(dir, "--data", "samples:NOPE:1d", "--strategy", "sma_cross");
    assert.equal(unknown.code, 2);
    assert.match(
      unknown.stderr.trim(),
      /^error: unknown series "samples:NOPE:1d" in .*: the store is empty; import it/,
    );
    // Nothing was recorded for failed runs.
    assert.deepEqual(await (await RunRegistry.open({ dir: `${dir}/_runs` })).list(), []);
  });
});

Deno.test("momentum_rotation over three --data CSVs: portfolio stats, 3 manifest entries, ADA's missing bars", async () => {
  await withDir(async (dir) => {
    const out = `${dir}/rot`;
    const r = await cli(
      dir,
      ...["--data", ETH, "--data", LTC, "--data", ADA, "--strategy", "momentum_rotation"],
      ...["--param", "lookback=48", "--param", "k=1", "--param", "every=12", "--fee", "0.001", "--json", "--out", out],
    );
    assert.equal(r.code, 0, r.stderr);
    const j = JSON.parse(r.stdout);
    assert.equal(j.kind, "portfolio");
    assert.ok(Number.isFinite(j.final_equity) && j.final_equity > 0, `final_equity ${j.final_equity}`);
    assert.equal(j.final_equity, j.stats.final_equity);
    assert.ok(Number.isInteger(j.trades) && j.trades > 0, `trades ${j.trades}`);
    assert.deepEqual(j.manifest.params, { lookback: 48, k: 1, every: 12, weight: 0 });
    assert.equal(j.manifest.options.fee, 0.001);
    assert.deepEqual(j.manifest.data.map((d: { series: string }) => d.series), [
      "csv:ETH_BTC-5m:5m",
      "csv:LTC_BTC-5m:5m",
      "csv:ADA_BTC-5m:5m",
    ]);
    // The files have 5760, 5760 and 5720 rows (wc -l minus the header) on one 5m grid: ADA lacks 40 bars
    // inside its span, which are reported (never filled in) by the simulation and by ADA's quality report.
    assert.deepEqual(j.manifest.data.map((d: { bars: number }) => d.bars), [5760, 5760, 5720]);
    assert.equal(j.missing["csv:ADA_BTC-5m:5m"].count, 40);
    assert.equal(j.missing["csv:ETH_BTC-5m:5m"].count, 0);
    assert.ok(j.warnings.some((w: string) => /40 missing bars.*ADA_BTC/.test(w)), j.warnings.join("; "));
    // Equity is on the union timeline of the three (5760 bars) and ends at the final equity.
    const [[rows, last]] = await duckRows(
      "SELECT count(*)::INTEGER, last(equity ORDER BY ts) FROM read_parquet($1)",
      [`${out}/equity.parquet`],
    ) as [[number, number]];
    assert.equal(rows, 5760);
    assert.equal(last, j.final_equity);
    const lines = (await Deno.readTextFile(`${out}/trades.csv`)).trim().split("\n");
    assert.equal(lines.length - 1, j.trades);
    const asset = lines[0]!.split(",").indexOf("asset");
    assert.ok(new Set(lines.slice(1).map((l) => l.split(",")[asset])).size > 1, "rotates between assets");
    assert.equal(JSON.parse(await Deno.readTextFile(`${out}/manifest.json`)).id, j.manifest.id);
    assert.ok((await Deno.readTextFile(`${out}/report.html`)).startsWith("<!DOCTYPE html>"));
    const runs = await RunRegistry.open({ dir: `${dir}/_runs` });
    const rec = await runs.get(j.run_id);
    assert.equal(rec.kind, "single");
    assert.equal(rec.strategy, "momentum_rotation");
    assert.deepEqual(rec.series, ["csv:ETH_BTC-5m:5m", "csv:LTC_BTC-5m:5m", "csv:ADA_BTC-5m:5m"]);
    assert.equal(rec.stats.final_equity, j.final_equity);
    // The human output names every asset and ADA's gaps.
    const h = await cli(dir, "--data", ETH, "--data", ADA, "--strategy", "momentum_rotation");
    assert.equal(h.code, 0, h.stderr);
    assert.match(h.stdout, /on 2 series: .*\(5760 bars on the union timeline, 5m/);
    assert.match(h.stdout, /csv:ADA_BTC-5m:5m: 5720 bars, 40 missing inside its span/);
  });
});

Deno.test("a portfolio strategy runs over one --data", async () => {
  await withDir(async (dir) => {
    const r = await cli(dir, "--data", ETH, "--strategy", "momentum_rotation", "--param", "lookback=12", "--json");
    assert.equal(r.code, 0, r.stderr);
    const j = JSON.parse(r.stdout);
    assert.equal(j.manifest.data.length, 1);
    assert.ok(Number.isFinite(j.final_equity));
  });
});

Deno.test("bad portfolio input: one line naming the value and the fix, exit code 2", async () => {
  await withDir(async (dir) => {
    const rot = ["--strategy", "momentum_rotation"];
    const cases: [string[], RegExp][] = [
      [
        ["--data", ETH, "--data", LTC, ...rot, "--grid", "lookbak=10,20"],
        /lookbak.*momentum_rotation/,
      ],
      [["--data", ETH, ...rot, "--walk-forward", "folds=2,train=100,test=50"], /--walk-forward needs --grid/],
      [
        ["--data", ETH, ...rot, "--grid", "lookback=5,10", "--walk-forward", "folds=50,train=5000,test=500"],
        /needs 30000 bars .* union timeline .* has \d+: use fewer folds/,
      ],
      [["--data", ETH, "--data", ETH, ...rot], /--data .*ETH_BTC-5m\.csv is given twice/],
      [["--data", ETH, "--data", GOOG, ...rot], /different timeframes/],
      [["--data", ETH, "--data", LTC, ...rot, "--param", "k=0"], /k must be/],
    ];
    const results = await Promise.all(cases.map(([args]) => cli(dir, ...args)));
    results.forEach((r, i) => {
      assert.equal(r.code, 2, `${cases[i]![0].join(" ")}: ${r.stderr}`);
      const lines = r.stderr.trim().split("\n").filter((l) => !l.startsWith("note: "));
      assert.equal(lines.length, 1, r.stderr);
      assert.match(lines[0]!, /^error: /);
      assert.match(lines[0]!, cases[i]![1]);
      assert.equal(r.stdout, "");
    });
    assert.deepEqual(await (await RunRegistry.open({ dir: `${dir}/_runs` })).list(), []);
  });
});
