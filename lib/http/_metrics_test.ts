import assert from "node:assert/strict";
import { Hono } from "hono";
import { accountStatus, createAccount, killAccount } from "../accounts/mod.ts";
import { AuditLog } from "../audit/mod.ts";
import { parseExposition, sampleValue } from "../monitor/_exposition.ts";
import { RunRegistry } from "../runs/mod.ts";
import { Store } from "../store/mod.ts";
import { LabAuth } from "./_auth.ts";
import { metricsRoutes } from "./_metrics.ts";
import { createApp } from "./create_app.ts";
import { JobQueue } from "./job_queue.ts";

const HOOK = "https://hooks.example.com/services/T0/B0/xoxb-METRICS-SECRET-42";
const HEADER = "Bearer header-secret-0123456789";
const TOKEN = "lab-token-abcdefghijklmnopqrstuvwxyz";

/** An account with a webhook secret in its config, a bar, a filled order, a denied intent and a rejected order. */
function seed(dataDir: string, name: string): void {
  createAccount({ dataDir, name, kind: "paper", cash: 10_000, now: Date.UTC(2026, 0, 1) });
  const path = `${dataDir}/_accounts/${name}/account.json`;
  const cfg = JSON.parse(Deno.readTextFileSync(path));
  cfg.notify = { console: true, webhooks: [{ url: HOOK, headers: { Authorization: HEADER } }] };
  Deno.writeTextFileSync(path, JSON.stringify(cfg, null, 2));
  using log = AuditLog.open({ dataDir, account: name });
  const t = Date.UTC(2026, 0, 2);
  const intent = (id: string) => ({
    clientOrderId: id,
    account: name,
    strategy: "s",
    symbol: "BTC/USDT",
    side: "buy" as const,
    qty: 1,
    price: 100,
    reduceOnly: false,
    barTs: t,
  });
  log.appendMany([
    { kind: "run_started", runId: "r1", ts: t, payload: { mode: "paper", startingCash: 10_000 } },
    {
      kind: "bars",
      runId: "r1",
      ts: t,
      payload: {
        timeframe: "1h",
        ts: t - 3_600_000,
        bars: [{
          symbol: "BTC/USDT",
          open: 100,
          high: 100,
          low: 100,
          close: 100,
          volume: 1,
          dataHash: "ab".repeat(32),
        }],
      },
    },
    { kind: "order_intent", runId: "r1", ts: t, payload: intent("o1") },
    { kind: "risk_verdict", runId: "r1", ts: t, payload: { clientOrderId: "o1", ok: true, code: "ok", detail: "" } },
    { kind: "order_submitted", runId: "r1", ts: t, payload: { clientOrderId: "o1", broker: "paper" } },
    {
      kind: "order_filled",
      runId: "r1",
      ts: t,
      payload: { clientOrderId: "o1", symbol: "BTC/USDT", side: "buy", qty: 1, price: 100, fee: 0.1, ts: t },
    },
    { kind: "order_intent", runId: "r1", ts: t, payload: intent("o2") },
    {
      kind: "risk_verdict",
      runId: "r1",
      ts: t,
      payload: { clientOrderId: "o2", ok: false, code: "max_position_share", level: "warning", detail: "too big" },
    },
    { kind: "order_intent", runId: "r1", ts: t, payload: intent("o3") },
    { kind: "risk_verdict", runId: "r1", ts: t, payload: { clientOrderId: "o3", ok: true, code: "ok", detail: "" } },
    { kind: "order_submitted", runId: "r1", ts: t, payload: { clientOrderId: "o3" } },
    { kind: "order_rejected", runId: "r1", ts: t, payload: { clientOrderId: "o3", reason: "insufficient balance" } },
  ]);
}

async function withLab(
  fn: (dir: string, app: Hono, tokenApp: Hono) => Promise<void>,
): Promise<void> {
  const dir = await Deno.makeTempDir({ prefix: "metrics-" });
  const store = await Store.open({ dir });
  const runs = await RunRegistry.open({ dir: `${dir}/_runs` });
  const jobs = new JobQueue();
  try {
    await fn(
      dir,
      createApp({ store, runs, jobs }),
      createApp({ store, runs, jobs, host: "0.0.0.0", token: TOKEN }),
    );
  } finally {
    await jobs.shutdown();
    await runs.close();
    store.close();
    await Deno.remove(dir, { recursive: true });
  }
}

Deno.test("lab /metrics: per-account figures parse back equal to the status and the log; no secret in the answer", async () => {
  await withLab(async (dir, app) => {
    seed(dir, "acct-a");
    seed(dir, "acct-b");
    killAccount({ dataDir: dir, name: "acct-b", reason: "incident" });
    const res = await app.request("/metrics");
    assert.equal(res.status, 200);
    assert.equal(res.headers.get("content-type"), "text/plain; version=0.0.4; charset=utf-8");
    const text = await res.text();
    const s = parseExposition(text);
    const v = (name: string, labels: Record<string, string>) => sampleValue(s, name, labels);
    for (const account of ["acct-a", "acct-b"]) {
      const st = accountStatus({ dataDir: dir, name: account });
      assert.equal(v("sentinel_account_equity", { account }), st.equity);
      assert.equal(v("sentinel_account_cash", { account }), st.cash);
      assert.equal(v("sentinel_account_drawdown_ratio", { account }), st.counters.drawdown);
      assert.equal(v("sentinel_account_audit_head_seq", { account }), st.lastSeq);
      assert.equal(v("sentinel_account_audit_chain_ok", { account }), 1);
      assert.equal(v("sentinel_account_status_error", { account }), 0);
      assert.equal(v("sentinel_account_orders_total", { account, state: "submitted" }), 2);
      assert.equal(v("sentinel_account_orders_total", { account, state: "filled" }), 1);
      assert.equal(v("sentinel_account_orders_total", { account, state: "rejected" }), 1);
      assert.equal(v("sentinel_account_risk_denials_total", { account, rule: "max_position_share" }), 1);
      assert.equal(v("sentinel_account_audit_events_total", { account, kind: "order_intent" }), 3);
      assert.equal(v("sentinel_account_open_orders", { account }), 0);
    }
    assert.equal(v("sentinel_account_trading_state", { account: "acct-a", state: "active" }), 1);
    assert.equal(v("sentinel_account_trading_state", { account: "acct-b", state: "halted" }), 1);
    assert.equal(v("sentinel_account_trading_state", { account: "acct-b", state: "active" }), 0);
    assert.equal(v("sentinel_account_audit_events_total", { account: "acct-b", kind: "kill" }), 1);
    for (const secret of [HOOK, "xoxb-METRICS-SECRET-42", HEADER, "header-secret-0123456789", TOKEN]) {
      assert.equal(text.includes(secret), false, `${secret} in /metrics`);
    }
  });
});

Deno.test("lab /metrics: loopback open; beyond loopback the Bearer token (cookie-less), with the login backoff", async () => {
  await withLab(async (dir, app, tokenApp) => {
    seed(dir, "acct-a");
    assert.equal((await app.request("/metrics")).status, 200);
    const none = await tokenApp.request("/metrics");
    assert.equal(none.status, 401);
    assert.match(await none.text(), /\/metrics needs Authorization: Bearer/);
    const wrong = await tokenApp.request("/metrics", { headers: { authorization: "Bearer nope" } });
    assert.equal(wrong.status, 401);
    assert.equal((await wrong.text()).includes(TOKEN), false);
    const ok = await tokenApp.request("/metrics", { headers: { authorization: `Bearer ${TOKEN}` } });
    assert.equal(ok.status, 200);
    assert.match(await ok.text(), /sentinel_account_equity\{account="acct-a"\} /);
    // Guessing is throttled like a login: after the free failures the client waits (429).
    let last = 0;
    for (let i = 0; i < 5; i++) {
      const r = await tokenApp.request("/metrics", { headers: { authorization: "Bearer guess" } });
      last = r.status;
      await r.body?.cancel();
    }
    assert.equal(last, 429);
  });
});

Deno.test("lab /metrics: kept by head seq; new events folded and chain-checked; full verify every verifyEveryMs", async () => {
  const dir = await Deno.makeTempDir({ prefix: "metrics-cache-" });
  try {
    seed(dir, "acct-a");
    let now = 0;
    const verified: string[] = [];
    const app = new Hono().route(
      "/metrics",
      metricsRoutes({
        dataDir: dir,
        auth: new LabAuth(undefined),
        host: "127.0.0.1",
        verifyEveryMs: 600_000,
        now: () => now,
        onVerify: (a) => verified.push(a),
      }),
    );
    const scrape = async () => parseExposition(await (await app.request("/metrics")).text());
    const v = (s: ReturnType<typeof parseExposition>, name: string, labels: Record<string, string> = {}) =>
      sampleValue(s, name, { account: "acct-a", ...labels });
    const first = await scrape();
    for (let i = 0; i < 20; i++) await scrape();
    assert.equal(verified.length, 1, "an unchanged log is not verified again");
    killAccount({ dataDir: dir, name: "acct-a", reason: "x" });
    now = 1_000;
    const moved = await scrape();
    assert.equal(verified.length, 1, "new events are checked one by one, not by a full verify");
    assert.equal(v(moved, "sentinel_account_audit_head_seq"), v(first, "sentinel_account_audit_head_seq")! + 1);
    assert.equal(v(moved, "sentinel_account_trading_state", { state: "halted" }), 1);
    assert.equal(v(moved, "sentinel_account_audit_events_total", { kind: "kill" }), 1);
    assert.equal(v(moved, "sentinel_account_orders_total", { state: "submitted" }), 2, "counted once, not again");
    const st = accountStatus({ dataDir: dir, name: "acct-a" });
    assert.equal(v(moved, "sentinel_account_equity"), st.equity);
    assert.equal(v(moved, "sentinel_account_daily_pnl"), st.counters.dailyPnl);
    now = 601_000;
    await scrape();
    assert.equal(verified.length, 2);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("lab /metrics: an event whose hash does not match its chain shows chain_ok 0 at once", async () => {
  const dir = await Deno.makeTempDir({ prefix: "metrics-chain-" });
  try {
    seed(dir, "acct-a");
    const app = new Hono().route(
      "/metrics",
      metricsRoutes({ dataDir: dir, auth: new LabAuth(undefined), host: "127.0.0.1" }),
    );
    const chainOk = async () =>
      sampleValue(parseExposition(await (await app.request("/metrics")).text()), "sentinel_account_audit_chain_ok", {
        account: "acct-a",
      });
    assert.equal(await chainOk(), 1);
    // A forged append: a row written straight into the table with a made-up hash (the log's own API cannot).
    const { DatabaseSync } = await import("node:sqlite");
    const db = new DatabaseSync(`${dir}/_accounts/acct-a/audit.sqlite`);
    const cols = (db.prepare("PRAGMA table_info(events)").all() as { name: string }[]).map((c) => c.name);
    const last = db.prepare("SELECT * FROM events ORDER BY seq DESC LIMIT 1").get() as Record<string, unknown>;
    const row = { ...last, seq: (last.seq as number) + 1, prev_hash: last.hash, hash: "f".repeat(64) };
    const use = cols.filter((c) => c in row);
    db.prepare(`INSERT INTO events (${use.join(",")}) VALUES (${use.map(() => "?").join(",")})`).run(
      ...use.map((c) => (row as Record<string, unknown>)[c] as string | number | null),
    );
    db.close();
    assert.equal(await chainOk(), 0);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
