// Route tests of the web lab, in-process with app.request against a temp store holding two real samples.
import assert from "node:assert/strict";
import { tableFromIPC } from "apache-arrow";
import { createApp } from "../lib/http/mod.ts";
import { openLab, postForm, postJson } from "./_http_fixture.ts";

const SPX = "samples:SPX:1d";
const SPX_PATH = encodeURIComponent(SPX);
const ETH = "samples:ETH/BTC:5m";
const ARROW = "application/vnd.apache.arrow.stream";

Deno.test("lab pages: every page answers 200 with its key parts", async () => {
  const lab = await openLab();
  try {
    const { app } = lab;
    const text = async (path: string) => {
      const r = await app.request(path);
      assert.equal(r.status, 200, path);
      assert.match(r.headers.get("content-type") ?? "", /text\/html/, path);
      return await r.text();
    };
    assert.match(await text("/"), /2 stored series/);
    const list = await text("/datasets");
    assert.match(list, /samples:SPX:1d/);
    assert.match(list, /samples:ETH\/BTC:5m/);
    const ds = await text(`/datasets/${SPX_PATH}`);
    assert.equal(ds.match(/<figure class="sentinel-figure"/g)?.length, 2, "price and quality timeline");
    assert.match(ds, /5,105 bars/);
    assert.match(ds, /Gaps/);
    assert.match(await text(`/datasets/${encodeURIComponent(ETH)}`), /<svg/);
    const form = await text("/backtests/new?strategy=sma_cross");
    assert.match(form, /name="p\.fast"[^>]*step="1"[^>]*min="1"/);
    assert.match(form, /name="fee"/);
    assert.match(form, /name="stopLoss"/);
    assert.match(await text("/backtests/new?strategy=rsi_reversion"), /<select name="p\.exit">/);
    assert.match(await text("/sweeps/new"), /name="g\.fast"/);
    assert.match(await text("/runs"), /No runs yet/);
    assert.match(await text("/strategies"), /sma_cross/);
  } finally {
    await lab.close();
  }
});

Deno.test("lab backtest: API run, its page (figures, stats, trades), downloads and compare", async () => {
  const lab = await openLab();
  try {
    const { app } = lab;
    const res = await postJson(app, "/api/backtests", {
      series: SPX,
      strategy: "sma_cross",
      params: { fast: 10, slow: 50 },
      options: { fee: 0.001 },
    });
    assert.equal(res.status, 201);
    const body = await res.json();
    assert.ok(body.trades > 10);
    assert.ok(Number.isFinite(body.final_equity));
    assert.equal(body.stats.final_equity, body.final_equity);

    const page = await (await app.request(`/runs/${body.run_id}`)).text();
    assert.equal(
      page.match(/<figure class="sentinel-figure"/g)?.length,
      8,
      "equity, drawdown, rolling Sharpe and beta, exposure, price with trades, monthly heatmap, histogram",
    );
    assert.equal(page.match(/<table class="stats">/g)?.length, 2);
    assert.match(page, /Sharpe/);
    assert.match(page, /id="trades-table"/);
    assert.match(page, /page 1 of \d+/);
    const sorted = await (await app.request(`/runs/${body.run_id}?sort=pnl&dir=desc&page=2`)).text();
    assert.match(sorted, /page 2 of/);
    assert.equal((await app.request(`/runs/${body.run_id}?sort=evil`)).status, 400);

    const stats = await (await app.request(`/api/runs/${body.run_id}/stats.json`)).json();
    assert.equal(stats.trades, body.stats.trades);
    const csv = await (await app.request(`/api/runs/${body.run_id}/trades.csv`)).text();
    assert.equal(csv.trim().split("\n").length, body.trades + 1);
    const pq = await app.request(`/api/runs/${body.run_id}/equity.parquet`);
    assert.equal(pq.status, 200);
    assert.equal(new TextDecoder().decode((await pq.bytes()).slice(0, 4)), "PAR1");

    const eq = await app.request(`/api/runs/${body.run_id}/equity`, { headers: { Accept: ARROW } });
    assert.equal(eq.headers.get("content-type"), ARROW);
    const table = tableFromIPC(new Uint8Array(await eq.arrayBuffer()));
    assert.equal(table.numRows, 5105);
    assert.ok(table.schema.fields.some((f) => f.name === "drawdown"));

    const second = await (await postJson(app, "/api/backtests", {
      series: SPX,
      strategy: "sma_cross",
      params: { fast: 20, slow: 100 },
    })).json();
    const cmp = await app.request(`/runs/compare?a=${body.run_id}&b=${second.run_id}`);
    assert.equal(cmp.status, 200);
    const cmpText = await cmp.text();
    assert.match(cmpText, /<svg/);
    assert.match(cmpText, /id="compare-table"/);
    const rows = (await (await app.request(`/api/runs/compare?a=${body.run_id}&b=${second.run_id}`)).json()).rows;
    assert.ok(rows.some((r: { key: string }) => r.key === "sharpe"));

    const list = await (await app.request("/runs?strategy=sma_cross&kind=single")).text();
    assert.equal(list.match(/<tr><td><input type="radio" name="a"/g)?.length, 2);
    const api = await (await app.request(`/api/runs?series=${encodeURIComponent(SPX)}`)).json();
    assert.equal(api.runs.length, 2);
    assert.equal(api.runs[0].kind, "single");
  } finally {
    await lab.close();
  }
});

Deno.test("lab backtest form: POST redirects to the run; invalid params re-render the form with the issues", async () => {
  const lab = await openLab();
  try {
    const ok = await postForm(lab.app, "/backtests", {
      series: SPX,
      strategy: "sma_cross",
      "p.fast": "5",
      "p.slow": "30",
      fill: "next_open",
      fee: "0.001",
      size: "all",
      direction: "long",
      finalize: "close",
    });
    assert.equal(ok.status, 303);
    const location = ok.headers.get("location") ?? "";
    assert.match(location, /^\/runs\/[A-Za-z0-9_-]+$/);
    assert.equal((await lab.app.request(location)).status, 200);

    const bad = await postForm(lab.app, "/backtests", {
      series: SPX,
      strategy: "sma_cross",
      "p.fast": "0",
      "p.slow": "30",
      fee: "2",
    });
    assert.equal(bad.status, 400);
    const html = await bad.text();
    assert.match(html, /class="errors"/);
    assert.match(html, /fee/);
    assert.match(html, /<form/);
  } finally {
    await lab.close();
  }
});

Deno.test("lab bad input: unknown strategy, params out of range, malformed JSON, traversal and SQL-ish ids", async () => {
  const lab = await openLab();
  try {
    const { app } = lab;
    const unknown = await postJson(app, "/api/backtests", { series: SPX, strategy: "nope" });
    assert.equal(unknown.status, 400);
    const u = await unknown.json();
    assert.deepEqual(u.issues[0].path, ["strategy"]);
    assert.match(u.issues[0].message, /unknown strategy "nope"; strategies are .*sma_cross/);

    const range = await postJson(app, "/api/backtests", { series: SPX, strategy: "sma_cross", params: { fast: 0 } });
    assert.equal(range.status, 400);
    const r = await range.json();
    assert.deepEqual(r.issues[0].path, ["params", "fast"]);
    assert.match(r.issues[0].message, /fast must be an integer from 1 to \d+ \(got 0\)/);

    const cross = await (await postJson(app, "/api/backtests", {
      series: SPX,
      strategy: "sma_cross",
      params: { fast: 50, slow: 20 },
    })).json();
    assert.match(cross.issues[0].message, /fast must be < slow \(got fast=50, slow=20\)/);

    const opts =
      await (await postJson(app, "/api/backtests", { series: SPX, strategy: "sma_cross", options: { stoploss: 0.1 } }))
        .json();
    assert.deepEqual(opts.issues[0].path, ["json", "options"]);

    const malformed = await postJson(app, "/api/backtests", '{"series": "samples:SPX:1d",');
    assert.equal(malformed.status, 400);
    assert.match((await malformed.json()).error, /Malformed JSON/);

    const missing = await postJson(app, "/api/backtests", { strategy: "sma_cross" });
    assert.equal(missing.status, 400);
    assert.deepEqual((await missing.json()).issues[0].path, ["json", "series"]);

    for (const id of ["../../etc/passwd", "x'; drop table bars; --", "samples:SPX:1d/../../x"]) {
      for (const path of [`/api/datasets/${encodeURIComponent(id)}`, `/datasets/${encodeURIComponent(id)}`]) {
        const res = await app.request(path);
        assert.ok(res.status === 400 || res.status === 404, `${path} -> ${res.status}`);
        await res.body?.cancel();
      }
      const bt = await postJson(app, "/api/backtests", { series: id, strategy: "sma_cross" });
      assert.equal(bt.status, 400);
      assert.deepEqual((await bt.json()).issues[0].path, ["series"]);
    }
    const raw = await app.request("/datasets/../../etc/passwd");
    assert.equal(raw.status, 404);
    await raw.body?.cancel();

    const notStored = await postJson(app, "/api/backtests", { series: "samples:NOPE:1d", strategy: "sma_cross" });
    assert.equal(notStored.status, 404);
    await notStored.body?.cancel();
    assert.equal((await app.request("/api/datasets/samples%3ANOPE%3A1d")).status, 404);

    const badRun = await app.request("/api/runs/..%2F..%2Fetc");
    assert.equal(badRun.status, 400);
    await badRun.body?.cancel();
    const noRun = await app.request("/api/runs/20240101T000000000Z-abcdef01-0000");
    assert.equal(noRun.status, 404);
    await noRun.body?.cancel();
    const noJob = await app.request("/api/jobs/job-zzzz");
    assert.equal(noJob.status, 404);
    await noJob.body?.cancel();
    const page404 = await app.request("/no/such/page");
    assert.equal(page404.status, 404);
    assert.match(await page404.text(), /Not found/);

    const badQuery = await app.request(`/api/datasets/${SPX_PATH}/bars?format=xml`);
    assert.equal(badQuery.status, 400);
    assert.deepEqual((await badQuery.json()).issues[0].path, ["query", "format"]);
  } finally {
    await lab.close();
  }
});

Deno.test("lab datasets API: Arrow IPC parses with tableFromIPC; CSV and Parquet downloads", async () => {
  const lab = await openLab();
  try {
    const { app } = lab;
    const res = await app.request(`/api/datasets/${SPX_PATH}/bars`, { headers: { Accept: ARROW } });
    assert.equal(res.status, 200);
    assert.equal(res.headers.get("content-type"), ARROW);
    const table = tableFromIPC(new Uint8Array(await res.arrayBuffer()));
    assert.equal(table.numRows, 5105);
    assert.deepEqual(table.schema.fields.map((f) => f.name), ["ts", "open", "high", "low", "close", "volume"]);

    const ranged = tableFromIPC(
      new Uint8Array(
        await (await app.request(`/api/datasets/${SPX_PATH}/bars?format=arrow&from=2020-01-01&to=2020-02-01`))
          .arrayBuffer(),
      ),
    );
    assert.equal(ranged.numRows, 21, "January 2020 has 21 trading days");

    const csv = await (await app.request(`/api/datasets/${SPX_PATH}/bars?format=csv&from=2020-01-01&to=2020-01-08`))
      .text();
    const lines = csv.trim().split("\n");
    assert.equal(lines[0], "timestamp,open,high,low,close,volume");
    assert.equal(lines.length, 1 + 4);
    const pq = await app.request(`/api/datasets/${SPX_PATH}/bars?format=parquet`);
    assert.equal(new TextDecoder().decode((await pq.bytes()).slice(0, 4)), "PAR1");

    const info = await (await app.request(`/api/datasets/${SPX_PATH}`)).json();
    assert.equal(info.bars, 5105);
    assert.equal(info.calendar, "weekdays");
    assert.equal(typeof info.quality.gaps, "number");
    const quality = await (await app.request(`/api/datasets/${SPX_PATH}/quality`)).json();
    assert.equal(quality.present, 5105);

    const doc = await (await app.request("/api/openapi.json")).json();
    assert.equal(doc.openapi, "3.1.0");
    assert.ok(doc.paths["/api/backtests"].post.requestBody);
    assert.equal(doc.components.schemas.BacktestRequest.type, "object");
    assert.ok(doc.components.schemas.BacktestRequest.properties.options);
    const strategies = await (await app.request("/api/strategies")).json();
    const sma = strategies.strategies.find((s: { name: string }) => s.name === "sma_cross");
    assert.equal(sma.params[0].name, "fast");
    assert.equal((await app.request("/api/strategies/nope")).status, 404);
  } finally {
    await lab.close();
  }
});

Deno.test("lab security: a non-loopback lab needs a token for changes (401), never echoes it, and refuses to start without one", async () => {
  const token = "s3cret-token-value-0123456789";
  const lab = await openLab({ host: "0.0.0.0", token });
  try {
    const { app } = lab;
    assert.throws(
      () => createApp({ ...lab.deps, token: undefined }),
      (e: Error) => e.name === "ConfigError" && /needs a token/.test(e.message),
    );
    const body = { series: SPX, strategy: "sma_cross" };
    const anon = await postJson(app, "/api/backtests", body);
    assert.equal(anon.status, 401);
    assert.doesNotMatch(await anon.text(), new RegExp(token));
    const wrong = await postJson(app, "/api/backtests", body, { Authorization: "Bearer nope" });
    assert.equal(wrong.status, 401);
    await wrong.body?.cancel();
    const form = await postForm(app, "/backtests", { series: SPX, strategy: "sma_cross" });
    assert.equal(form.status, 401);
    assert.match(await form.text(), /Enter the lab token/);
    const cancel = await app.request("/api/jobs/job-abc/cancel", { method: "POST" });
    assert.equal(cancel.status, 401);
    await cancel.body?.cancel();
    assert.equal((await app.request("/datasets")).status, 200, "reading needs no token");

    const ok = await postJson(app, "/api/backtests", body, { Authorization: `Bearer ${token}` });
    assert.equal(ok.status, 201);
    await ok.body?.cancel();

    const badLogin = await postForm(app, "/login", { token: "guess" });
    assert.equal(badLogin.status, 401);
    assert.doesNotMatch(await badLogin.text(), new RegExp(token));
    const login = await postForm(app, "/login", { token, next: "/backtests/new" });
    assert.equal(login.status, 303);
    assert.equal(login.headers.get("location"), "/backtests/new");
    const cookie = (login.headers.get("set-cookie") ?? "").split(";")[0]!;
    assert.match(cookie, /^sentinel_session=[0-9a-f]{64}$/);
    assert.ok(!cookie.includes(token));
    const viaCookie = await postForm(app, "/backtests", { series: SPX, strategy: "sma_cross" }, { Cookie: cookie });
    assert.equal(viaCookie.status, 303);
    const evil = await postForm(app, "/login", { token, next: "//evil.example/x" });
    assert.equal(evil.headers.get("location"), "/");

    const cross = await postForm(app, "/backtests", { series: SPX, strategy: "sma_cross" }, {
      Cookie: cookie,
      Origin: "http://evil.example",
    });
    assert.equal(cross.status, 403, "cross-site form posts are refused");
    await cross.body?.cancel();
  } finally {
    await lab.close();
  }
});

Deno.test("lab jobs: a full queue answers 429 with Retry-After", async () => {
  const { JobQueue } = await import("../lib/http/mod.ts");
  const jobs = new JobQueue({ concurrency: 1, maxPending: 0 });
  const lab = await openLab({ jobs });
  try {
    let release!: () => void;
    const blocker = jobs.submit({ kind: "test", run: () => new Promise<void>((r) => (release = r)) });
    const res = await postJson(lab.app, "/api/backtests", { series: SPX, strategy: "sma_cross" });
    assert.equal(res.status, 429);
    assert.equal(res.headers.get("retry-after"), "5");
    assert.match((await res.json()).error, /queue is full/);
    await new Promise((r) => setTimeout(r, 0));
    release();
    await blocker.wait();
  } finally {
    await lab.close();
  }
});

/** Reads an SSE response into events until the stream ends. */
async function readEvents(res: Response): Promise<{ event: string; data: Record<string, any> }[]> {
  const text = await res.text();
  return text.split("\n\n").filter((b) => b.includes("data:")).map((block) => {
    const event = /^event: (.*)$/m.exec(block)?.[1] ?? "message";
    const data = JSON.parse(block.split("\n").filter((l) => l.startsWith("data: ")).map((l) => l.slice(6)).join("\n"));
    return { event, data };
  });
}

Deno.test("lab sweep: the SSE stream of a small sweep reaches 100 %, then the page shows the heatmap and top combos", async () => {
  const lab = await openLab();
  try {
    const { app } = lab;
    const start = await postJson(app, "/api/sweeps", {
      series: SPX,
      strategy: "sma_cross",
      grid: { fast: "5..25:5", slow: [30, 50, 100] },
      options: { fee: 0.001 },
    });
    assert.equal(start.status, 202);
    const { job_id, events, url } = await start.json();
    const stream = await app.request(events);
    assert.equal(stream.headers.get("content-type"), "text/event-stream");
    const got = await readEvents(stream);
    const last = got.at(-1)!;
    assert.equal(last.event, "state");
    assert.equal(last.data.state, "done");
    assert.equal(last.data.progress.pct, 100);
    assert.equal(last.data.progress.total, 15);

    const job = await (await app.request(`/api/jobs/${job_id}`)).json();
    assert.equal(job.result.combos, 15);
    const page = await (await app.request(url)).text();
    assert.match(page, /id="sweep-result"/);
    assert.match(page, /<svg/);
    assert.match(page, /Top 15 of 15 combinations by sharpe/);
    const run = await app.request(`/runs/${job.result.runId}`);
    assert.match(await run.text(), /Sweep/);
    const runs = await (await app.request("/api/runs?kind=sweep")).json();
    assert.equal(runs.runs.length, 1);

    // A finished job's stream: the final state at once.
    const again = await readEvents(await app.request(events));
    assert.equal(again.at(-1)!.data.state, "done");

    const bad = await postJson(app, "/api/sweeps", { series: SPX, strategy: "sma_cross", grid: { fats: "1..3" } });
    assert.equal(bad.status, 400);
    assert.deepEqual((await bad.json()).issues[0].path, ["grid", "fats"]);
    const huge = await postJson(app, "/api/sweeps", {
      series: SPX,
      strategy: "sma_cross",
      grid: { fast: "1..1000", slow: "1..1000" },
    });
    assert.equal(huge.status, 400);
    await huge.body?.cancel();
  } finally {
    await lab.close();
  }
});

Deno.test("lab sweep: cancel from the page stops the job", async () => {
  const lab = await openLab();
  try {
    const { app, deps } = lab;
    // Hold the queue so the sweep is still waiting when cancelled (deterministic).
    let release!: () => void;
    const blocker = deps.jobs.submit({ kind: "test", run: () => new Promise<void>((r) => (release = r)) });
    const start = await postForm(app, "/sweeps", {
      series: SPX,
      strategy: "sma_cross",
      "g.fast": "5..10",
      "g.slow": "20,30",
    });
    assert.equal(start.status, 303);
    const url = start.headers.get("location")!;
    assert.match(url, /^\/sweeps\/job-/);
    const live = await (await app.request(url)).text();
    assert.match(live, /<progress/);
    assert.match(live, /EventSource/);
    const cancel = await postForm(app, `${url}/cancel`, {});
    assert.equal(cancel.status, 303);
    const done = await (await app.request(url)).text();
    assert.match(done, /cancelled/);
    release();
    await blocker.wait();
  } finally {
    await lab.close();
  }
});

Deno.test("lab walk-forward: a rolling walk-forward from the API is recorded with its folds and shown", async () => {
  const lab = await openLab();
  try {
    const { app } = lab;
    const start = await postJson(app, "/api/sweeps", {
      series: SPX,
      strategy: "sma_cross",
      grid: { fast: [5, 10], slow: [30, 60] },
      walkForward: { train: 1000, test: 500, folds: 3, mode: "rolling" },
    });
    assert.equal(start.status, 202);
    const { events, job_id } = await start.json();
    const got = await readEvents(await app.request(events));
    assert.equal(got.at(-1)!.data.state, "done");
    assert.equal(got.at(-1)!.data.progress.pct, 100);
    const job = await (await app.request(`/api/jobs/${job_id}`)).json();
    const run = await (await app.request(`/api/runs/${job.result.runId}`)).json();
    assert.equal(run.kind, "walk_forward");
    assert.equal(run.detail.folds.length, 3);
    const page = await (await app.request(`/runs/${job.result.runId}`)).text();
    assert.match(page, /id="folds"/);
    assert.match(page, /Walk-forward folds/);
    const bad = await postJson(app, "/api/sweeps", {
      series: SPX,
      strategy: "sma_cross",
      grid: { fast: [5] },
      walkForward: { train: 1, test: 0 },
    });
    assert.equal(bad.status, 400);
    await bad.body?.cancel();
  } finally {
    await lab.close();
  }
});
