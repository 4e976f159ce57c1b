// The run page (/runs/:id) and its API: walk-forward folds without out-of-sample trades, one
// renderer shared with report.html, the compare page, the equity endpoint.
import assert from "node:assert/strict";
import { runCli } from "./_cli.ts";
import { openLab, postJson } from "./_http_fixture.ts";
import type { Hono } from "hono";

const SPX = "samples:SPX:1d";

async function waitJob(app: Hono, jobId: string): Promise<{ state: string; result: { runId: string } }> {
  for (;;) {
    const job = await (await app.request(`/api/jobs/${jobId}`)).json();
    if (job.state === "done" || job.state === "failed" || job.state === "cancelled") return job;
    await new Promise((r) => setTimeout(r, 100));
  }
}

// The README's walk-forward: fold 3 (0-based 2) of SPX has no out-of-sample trade.
const README_GRID = {
  fast: [5, 10, 15, 20, 25, 30, 35, 40, 45, 50],
  slow: [20, 40, 60, 80, 100, 120, 140, 160, 180, 200],
};

Deno.test("run page: a lab walk-forward with a fold without out-of-sample trades renders (200, n/a)", async () => {
  const lab = await openLab();
  try {
    const { app } = lab;
    const start = await postJson(app, "/api/sweeps", {
      series: SPX,
      strategy: "sma_cross",
      grid: README_GRID,
      walkForward: { train: 750, test: 250, folds: 5, mode: "rolling" },
    });
    assert.equal(start.status, 202);
    const job = await waitJob(app, (await start.json()).job_id);
    assert.equal(job.state, "done");
    const run = await (await app.request(`/api/runs/${job.result.runId}`)).json();
    // The case of the issue: one fold with no out-of-sample trades (its Sharpe is undefined).
    assert.ok(run.detail.folds.some((f: { oosStats: { trades: number } }) => f.oosStats.trades === 0));
    const res = await app.request(`/runs/${job.result.runId}`);
    const page = await res.text();
    assert.equal(res.status, 200, page.slice(0, 2000));
    const folds = page.split('id="folds"')[1]!.split("</table>")[0]!;
    assert.match(folds, /n\/a/);
    assert.match(folds, /no trades/);
    // The figure says which fold its mean leaves out and shows the stitched out-of-sample Sharpe.
    assert.match(page, /leaves out fold 3/);
    assert.match(page, /stitched out-of-sample/);
    // The lab's walk-forward recorded no quality report: the page computes it from the store and says so.
    assert.match(page, /<div class="warn" id="quality"><b>Data quality<\/b><ul><li>3 gaps/);
    assert.match(page, /this run did not record its data's quality report/);
  } finally {
    await lab.close();
  }
});

Deno.test("run page: the README's CLI walk-forward renders in the lab (200, n/a)", async () => {
  const lab = await openLab();
  try {
    const out = await runCli("backtest", [
      ...["--data", SPX, "--strategy", "sma_cross", "--grid", "fast=5..50:5"],
      ...["--grid", "slow=20..200:20", "--walk-forward", "folds=5,train=750,test=250,mode=rolling"],
      ...["--workers", "0", "--json"],
    ], { dataDir: lab.dir });
    assert.equal(out.code, 0, out.stderr);
    const j = JSON.parse(out.stdout);
    const res = await lab.app.request(`/runs/${j.run_id}`);
    const page = await res.text();
    assert.equal(res.status, 200, page.slice(0, 2000));
    const folds = page.split('id="folds"')[1]!.split("</table>")[0]!;
    assert.equal(folds.match(/<tr>/g)!.length, 6); // header + 5 folds
    assert.match(folds, /n\/a/);
    assert.match(folds, /fast=\d+ · slow=\d+/);
    assert.match(page, /leaves out fold 3/);
    // The CLI's walk-forward records the quality report of its data.
    assert.match(page, /<div class="warn" id="quality"><b>Data quality<\/b><ul><li>3 gaps/);
    assert.doesNotMatch(page, /did not record its data's quality report/);
  } finally {
    await lab.close();
  }
});

async function cliRun(dataDir: string, ...args: string[]): Promise<{ run_id: string }> {
  const r = await runCli("backtest", [...args, "--json"], { dataDir });
  assert.equal(r.code, 0, r.stderr);
  return JSON.parse(r.stdout);
}

const sectionIds = (page: string): string[] => [...page.matchAll(/<h2 id="section-([a-z-]+)"/g)].map((m) => m[1]!);

Deno.test("run page and report.html come from one renderer: same sections, quality banner, overlays, histogram", async () => {
  const lab = await openLab();
  try {
    const out = `${lab.dir}/out`;
    const args = ["--data", SPX, "--strategy", "sma_cross", "--param", "fast=10", "--param", "slow=50"];
    const { run_id } = await cliRun(lab.dir, ...args, "--fee", "0.001", "--out", out);
    const report = await Deno.readTextFile(`${out}/report.html`);
    const res = await lab.app.request(`/runs/${run_id}`);
    const page = await res.text();
    assert.equal(res.status, 200);
    // The lab lists trades in its own sortable, paged table; every other section is the report's.
    const fromReport = sectionIds(report).filter((id) => id !== "trades");
    assert.deepEqual(sectionIds(page), fromReport);
    for (const id of ["equity", "stats", "drawdowns", "yearly", "rolling", "exposure", "price", "returns"]) {
      assert.ok(fromReport.includes(id), id);
    }
    for (const html of [report, page]) {
      // Results carry the report of the data they ran on: SPX has holiday gaps on a weekdays calendar.
      assert.match(html, /<div class="warn" id="quality"><b>Data quality<\/b>/);
      // The strategy's indicator lines over the candles, volume below, and the returns histogram.
      assert.match(html, /sma:close:10/);
      assert.match(html, /sma:close:50/);
      assert.match(html, /↑ Volume/);
      assert.match(html, /Bar returns \(1d\)/);
      // Top-5 drawdowns and yearly returns next to buy and hold, with pp differences.
      assert.equal(html.split('class="drawdowns"')[1]!.split("</table>")[0]!.match(/<tr>/g)!.length, 6);
      assert.match(html, /<th>Buy and hold<\/th><th>Difference<\/th>/);
      assert.match(html, /[+−-]\d+\.\d\d pp/);
      // One time format, marked UTC; human option labels.
      assert.match(html, /\d{4}-\d\d-\d\d UTC/);
      assert.match(html, /stopLoss off/);
      assert.doesNotMatch(html, /stopLoss=null/);
    }
    // The lab's page adds zoom and pan; the report stays static.
    assert.match(page, /id="equity-zoom"/);
    assert.doesNotMatch(report, /<script/);
  } finally {
    await lab.close();
  }
});

Deno.test("run page: a run shorter than a year gets a caveat beside its annualized stats", async () => {
  const lab = await openLab();
  try {
    const res = await postJson(lab.app, "/api/backtests", {
      series: "samples:ETH/BTC:5m",
      strategy: "sma_cross",
      params: { fast: 10, slow: 50 },
    });
    assert.equal(res.status, 201);
    const page = await (await lab.app.request(`/runs/${(await res.json()).run_id}`)).text();
    assert.match(page, /id="short-run">† Annualized: this run spans \d+ days, less than a year/);
    assert.match(page, /<td>[^<]* †<\/td>/);
  } finally {
    await lab.close();
  }
});

Deno.test("compare page: two run colours, 'A +x% · B +y%', buy and hold as a third line, pp differences", async () => {
  const lab = await openLab();
  try {
    const run = async (fast: number, slow: number) =>
      (await (await postJson(lab.app, "/api/backtests", { series: SPX, strategy: "sma_cross", params: { fast, slow } }))
        .json()).run_id as string;
    const a = await run(10, 50), b = await run(20, 100);
    const page = await (await lab.app.request(`/runs/compare?a=${a}&b=${b}`)).text();
    const svg = page.split("<svg")[1]!.split("</figure>")[0]!;
    assert.match(svg, /A [+-]\d+\.\d% · B [+-]\d+\.\d% · buy and hold [+-]\d+\.\d%/);
    // A in blue, B in orange; the benchmark grey only for buy and hold (dashed).
    assert.match(svg, /stroke="#4269d0"[^>]*\/><text[^>]*>A: sma_cross/);
    assert.match(svg, /stroke="#f08c00"[^>]*\/><text[^>]*>B: sma_cross/);
    assert.match(svg, /stroke="#9498a0" stroke-width="2" stroke-dasharray="4,3"\/><text[^>]*>Buy and hold/);
    assert.doesNotMatch(svg, />Benchmark</);
    const table = page.split('id="compare-table"')[1]!.split("</table>")[0]!;
    assert.match(table, /<td>Total return<\/td>[\s\S]*?[+−-]\d+\.\d\d pp/);
  } finally {
    await lab.close();
  }
});

Deno.test("equity API: decimated JSON by default, the full series as Arrow or Parquet, ranges", async () => {
  const lab = await openLab();
  try {
    const res = await postJson(lab.app, "/api/backtests", {
      series: SPX,
      strategy: "sma_cross",
      params: { fast: 10, slow: 50 },
    });
    const id = (await res.json()).run_id;
    const json = await (await lab.app.request(`/api/runs/${id}/equity`)).json();
    assert.equal(json.total, 5105);
    assert.equal(json.decimated, true);
    assert.ok(json.points <= 2000 && json.columns.ts.length === json.points, `${json.points}`);
    assert.match(json.note, /format=arrow/);
    const small = await (await lab.app.request(`/api/runs/${id}/equity?points=400`)).json();
    assert.ok(small.points <= 400);
    // Ranges: only the bars in [from, to], inclusive.
    const ts: number[] = json.columns.ts;
    const from = ts[10]!, to = ts[20]!;
    const ranged = await (await lab.app.request(`/api/runs/${id}/equity?from=${from}&to=${to}`)).json();
    assert.equal(ranged.columns.ts[0], from);
    assert.equal(ranged.columns.ts.at(-1), to);
    assert.equal(ranged.decimated, false);
    const arrow = await lab.app.request(`/api/runs/${id}/equity?format=arrow`);
    assert.equal(arrow.headers.get("content-type"), "application/vnd.apache.arrow.stream");
    const { tableFromIPC } = await import("apache-arrow");
    assert.equal(tableFromIPC(new Uint8Array(await arrow.arrayBuffer())).numRows, 5105);
    const pq = await lab.app.request(`/api/runs/${id}/equity?format=parquet`);
    assert.equal(new TextDecoder().decode((await pq.bytes()).slice(0, 4)), "PAR1");
    const bad = await lab.app.request(`/api/runs/${id}/equity?format=parquet&from=1`);
    assert.equal(bad.status, 400);
    assert.match(await bad.text(), /format=parquet is the recorded file/);
    assert.equal((await lab.app.request(`/api/runs/${id}/equity?points=1`)).status, 400);
    const doc = await (await lab.app.request("/api/openapi.json")).json();
    const params = doc.paths["/api/runs/{id}/equity"].get.parameters.map((p: { name: string }) => p.name);
    assert.deepEqual(params, ["id", "from", "to", "points", "format"]);
    // The lab's zoom re-renders the figure for a range.
    const fig = await lab.app.request(`/runs/${id}/figures/equity?from=${from}&to=${to}&log=1`);
    assert.equal(fig.status, 200);
    assert.match(await fig.text(), /Equity \(log scale\)/);
  } finally {
    await lab.close();
  }
});
