// The run page (/runs/:id) and its API: walk-forward folds without out-of-sample trades, one
// renderer shared with report.html, the compare page, the equity endpoint.
import assert from "node:assert/strict";
import { openLab, postJson } from "./_http_fixture.ts";
import type { Hono } from "hono";

const SPX = "samples:SPX:1d";
const CLI = new URL("../cli/backtest.ts", import.meta.url).pathname;

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
  } finally {
    await lab.close();
  }
});

Deno.test("run page: the README's CLI walk-forward renders in the lab (200, n/a)", async () => {
  const lab = await openLab();
  try {
    const out = await new Deno.Command(Deno.execPath(), {
      args: [
        ...["run", "-A", CLI, "--data", SPX, "--strategy", "sma_cross", "--grid", "fast=5..50:5"],
        ...["--grid", "slow=20..200:20", "--walk-forward", "folds=5,train=750,test=250,mode=rolling"],
        ...["--workers", "0", "--json"],
      ],
      env: { SENTINEL_DATA_DIR: lab.dir, NO_COLOR: "1" },
      stdout: "piped",
      stderr: "piped",
    }).output();
    assert.equal(out.code, 0, new TextDecoder().decode(out.stderr));
    const j = JSON.parse(new TextDecoder().decode(out.stdout));
    const res = await lab.app.request(`/runs/${j.run_id}`);
    const page = await res.text();
    assert.equal(res.status, 200, page.slice(0, 2000));
    const folds = page.split('id="folds"')[1]!.split("</table>")[0]!;
    assert.equal(folds.match(/<tr>/g)!.length, 6); // header + 5 folds
    assert.match(folds, /n\/a/);
    assert.match(folds, /fast=\d+ · slow=\d+/);
    assert.match(page, /leaves out fold 3/);
  } finally {
    await lab.close();
  }
});
