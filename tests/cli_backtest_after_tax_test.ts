// End-to-end tests of `deno task backtest --after-tax` (cli/_backtest_after_tax.ts, lib/tax afterTax) on the bundled
// sample data: single, portfolio and sweep runs, the human block, --json, report.html, the run record and bad flags.

import assert from "node:assert/strict";
import { RunRegistry } from "../lib/runs/mod.ts";
import { LocalCalendar } from "../lib/tax/mod.ts";
import { type CliRun, errorLine, runCli, withTempDir } from "./_cli.ts";

const GOOG = new URL("../data/samples/GOOG.raw.csv", import.meta.url).pathname;
const ETH = new URL("../data/samples/ETH_BTC-5m.csv", import.meta.url).pathname;
const LTC = new URL("../data/samples/LTC_BTC-5m.csv", import.meta.url).pathname;
const ADA = new URL("../data/samples/ADA_BTC-5m.csv", import.meta.url).pathname;

const cli = (dataDir: string, ...args: string[]): Promise<CliRun> => runCli("backtest", args, { dataDir });
const withDir = (fn: (dir: string) => Promise<void>): Promise<void> => withTempDir("sentinel-aftertax-", fn);
const cents = (s: string): number => Math.round(Number(s) * 100);

interface Year {
  year: number;
  trades: number;
  shortGain: string;
  longGain: string;
  tax: string;
}

Deno.test("--after-tax --json --out: the years match the trades, the tax adds up, report.html and the record show it", async () => {
  await withDir(async (dir) => {
    const out = `${dir}/out`;
    const r = await cli(
      dir,
      ...["--data", GOOG, "--strategy", "sma_cross", "--param", "fast=10", "--param", "slow=30", "--fee", "0.1%"],
      ...["--after-tax", "st=0.37,lt=0.20", "--json", "--out", out],
    );
    assert.equal(r.code, 0, r.stderr);
    const j = JSON.parse(r.stdout);
    const a = j.afterTax;
    assert.equal(a.timeZone, "America/New_York");
    assert.equal(a.closedTrades, j.trades);
    assert.equal(a.openTrades, 0);
    assert.equal(a.finalEquity, j.final_equity);
    assert.equal(a.initialCash, 10_000);
    // The span the after-tax CAGR uses is the one the pre-tax cagr stat counts.
    assert.ok(Math.abs(a.cagr - j.stats.cagr) < 1e-9, `${a.cagr} vs ${j.stats.cagr}`);
    assert.ok(Math.abs(a.totalReturn - j.stats.total_return) < 1e-9);
    const years: Year[] = a.byYear;
    assert.equal(years.reduce((s, y) => s + y.trades, 0), j.trades);
    assert.equal(years.reduce((s, y) => s + cents(y.tax), 0), cents(a.totalTax));
    assert.ok(cents(a.totalTax) > 0);
    assert.ok(Math.abs(a.afterTaxFinalEquity - (j.final_equity - Number(a.totalTax))) < 1e-6);
    assert.ok(Math.abs(a.taxDrag - Number(a.totalTax) / 10_000) < 1e-9);
    // Recomputed from trades.csv: each year's realized P&L, by the exit's date in New York.
    const lines = (await Deno.readTextFile(`${out}/trades.csv`)).trim().split("\n");
    const head = lines[0]!.split(",");
    const ny = new LocalCalendar("America/New_York");
    const byYear = new Map<number, number>();
    for (const line of lines.slice(1)) {
      const row = line.split(",");
      const year = Number(ny.date(Date.parse(row[head.indexOf("exit_time")]!)).slice(0, 4));
      byYear.set(year, (byYear.get(year) ?? 0) + Number(row[head.indexOf("pnl")]));
    }
    assert.deepEqual(years.map((y) => y.year), [...byYear.keys()].sort());
    for (const y of years) {
      assert.ok(Math.abs(Number(y.shortGain) + Number(y.longGain) - byYear.get(y.year)!) < 0.011, String(y.year));
    }
    const html = await Deno.readTextFile(`${out}/report.html`);
    const at = html.indexOf(`<h2 id="section-after-tax">After tax</h2>`);
    assert.ok(at > html.indexOf(`id="section-stats"`) && at < html.indexOf(`id="section-drawdowns"`));
    assert.match(html, /Short-term rate <b>37%<\/b>, long-term rate <b>20%<\/b>/);
    const section = html.slice(at, html.indexOf("<h2", at + 10));
    assert.equal((section.match(/<tr><td>20\d\d<\/td>/g) ?? []).length, years.length);
    const rec = await (await RunRegistry.open({ dir: `${dir}/_runs` })).get(j.run_id);
    assert.equal((rec.detail as { after_tax: { totalTax: string } }).after_tax.totalTax, a.totalTax);
  });
});

Deno.test("--after-tax human output: a block after the stats; buy and hold over nine years is one long-term gain", async () => {
  await withDir(async (dir) => {
    const r = await cli(dir, "--data", GOOG, "--strategy", "buy_and_hold", "--after-tax", "st=37%,lt=20%");
    assert.equal(r.code, 0, r.stderr);
    const out = r.stdout;
    assert.ok(out.indexOf("after tax (short-term 37%, long-term 20%") > out.indexOf("Final equity"));
    const row = /^2013 +1 +0\.00 +([\d,]+\.\d\d) +0\.00 +[\d,.]+ +([\d,]+\.\d\d)$/m.exec(out);
    assert.ok(row, out);
    const gain = Number(row[1]!.replaceAll(",", ""));
    assert.equal(Number(row[2]!.replaceAll(",", "")), Math.round(gain * 20) / 100);
    assert.match(
      out,
      /after-tax final equity [\d,.]+, total return [\d.]+% \(pre-tax [\d.]+%\), CAGR .*; tax drag [\d.]+ pp/,
    );

    const open = await cli(
      dir,
      "--data",
      GOOG,
      "--strategy",
      "buy_and_hold",
      "--finalize",
      "open",
      "--after-tax",
      "st=0.37,lt=0.2",
      "--json",
    );
    assert.equal(open.code, 0, open.stderr);
    const a = JSON.parse(open.stdout).afterTax;
    assert.deepEqual([a.openTrades, a.closedTrades, a.byYear.length, a.totalTax, a.taxDrag], [1, 0, 0, "0.00", 0]);
  });
});

Deno.test("--after-tax on a portfolio run and on a sweep's best run", async () => {
  await withDir(async (dir) => {
    const p = await cli(
      dir,
      ...["--data", ETH, "--data", LTC, "--data", ADA, "--strategy", "momentum_rotation", "--param", "lookback=48"],
      ...["--param", "k=1", "--param", "every=12", "--fee", "0.001", "--after-tax", "st=0.3,lt=0.15,tz=UTC", "--json"],
    );
    assert.equal(p.code, 0, p.stderr);
    const pj = JSON.parse(p.stdout);
    assert.equal(pj.kind, "portfolio");
    assert.equal(pj.afterTax.timeZone, "UTC");
    assert.equal(pj.afterTax.closedTrades + pj.afterTax.openTrades, pj.trades);
    assert.deepEqual(pj.afterTax.byYear.map((y: Year) => y.year), [2018]);

    const s = await cli(
      dir,
      ...["--data", GOOG, "--strategy", "sma_cross", "--grid", "fast=5,10", "--grid", "slow=30", "--workers", "0"],
      ...["--after-tax", "st=0.37,lt=0.2", "--json"],
    );
    assert.equal(s.code, 0, s.stderr);
    const sj = JSON.parse(s.stdout);
    assert.equal(sj.kind, "sweep");
    assert.ok(Math.abs(sj.afterTax.finalEquity - sj.best.stats.final_equity) < 1e-9);
    assert.equal(sj.afterTax.closedTrades, sj.best.stats.trades);
  });
});

Deno.test("a bad --after-tax is one line naming the value and the fix, exit 2; not with --walk-forward", async () => {
  await withDir(async (dir) => {
    const bad = await cli(dir, "--data", GOOG, "--strategy", "buy_and_hold", "--after-tax", "st=37,lt=0.2");
    assert.equal(bad.code, 2);
    assert.equal(
      errorLine(bad),
      'error: --after-tax "st=37,lt=0.2": st=37 is not a rate from 0 to 1 (0.37 or 37%); write it as ' +
        "st=0.37,lt=0.20[,tz=America/New_York][,carry=yes|no]",
    );
    assert.equal(bad.stdout, "");
    const wf = await cli(
      dir,
      ...["--data", GOOG, "--strategy", "sma_cross", "--grid", "fast=5,10", "--grid", "slow=30"],
      ...["--walk-forward", "folds=2,train=500,test=200", "--after-tax", "st=0.37,lt=0.2"],
    );
    assert.equal(wf.code, 2);
    assert.match(
      errorLine(wf),
      /--after-tax applies to a single run, a portfolio or a sweep's best run, not to --walk-forward/,
    );
    // Refused before any run: nothing recorded.
    await assert.rejects(Deno.stat(`${dir}/_runs`), Deno.errors.NotFound);
  });
});

Deno.test("--config --after-tax: each job's run is taxed, a walk-forward job is noted and left out", async () => {
  await withDir(async (dir) => {
    const config = `${dir}/jobs.json`;
    await Deno.writeTextFile(
      config,
      JSON.stringify({
        jobs: [
          { name: "bh", data: GOOG, strategy: "buy_and_hold", params: {}, options: {} },
          {
            name: "wf",
            data: GOOG,
            strategy: "sma_cross",
            params: {},
            grid: { fast: [5, 10], slow: [30] },
            walkForward: { folds: 2, train: 500, test: 200 },
            options: {},
          },
        ],
      }),
    );
    const r = await cli(dir, "--config", config, "--after-tax", "st=0.3,lt=0.1", "--workers", "0", "--json");
    assert.equal(r.code, 0, r.stderr);
    const [bh, wf] = JSON.parse(r.stdout).jobs;
    assert.equal(bh.afterTax.byYear[0].longGain, bh.afterTax.realizedGain);
    assert.equal(wf.afterTax, undefined);
    assert.match(r.stderr, /note: --after-tax is not applied to a walk-forward \(job wf\)/);
  });
});
