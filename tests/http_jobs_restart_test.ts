// A durable job queue across a lab restart, in process: jobs queued when the first lab "died" (its queue
// blocked, never shut down) are resumed by a new app over the same jobs folder, under their ids.
import assert from "node:assert/strict";
import type { Hono } from "hono";
import { createApp, type JobContext, JobQueue } from "../lib/http/mod.ts";
import { openLab, postJson } from "./_http_fixture.ts";

function hang(ctx: JobContext): Promise<never> {
  return new Promise((_, reject) => ctx.signal.addEventListener("abort", () => reject(ctx.signal.reason)));
}

async function settle(app: Hono, id: string): Promise<Record<string, unknown>> {
  for (let i = 0; i < 600; i++) {
    const res = await app.request(`/api/jobs/${id}`);
    assert.equal(res.status, 200, `job ${id}: ${res.status}`);
    const job = await res.json();
    if (job.state !== "queued" && job.state !== "running") return job;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`job ${id} did not finish`);
}

Deno.test("backtest, sweep and walk-forward jobs queued before a restart run after it; the 202 says durable", async () => {
  const lab = await openLab();
  const dir = `${lab.dir}/_jobs`;
  const first = new JobQueue({ dir, concurrency: 1 });
  const second = new JobQueue({ dir, concurrency: 1 });
  try {
    const app1 = createApp({ ...lab.deps, jobs: first });
    // Holds the only slot, so everything after it is still queued when the "crash" comes.
    const blocker = first.submit({ kind: "backtest", run: hang });
    const bt = await postJson(app1, "/api/backtests?async=1", {
      series: "samples:SPX:1d",
      strategy: "sma_cross",
      params: { fast: 10, slow: 50 },
    });
    assert.equal(bt.status, 202);
    const btBody = await bt.json();
    assert.equal(btBody.durable, true);
    assert.match(btBody.note, /next start runs it again/);
    const sw = await postJson(app1, "/api/sweeps", {
      series: "samples:SPX:1d",
      strategy: "sma_cross",
      grid: { fast: [5, 10], slow: [50, 100] },
    });
    assert.equal(sw.status, 202);
    const swBody = await sw.json();
    assert.equal(swBody.durable, true);
    const wf = await postJson(app1, "/api/sweeps", {
      series: "samples:SPX:1d",
      strategy: "sma_cross",
      grid: { fast: [5, 10], slow: [50] },
      walkForward: { train: 1000, test: 500, folds: 2 },
    });
    assert.equal(wf.status, 202);
    const wfBody = await wf.json();

    // The restart: a new queue and app over the same folders.
    const app2 = createApp({ ...lab.deps, jobs: second });
    const report = await second.recovery!;
    assert.deepEqual(report.resumed, [btBody.job_id, swBody.job_id, wfBody.job_id]);
    assert.deepEqual(report.failed, [blocker.id]);

    const b = await settle(app2, btBody.job_id);
    assert.equal(b.state, "done", JSON.stringify(b));
    const runId = (b.result as { runId: string }).runId;
    assert.equal((await app2.request(`/api/runs/${runId}`)).status, 200);
    const s = await settle(app2, swBody.job_id);
    assert.equal(s.state, "done", JSON.stringify(s));
    assert.equal((s.result as { combos: number }).combos, 4);
    const w = await settle(app2, wfBody.job_id);
    assert.equal(w.state, "done", JSON.stringify(w));
    const blocked = await settle(app2, blocker.id);
    assert.equal(blocked.state, "failed");
    assert.match(String(blocked.error), /interrupted by a lab restart at .*cannot be resumed: resubmit it/);
    // Finished jobs of an earlier run answer after yet another restart, from the store alone.
    const third = new JobQueue({ dir });
    try {
      const app3 = createApp({ ...lab.deps, jobs: third });
      const again = await (await app3.request(`/api/jobs/${swBody.job_id}`)).json();
      assert.equal(again.state, "done");
      assert.equal(again.result.url, `/runs/${(s.result as { runId: string }).runId}`);
      const events = await (await app3.request(`/api/jobs/${swBody.job_id}/events`)).text();
      assert.match(events, /event: state/);
      const cancel = await postJson(app3, `/api/jobs/${swBody.job_id}/cancel`, {});
      const cancelled = await cancel.json();
      assert.equal(cancelled.cancelled, false, JSON.stringify(cancelled));
      assert.ok((await (await app3.request("/api/jobs")).json()).jobs.length >= 4);
      assert.equal((await app3.request("/api/jobs/job-zzzzzzzz-00000000")).status, 404);
      // The sweep's page answers too (it was a 404 "no sweep job in this lab session"), with its run.
      const page = await app3.request(`/sweeps/${swBody.job_id}`);
      assert.equal(page.status, 200);
      const pageHtml = await page.text();
      assert.match(pageHtml, /an earlier lab session/);
      assert.ok(pageHtml.includes(`/runs/${(s.result as { runId: string }).runId}`));
    } finally {
      await third.shutdown();
    }
  } finally {
    await second.shutdown();
    await first.shutdown();
    await lab.close();
  }
});
