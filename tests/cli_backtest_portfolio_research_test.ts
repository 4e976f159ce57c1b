// End-to-end tests of portfolio research in `deno task backtest` (issue 13): sweeps, random
// search and walk-forward of a portfolio strategy, and stop orders in portfolio runs, on the
// bundled 5-minute samples, as a subprocess with a temp SENTINEL_DATA_DIR.

import assert from "node:assert/strict";
import { RunRegistry } from "../lib/runs/mod.ts";
import { type CliRun, runCli, withTempDir } from "./_cli.ts";

const sample = (name: string): string => new URL(`../data/samples/${name}`, import.meta.url).pathname;
const ETH = sample("ETH_BTC-5m.csv"), LTC = sample("LTC_BTC-5m.csv"), ADA = sample("ADA_BTC-5m.csv");
const DATA = ["--data", ETH, "--data", LTC, "--data", ADA, "--timeframe", "5m"];
const ROT = ["--strategy", "momentum_rotation", "--fee", "0.001"];

const cli = (dataDir: string, ...args: string[]): Promise<CliRun> => runCli("backtest", args, { dataDir });
const withDir = (fn: (dir: string) => Promise<void>): Promise<void> => withTempDir("sentinel-pf-", fn);

Deno.test("portfolio --grid: table, best with PSR/DSR, heatmap and report, one sweep record; the best equals a single run", async () => {
  await withDir(async (dir) => {
    const out = `${dir}/out`;
    const r = await cli(
      dir,
      ...DATA,
      ...ROT,
      "--grid",
      "lookback=24,48,96",
      "--grid",
      "every=12,24",
      "--stop-loss",
      "2%",
      "--out",
      out,
      "--json",
    );
    assert.equal(r.code, 0, r.stderr);
    const j = JSON.parse(r.stdout);
    assert.equal(j.kind, "sweep");
    assert.equal(j.portfolio, true);
    assert.equal(j.combos, 6);
    assert.equal(j.assets.length, 3);
    assert.equal(j.metric, "sharpe");
    assert.ok(j.best.psr >= 0 && j.best.psr <= 1 && j.best.dsr >= 0 && j.best.dsr <= 1);
    assert.equal(j.best.trials, 6);
    for (const f of ["sweep.csv", "sweep.parquet", "sweep.json", "sweep_heatmap.svg", "report.html"]) {
      assert.ok((await Deno.stat(`${out}/${f}`)).size > 0, f);
    }
    const csv = (await Deno.readTextFile(`${out}/sweep.csv`)).trim().split("\n");
    assert.equal(csv.length, 7);
    assert.match(csv[0]!, /^lookback,k,every,weight,/);
    assert.match(await Deno.readTextFile(`${out}/sweep_heatmap.svg`), /<svg/);

    const runs = await RunRegistry.open({ dir: `${dir}/_runs` });
    const rec = await runs.get(j.run_id);
    assert.equal(rec.kind, "sweep");
    assert.equal(rec.series.length, 3);
    assert.deepEqual(rec.params, j.best.params);
    assert.ok(rec.files.includes("sweep.parquet") && rec.files.includes("report.html"));
    assert.equal((rec.manifest.data as unknown[]).length, 3);

    // The best row is what a single portfolio run with those params gives.
    const p = j.best.params;
    const one = await cli(
      dir,
      ...DATA,
      ...ROT,
      "--param",
      `lookback=${p.lookback}`,
      "--param",
      `every=${p.every}`,
      "--stop-loss",
      "2%",
      "--json",
    );
    assert.equal(one.code, 0, one.stderr);
    const s = JSON.parse(one.stdout);
    assert.equal(s.stats.sharpe, j.best.stats.sharpe);
    assert.equal(s.final_equity, j.best.stats.final_equity);
  });
});

Deno.test("portfolio --random: the same seed gives the same rows (workers or not), another seed others; human output", async () => {
  await withDir(async (dir) => {
    const args = [...DATA.slice(0, 4), "--timeframe", "5m", ...ROT, "--grid", "lookback=12..120:12", "--grid"];
    const run = (seed: string, out: string, ...more: string[]) =>
      cli(dir, ...args, "every=6,12,24", "--random", "5", "--seed", seed, "--fast", "--out", out, ...more);
    // b on two worker threads: the same rows as a in this thread.
    const [a, b, c] = await Promise.all([
      run("4", `${dir}/a`),
      run("4", `${dir}/b`, "--workers", "2"),
      run("5", `${dir}/c`),
    ]);
    for (const x of [a, b, c]) assert.equal(x.code, 0, x.stderr);
    const csv = (d: string) => Deno.readTextFile(`${dir}/${d}/sweep.csv`);
    assert.equal(await csv("a"), await csv("b"));
    assert.notEqual(await csv("a"), await csv("c"));
    assert.match(a.stdout, /sweep momentum_rotation on 2 series .*: 5 combos in .* s \(this thread\)/);
    assert.match(b.stdout, /5 combos in .* s \(2 workers\)/);
    assert.match(a.stdout, /top 5 of 5 by final_equity/);
    assert.match(a.stdout, /best by final_equity: \{"lookback":\d+,"k":1,"every":\d+,"weight":0\}/);
  });
});

Deno.test("portfolio --walk-forward: folds on the union timeline, stitched out-of-sample, record and files", async () => {
  await withDir(async (dir) => {
    const out = `${dir}/wf`;
    const r = await cli(
      dir,
      ...DATA,
      ...ROT,
      "--grid",
      "lookback=24,96",
      "--grid",
      "every=12",
      "--walk-forward",
      "folds=3,train=2000,test=1000,metric=total_return",
      "--out",
      out,
      "--json",
    );
    assert.equal(r.code, 0, r.stderr);
    const j = JSON.parse(r.stdout);
    assert.equal(j.kind, "walk_forward");
    assert.equal(j.portfolio, true);
    assert.equal(j.folds.length, 3);
    assert.deepEqual(j.folds.map((f: { test: { bars: number } }) => f.test.bars), [1000, 1000, 1000]);
    assert.ok(j.folds.every((f: { trials: number }) => f.trials === 2));
    assert.ok(Number.isFinite(j.stats.total_return));
    for (const f of ["walk_forward.json", "folds.csv", "oos_equity.parquet", "walk_forward.svg"]) {
      assert.ok((await Deno.stat(`${out}/${f}`)).size > 0, f);
    }
    const rec = await (await RunRegistry.open({ dir: `${dir}/_runs` })).get(j.run_id);
    assert.equal(rec.kind, "walk_forward");
    assert.equal(rec.series.length, 3);
    assert.equal((rec.manifest.data as unknown[]).length, 3);
  });
});

Deno.test("stop orders in a portfolio run: exits by stop-loss and take-profit in trades.csv", async () => {
  await withDir(async (dir) => {
    const out = `${dir}/one`;
    const r = await cli(
      dir,
      ...DATA,
      ...ROT,
      "--param",
      "lookback=48",
      "--param",
      "every=48",
      "--stop-loss",
      "1%",
      "--take-profit",
      "1.5%",
      "--out",
      out,
    );
    assert.equal(r.code, 0, r.stderr);
    const trades = await Deno.readTextFile(`${out}/trades.csv`);
    assert.match(trades, /stop_loss/);
    assert.match(trades, /take_profit/);
  });
});
