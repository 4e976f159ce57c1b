// A warm-up longer than the data is refused before anything is queued, with the numbers and the fix.
import assert from "node:assert/strict";
import { openLab, postJson } from "./_http_fixture.ts";

Deno.test("POST /api/backtests refuses a warm-up longer than the data with a 400 naming both (sync and async)", async () => {
  const lab = await openLab();
  try {
    for (const q of ["", "?async=1"]) {
      const res = await postJson(lab.app, `/api/backtests${q}`, {
        series: "samples:SPX:1d",
        strategy: "sma_cross",
        params: { fast: 9999, slow: 10000 },
      });
      const body = await res.json();
      assert.equal(res.status, 400, JSON.stringify(body));
      assert.match(
        body.error,
        /^sma_cross with fast=9999, slow=10000 needs 10000 bars of warm-up; samples:SPX:1d has \d+ bars: use a shorter period or more data$/,
      );
    }
    // A range: the bars inside it count.
    const ranged = await postJson(lab.app, "/api/backtests", {
      series: "samples:SPX:1d",
      strategy: "sma_cross",
      params: { fast: 10, slow: 50 },
      from: "2000-01-03",
      to: "2000-02-01",
    });
    assert.equal(ranged.status, 400);
    assert.match((await ranged.json()).error, /needs 50 bars of warm-up; samples:SPX:1d has 2\d bars/);
    assert.equal(lab.deps.jobs.running + lab.deps.jobs.pending, 0);
    assert.equal((await lab.deps.runs.list()).length, 0, "nothing recorded");
  } finally {
    await lab.close();
  }
});

Deno.test("a sweep whose grid partly exceeds the data counts those combinations as skipped", async () => {
  const lab = await openLab();
  try {
    const res = await postJson(lab.app, "/api/sweeps", {
      series: "samples:SPX:1d",
      strategy: "sma_cross",
      grid: { fast: [10], slow: [50, 9000, 10000] },
      from: "2000-01-03",
      to: "2001-01-01",
    });
    const body = await res.json();
    assert.equal(res.status, 202, JSON.stringify(body));
    let job = await (await lab.app.request(body.status)).json();
    while (job.state === "queued" || job.state === "running") {
      await new Promise((r) => setTimeout(r, 50));
      job = await (await lab.app.request(body.status)).json();
    }
    assert.equal(job.state, "done", JSON.stringify(job));
    assert.equal(job.result.combos, 1);
    assert.equal(job.result.skipped, 2);
  } finally {
    await lab.close();
  }
});
