// The account page's equity figure, runner panel and promotions, the promotion checklist page, and their JSON twins
// under /api/accounts/:name: from a real paper-runner replay and from hand-written events; no secret in any answer.
import assert from "node:assert/strict";
import { createAccount } from "../lib/accounts/mod.ts";
import { type AuditEventInput, AuditLog, replay } from "../lib/audit/mod.ts";
import { readCsv } from "../lib/data/read_csv.ts";
import { noLimitsRiskConfig } from "../lib/risk/mod.ts";
import { PaperRunner } from "../lib/runner/paper_runner.ts";
import { acquireRunnerLock } from "../lib/runner/runner_lock.ts";
import { ReplayFeed } from "../lib/runner/replay_feed.ts";
import { smaCross } from "../lib/strategies/mod.ts";
import { type LabFixture, openLab } from "./_http_fixture.ts";

const SECRET_HOOK = "https://hooks.example.com/services/xoxb-secret-hook-123";
const TOKEN = "s3cret-token-value-0123456789";
const HASH = "c".repeat(64);

function addAccount(lab: LabFixture, name: string): void {
  createAccount({ dataDir: lab.dir, name, kind: "paper", cash: 10_000, quote: "USDT" });
  const path = `${lab.dir}/_accounts/${name}/account.json`;
  const cfg = JSON.parse(Deno.readTextFileSync(path));
  cfg.notify = { ...cfg.notify, webhooks: [{ url: SECRET_HOOK }] };
  Deno.writeTextFileSync(path, JSON.stringify(cfg, null, 2));
}

function append(lab: LabFixture, account: string, events: AuditEventInput[]): void {
  using log = AuditLog.open({ dataDir: lab.dir, account });
  log.appendMany(events);
}

const bar = (ts: number, close: number, timeframe = "1h", symbol = "BTC/USDT"): AuditEventInput => ({
  kind: "bar",
  runId: "r1",
  ts,
  payload: {
    symbol,
    timeframe,
    ts: ts - 3_600_000,
    open: close,
    high: close,
    low: close,
    close,
    volume: 1,
    dataHash: HASH,
  },
});

async function text(lab: LabFixture, path: string, status = 200): Promise<string> {
  const r = await lab.app.request(path);
  const t = await r.text();
  assert.equal(r.status, status, `${path}: ${t.slice(0, 300)}`);
  assert.ok(!t.includes("xoxb-secret-hook"), `${path} shows the webhook URL`);
  assert.ok(!t.includes(TOKEN), `${path} shows the lab token`);
  return t;
}

Deno.test("account page: equity figure, runner panel and JSON twins from a real paper-runner replay", async () => {
  const lab = await openLab({ token: TOKEN });
  try {
    addAccount(lab, "paper-1");
    const { frame } = await readCsv(new URL("../data/samples/BTCUSD.ohlcv.csv", import.meta.url));
    let summary;
    {
      using runner = await PaperRunner.open({
        account: "paper-1",
        dataDir: lab.dir,
        sleeves: [{ id: "s1", strategy: smaCross, params: { fast: 10, slow: 30 }, symbol: "BTC/USD", options: {} }],
        risk: noLimitsRiskConfig(),
        startingCash: 10_000,
        mode: "replay",
        timeframe: "1d",
        runId: "replay-1",
      });
      summary = await runner.run(new ReplayFeed({ frames: { "BTC/USD": frame }, timeframe: "1d" }));
    }
    const eq = JSON.parse(await text(lab, "/api/accounts/paper-1/equity?points=100000"));
    assert.equal(eq.points, summary.batches);
    assert.equal(eq.decimated, false);
    assert.equal(eq.ts.length, summary.batches);
    using log = AuditLog.open({ dataDir: lab.dir, account: "paper-1", readOnly: true });
    assert.equal(eq.equity.at(-1), replay(log.events()).equity);
    assert.ok(eq.drawdown.every((d: number) => d <= 0) && eq.drawdown.some((d: number) => d < 0));
    const small = JSON.parse(await text(lab, "/api/accounts/paper-1/equity?points=16"));
    assert.equal(small.decimated, true);
    assert.ok(small.ts.length <= 16 && small.ts.length >= 2);
    assert.equal(small.equity.at(-1), eq.equity.at(-1));
    for (const bad of ["points=1", "points=x", "bogus=1"]) {
      const r = await lab.app.request(`/api/accounts/paper-1/equity?${bad}`);
      assert.equal(r.status, 400, bad);
    }

    const runner = JSON.parse(await text(lab, "/api/accounts/paper-1/runner"));
    assert.equal(runner.state, "stopped");
    assert.equal(runner.mode, "replay");
    assert.equal(runner.runId, "replay-1");
    assert.equal(runner.stopReason, "end of data");
    assert.equal(runner.lastError, null);
    assert.equal(runner.stale, false);
    assert.equal(runner.lastBars[0].symbol, "BTC/USD");
    assert.equal(runner.lastBars[0].close, frame.col("close").at(-1));

    const page = await text(lab, "/accounts/paper-1");
    assert.match(page, /<div id="equity"><figure class="sentinel-figure"[^>]*><svg/);
    assert.match(page, /Max drawdown/);
    assert.match(page, /id="runner" class="runner-stopped"/);
    assert.match(page, /id="runner-run-id">replay-1</);
    assert.match(page, /id="last-bars"[\s\S]*BTC\/USD/);
    assert.doesNotMatch(page, /id="runner-error"/);
    assert.match(page, /id="promotions-empty"/);
  } finally {
    await lab.close();
  }
});

Deno.test("runner panel: running, running but stale, crashed, stopped with an error, never ran", async () => {
  const lab = await openLab();
  const unlocks: (() => void)[] = [];
  try {
    const now = Date.now();
    for (const a of ["live-ok", "stale-1", "crashed", "idle"]) addAccount(lab, a);
    const start = (ts: number, mode: "paper" | "replay" = "paper"): AuditEventInput => ({
      kind: "run_started",
      runId: "r1",
      ts,
      payload: { mode, strategy: "sma_cross", symbols: ["BTC/USDT"] },
    });
    // A live runner holds its account's lock (this process stands in for it).
    for (const a of ["live-ok", "stale-1"]) {
      unlocks.push(acquireRunnerLock({ dataDir: lab.dir, account: a, runId: "r1" }));
    }
    append(lab, "live-ok", [start(now - 7_200_000), bar(now - 3_600_000, 100), bar(now - 60_000, 101)]);
    // 1m bars, last event 10 minutes ago: more than 3 bar intervals.
    append(lab, "stale-1", [start(now - 3_600_000), bar(now - 600_000, 50, "1m")]);
    append(lab, "crashed", [
      start(now - 7_200_000),
      bar(now - 3_600_000, 100),
      {
        kind: "run_stopped",
        runId: "r1",
        ts: now - 3_000_000,
        payload: { reason: "error", error: "feed: ECONNRESET" },
      },
    ]);

    const ok = JSON.parse(await text(lab, "/api/accounts/live-ok/runner"));
    assert.equal(ok.state, "running");
    assert.equal(ok.stale, false);
    assert.equal(ok.mode, "paper");
    assert.equal(ok.barIntervalMs, 3_600_000);
    assert.deepEqual(ok.lastBars.map((b: { close: number }) => b.close), [101]);
    const okPage = await text(lab, "/accounts/live-ok");
    assert.match(okPage, /class="runner-running"[\s\S]*runner-state pos">running/);
    assert.doesNotMatch(okPage, /id="runner-stale"/);

    const stale = JSON.parse(await text(lab, "/api/accounts/stale-1/runner"));
    assert.equal(stale.state, "running");
    assert.equal(stale.stale, true);
    assert.match(
      await text(lab, "/accounts/stale-1"),
      /id="runner-stale">— stale: no event for 10 min \(more\s+than 3 bars of 1m\)/,
    );

    const crashed = JSON.parse(await text(lab, "/api/accounts/crashed/runner"));
    assert.equal(crashed.state, "stopped");
    assert.equal(crashed.lastError, "feed: ECONNRESET");
    assert.equal(crashed.stale, false);
    assert.match(
      await text(lab, "/accounts/crashed"),
      /id="runner-error">Last error[^<]*<code>feed: ECONNRESET<\/code>/,
    );

    // A new run after the error: without a live process holding the lock it crashed; with one it runs. The earlier
    // error stays visible.
    append(lab, "crashed", [start(now - 1_000)]);
    const dead = JSON.parse(await text(lab, "/api/accounts/crashed/runner"));
    assert.equal(dead.state, "crashed");
    assert.match(await text(lab, "/accounts/crashed"), /runner-state neg">crashed/);
    unlocks.push(acquireRunnerLock({ dataDir: lab.dir, account: "crashed", runId: "r1" }));
    const again = JSON.parse(await text(lab, "/api/accounts/crashed/runner"));
    assert.equal(again.state, "running");
    assert.equal(again.lastError, "feed: ECONNRESET");

    const idle = JSON.parse(await text(lab, "/api/accounts/idle/runner"));
    assert.equal(idle.state, "never");
    assert.equal(idle.runId, null);
    const idlePage = await text(lab, "/accounts/idle");
    assert.match(idlePage, /runner-state muted">never ran/);
    assert.match(idlePage, /id="equity-empty"/);

    assert.equal((await lab.app.request("/api/accounts/nobody/runner")).status, 404);
    assert.equal((await lab.app.request("/api/accounts/BAD%20NAME/equity")).status, 400);
  } finally {
    for (const unlock of unlocks) unlock();
    await lab.close();
  }
});

Deno.test("promotions: listed on the account page, the checklist page per event, JSON twins, 404 and 400", async () => {
  const lab = await openLab();
  try {
    addAccount(lab, "paper-1");
    const promotion = (strategy: string, extra: Record<string, unknown>): AuditEventInput => ({
      kind: "promotion",
      runId: "promote-1",
      ts: Date.UTC(2025, 0, 2),
      payload: {
        strategy,
        codeHash: "ab12cd34ef56".padEnd(64, "0"),
        params: { fast: 10, slow: 30 },
        evidenceRunIds: ["run-bt-1", "run-wf-2"],
        ...extra,
      },
    } as AuditEventInput);
    append(lab, "paper-1", [
      promotion("sma_cross", {
        market: "binance:BTC/USDT:1h",
        symbol: "BTC/USDT",
        timeframe: "1h",
        gates: [
          { name: "backtest", ok: true },
          { name: "walk_forward", ok: true },
          { name: "risk_limits", ok: true },
          { name: "parity", ok: true },
          { name: "audit_chain", ok: true },
        ],
      }),
      promotion("old_style", {}),
    ]);
    const list = JSON.parse(await text(lab, "/api/accounts/paper-1/promotions")).promotions;
    assert.equal(list.length, 2);
    const [p1, p2] = list;
    assert.equal(p1.strategy, "sma_cross");
    assert.equal(p1.market, "binance:BTC/USDT:1h");
    assert.deepEqual(p1.evidenceRunIds, ["run-bt-1", "run-wf-2"]);
    assert.equal(p1.gates.length, 5);
    assert.equal(p2.gates, null);
    assert.equal(p1.url, `/accounts/paper-1/promotions/${p1.seq}`);

    const page = await text(lab, "/accounts/paper-1");
    assert.match(page, /id="promotions"[\s\S]*sma_cross[\s\S]*<code title="ab12cd34ef56[0]+">ab12cd34ef56<\/code>/);
    assert.match(page, /fast=10, slow=30/);
    assert.match(page, /<a href="\/runs\/run-bt-1">run-bt-1<\/a>, <a href="\/runs\/run-wf-2">run-wf-2<\/a>/);
    assert.match(page, new RegExp(`href="/accounts/paper-1/promotions/${p1.seq}">5/5 gates`));

    const detail = await text(lab, p1.url);
    assert.match(detail, /Promotion of sma_cross to paper-1/);
    assert.match(detail, /id="gates"[\s\S]*backtest[\s\S]*class="pos">ok/);
    assert.match(detail, /id="evidence-runs"><a href="\/runs\/run-bt-1">/);
    // sma_cross is in the lab's registry: a link to check its gates again, live and read-only.
    assert.match(
      detail,
      /id="live-checklist" href="\/strategies\/sma_cross\/checklist\?account=paper-1&amp;market=binance%3ABTC%2FUSDT%3A1h&amp;param.fast=10&amp;param.slow=30"/,
    );
    const old = await text(lab, p2.url);
    assert.match(old, /id="no-gates"/);
    assert.doesNotMatch(old, /id="live-checklist"/);
    assert.deepEqual(JSON.parse(await text(lab, `/api/accounts/paper-1/promotions/${p1.seq}`)).gates[0], {
      name: "backtest",
      ok: true,
    });

    const missing = await text(lab, "/accounts/paper-1/promotions/1", 404); // seq 1 is the account's config_change
    assert.match(missing, new RegExp(`promotions are at seq ${p1.seq}, ${p2.seq}`));
    await text(lab, "/api/accounts/paper-1/promotions/999", 404);
    await text(lab, "/accounts/paper-1/promotions/abc", 400);
    await text(lab, "/api/accounts/paper-1/promotions/0", 400);
  } finally {
    await lab.close();
  }
});

Deno.test("accounts OpenAPI: the equity, runner, promotions and live checklist paths are documented", async () => {
  const lab = await openLab();
  try {
    const doc = await (await lab.app.request("/api/openapi.json")).json();
    for (
      const path of [
        "/api/accounts/{name}/equity",
        "/api/accounts/{name}/runner",
        "/api/accounts/{name}/promotions",
        "/api/accounts/{name}/promotions/{seq}",
        "/api/strategies/{name}/checklist",
      ]
    ) {
      assert.ok(doc.paths[path]?.get, path);
      assert.ok(doc.paths[path].get.responses[404], `${path} documents its 404`);
    }
    const points = doc.paths["/api/accounts/{name}/equity"].get.parameters.find((p: { name: string }) =>
      p.name === "points"
    );
    assert.equal(points.schema.maximum, 100_000);
  } finally {
    await lab.close();
  }
});
