// "Gaps" means the same on every surface (holidays counted apart), and the lab never shows absolute server paths.
import assert from "node:assert/strict";
import { runCli } from "./_cli.ts";
import { qualityReport } from "../lib/data/mod.ts";
import { runBacktest } from "../lib/backtest/mod.ts";
import { backtestReport } from "../lib/report/mod.ts";
import { openLab } from "./_http_fixture.ts";

const SPX = { exchange: "samples", symbol: "SPX", timeframe: "1d" };

async function cli(dir: string, ...args: string[]): Promise<string> {
  const r = await runCli("data", args, { dataDir: dir });
  assert.equal(r.code, 0, r.stderr);
  return r.stdout;
}

Deno.test("samples:SPX:1d has 3 gaps and 182 holidays on every surface: CLI, API, /datasets, report banner", async () => {
  const lab = await openLab();
  try {
    // The library's report is the one definition.
    const frame = await lab.deps.store.read(SPX);
    const q = qualityReport(frame, { timeframe: "1d", calendar: "weekdays", label: "samples:SPX:1d" });
    assert.deepEqual([q.gapCount, q.missing, q.holidayCount, q.holidayMissing], [3, 8, 182, 182]);
    assert.equal(q.gaps.length, 3);
    assert.equal(q.holidays.length, 182);
    assert.equal(q.expected, q.present + q.missing);

    // CLI: --json and the text summary.
    const json = JSON.parse(await cli(lab.dir, "quality", "samples:SPX:1d", "--json"));
    assert.deepEqual([json.gapCount, json.missing, json.holidayCount, json.holidayMissing], [3, 8, 182, 182]);
    const text = await cli(lab.dir, "quality", "samples:SPX:1d");
    assert.match(text, /\b3 gaps \(8 missing of \d+ expected bars\), 182 holidays \(182 bars\)/);
    assert.match(text, /warning: 3 gaps \(/);

    // API: the list and the one-series summary.
    const api = await (await lab.app.request("/api/datasets")).json();
    const row = api.datasets.find((d: { id: string }) => d.id === "samples:SPX:1d");
    assert.equal(row.quality.gaps, 3);
    assert.equal(row.quality.holidays, 182);
    assert.equal(row.quality.missing, 8);
    const one = await (await lab.app.request("/api/datasets/samples:SPX:1d")).json();
    assert.deepEqual([one.quality.gaps, one.quality.holidays], [3, 182]);

    // /datasets: a Gaps column and a Holidays column.
    const html = await (await lab.app.request("/datasets")).text();
    const heads = [...html.matchAll(/<th[^>]*>([^<]*)<\/th>/g)].map((m) => m[1]!.trim());
    const tr = html.split("<tr>").find((r) => r.includes(">samples:SPX:1d</a>"))!;
    const cells = [...tr.matchAll(/<td[^>]*>([\s\S]*?)<\/td>/g)].map((m) => m[1]!.trim());
    assert.equal(cells[heads.indexOf("Gaps")], "3");
    assert.equal(cells[heads.indexOf("Holidays")], "182");
    assert.equal(cells[heads.indexOf("Missing")], "8");
    const page = await (await lab.app.request("/datasets/samples:SPX:1d")).text();
    assert.match(page, /Missing \(in 3 gaps\)/);
    assert.match(page, /3 gaps, 182 holidays, 8 missing bars/);

    // The report's quality banner (the warnings the run carries).
    const r = await runBacktest({ frame, series: SPX, calendar: "weekdays", strategy: "sma_cross" });
    const report = backtestReport(r, { frame, title: "SPX" });
    assert.match(report, /3 gaps \(\d+(\.\d)? d max, 8 missing bars\) in samples:SPX:1d/);
  } finally {
    await lab.close();
  }
});

Deno.test("/api/datasets and /datasets show source files relative to the project, never absolute server paths", async () => {
  const lab = await openLab();
  try {
    const info = await lab.deps.store.info(SPX);
    assert.ok(info!.source.startsWith("/"), "the store keeps the absolute path (the test needs one)");
    const api = await (await lab.app.request("/api/datasets")).json();
    const sources = api.datasets.map((d: { source: string }) => d.source);
    assert.deepEqual(sources.sort(), ["data/samples/ETH_BTC-5m.csv", "data/samples/SP500-2000.csv"]);
    const one = await (await lab.app.request("/api/datasets/samples:SPX:1d")).json();
    assert.equal(one.source, "data/samples/SP500-2000.csv");
    for (const path of ["/api/datasets", "/api/datasets/samples:SPX:1d", "/datasets", "/datasets/samples:SPX:1d"]) {
      const body = await (await lab.app.request(path)).text();
      assert.ok(!body.includes(info!.source), `${path} shows ${info!.source}`);
      assert.ok(!body.includes(lab.dir), `${path} shows the data dir ${lab.dir}`);
    }
  } finally {
    await lab.close();
  }
});
