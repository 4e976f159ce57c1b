import assert from "node:assert/strict";
import { Registry } from "prom-client";
import { AlertConfigSchema } from "../accounts/mod.ts";
import { ConsoleSink, createNotifier, MultiNotifier } from "../notify/mod.ts";
import { EventBus } from "../runner/mod.ts";
import { parseExposition, sampleValue } from "./_exposition.ts";
import type { AccountSnapshot } from "./account_snapshot.ts";
import { AlertEngine } from "./alert_engine.ts";

const base = { account: "a1", runId: "r", prevHash: "", hash: "" };
const bars = (seq: number, openMs: number, symbols = ["BTC/USDT"]) => ({
  ...base,
  seq,
  ts: openMs + 60_000,
  kind: "bars" as const,
  payload: {
    timeframe: "1m",
    ts: openMs,
    bars: symbols.map((symbol) => ({
      symbol,
      open: 1,
      high: 1,
      low: 1,
      close: 1,
      volume: 1,
      dataHash: "00".repeat(32),
    })),
  },
});

Deno.test("dedup per rule+account+key within the window, with an injected clock", () => {
  let now = 1_000_000;
  const lines: string[] = [];
  const snap: AccountSnapshot = { equity: 8_000, equityPeak: 10_000, dayStartEquity: 9_000, tradingState: "active" };
  const e = new AlertEngine({
    account: "a1",
    config: AlertConfigSchema.parse({
      dedupSeconds: 600,
      perSinkPerMinute: 100,
      drawdown: { enabled: true, above: 0.1 },
      dailyLoss: { enabled: true, above: 0.05 },
      orderRejected: { enabled: true },
    }),
    notifier: new ConsoleSink({ write: (l) => lines.push(l) }),
    snapshot: () => snap,
    clock: () => now,
  });
  e.observe(bars(1, 0)); // drawdown 20 % and daily loss 11.1 %: two rules, two alerts
  e.observe(bars(2, 60_000)); // the same two within the window: suppressed
  assert.deepEqual(lines.map((l) => l.split(" ")[3]), ["alert_drawdown", "alert_daily_loss"]);
  const rejected = (seq: number, id: string) => ({
    ...base,
    seq,
    ts: 0,
    kind: "order_rejected" as const,
    payload: { clientOrderId: id, reason: "insufficient balance" },
  });
  e.observe(rejected(3, "o1"));
  e.observe(rejected(4, "o2")); // another key: sent
  e.observe(rejected(5, "o1")); // same key: suppressed
  assert.equal(lines.length, 4);
  now += 599_999;
  e.observe(bars(6, 120_000));
  assert.equal(lines.length, 4, "still inside the window");
  now += 1;
  e.observe(bars(7, 180_000));
  assert.equal(lines.length, 6, "the window is over: both fire again");
  snap.equity = 9_900; // recovered: nothing fires
  now += 10_000_000;
  e.observe(bars(8, 240_000));
  assert.equal(lines.length, 6);
  assert.deepEqual(e.stats(), { fired: 6, duplicates: 5, rateLimited: 0 });
  assert.equal(e.recent().at(-1)?.rule, "daily_loss");
  assert.equal(e.recent()[0]?.seq, 1);
});

Deno.test("rate limit per sink: a tight webhook drops, the console does not; counted in the metrics", async () => {
  let now = 0;
  const lines: string[] = [];
  const posted: string[] = [];
  const registry = new Registry();
  const fakeFetch = (_url: string | URL | Request, init?: RequestInit) => {
    posted.push(String(init?.body));
    return Promise.resolve(new Response("ok"));
  };
  const notifier = createNotifier(
    { console: true, webhooks: [{ url: "https://hooks.example.com/services/T0/SECRET-TOKEN-123", minLevel: "info" }] },
    { write: (l) => lines.push(l), fetch: fakeFetch as typeof fetch },
  );
  const e = new AlertEngine({
    account: "a1",
    config: AlertConfigSchema.parse({ dedupSeconds: 0, perSinkPerMinute: 3, orderRejected: { enabled: true } }),
    notifier,
    clock: () => now,
    registry,
  });
  for (let i = 0; i < 10; i++) {
    e.observe({
      ...base,
      seq: i + 1,
      ts: 0,
      kind: "order_rejected",
      payload: { clientOrderId: `o${i}`, reason: "no" },
    });
  }
  assert.equal(lines.length, 3);
  now = 20_000; // a third of a minute: one token back per sink
  e.observe({ ...base, seq: 11, ts: 0, kind: "order_rejected", payload: { clientOrderId: "late", reason: "no" } });
  assert.equal(lines.length, 4);
  await notifier.close({ timeoutMs: 2_000 });
  assert.equal(posted.length, 4);
  assert.deepEqual(e.stats(), { fired: 11, duplicates: 0, rateLimited: 14 });
  assert.equal(e.notifier.stats().dropped, 14);
  const s = parseExposition(await registry.metrics());
  assert.equal(sampleValue(s, "sentinel_alerts_total", { account: "a1", rule: "order_rejected" }), 11);
  assert.equal(
    sampleValue(s, "sentinel_alerts_suppressed_total", { rule: "order_rejected", reason: "rate_limited" }),
    14,
  );
});

Deno.test("feed stale: by the timer (clock past the next bar's close + Z s) and by a synthetic feed_stale bus event", () => {
  let now = 0;
  const lines: string[] = [];
  const bus = new EventBus();
  const e = new AlertEngine({
    account: "a1",
    config: AlertConfigSchema.parse({ feedStale: { enabled: true, seconds: 30 }, dedupSeconds: 300 }),
    notifier: new ConsoleSink({ write: (l) => lines.push(l) }),
    clock: () => now,
  });
  e.attach(bus);
  bus.emit("bar", bars(1, 0, ["BTC/USDT", "ETH/USDT"]));
  bus.emit("bar", bars(2, 60_000, ["BTC/USDT"]));
  // BTC's next bar (opened 120 s) closes at 180 s; ETH's closed at 120 s.
  now = 150_000;
  e.tick();
  assert.equal(lines.length, 0, "ETH 30 s late: not beyond 30 s");
  now = 150_001;
  e.tick();
  assert.equal(lines.length, 1);
  assert.match(lines[0]!, /WARNING a1 alert_feed_stale feed stale: ETH\/USDT/);
  now = 210_001;
  e.tick();
  assert.equal(lines.length, 2);
  assert.match(lines[1]!, /feed stale: BTC\/USDT/);
  e.tick();
  assert.equal(lines.length, 2, "deduplicated per symbol");
  // The streaming feed (being written) reports a quiet stream: the event kind is not an audit kind yet; any bus type.
  bus.emit(
    "agent_error",
    {
      ...base,
      seq: 3,
      ts: 0,
      kind: "feed_stale",
      payload: { symbol: "SOL/USDT", exchange: "binance", silentMs: 45_000 },
    } as never,
  );
  assert.equal(lines.length, 3);
  assert.match(lines[2]!, /feed stale: SOL\/USDT on binance: no message for 45 s/);
  // The streaming feed's own status report: the whole stream, shorter than the rule's 30 s first.
  e.feedStatus({ kind: "stale", silentMs: 20_000 });
  e.feedStatus({ kind: "reconnected", silentMs: 99_000 });
  assert.equal(lines.length, 3);
  e.feedStatus({ kind: "stale", silentMs: 31_000 });
  assert.equal(lines.length, 4);
  assert.match(lines[3]!, /alert_feed_stale feed stale: stream: no message for 31 s/);
});

Deno.test("reconciliation mismatch (synthetic event) and kill switch; disabled rules and absent config stay silent", () => {
  const lines: string[] = [];
  const bus = new EventBus();
  const notifier = new MultiNotifier([new ConsoleSink({ write: (l) => lines.push(l) })]);
  const on = new AlertEngine({
    account: "a1",
    config: AlertConfigSchema.parse({ reconciliationMismatch: { enabled: true }, killSwitch: { enabled: true } }),
    notifier,
    clock: () => 0,
  });
  const off = new AlertEngine({
    account: "a1",
    config: AlertConfigSchema.parse({ killSwitch: { enabled: false }, orderRejected: {} }),
    notifier,
  });
  const none = new AlertEngine({ account: "a1", config: undefined, notifier });
  for (const x of [on, off, none]) x.attach(bus);
  bus.emit(
    "risk_limit_exceeded",
    {
      ...base,
      seq: 1,
      ts: 0,
      kind: "reconciliation_mismatch",
      payload: { what: "balance", symbol: "BTC", detail: "exchange 0.5 BTC, log 0.4 BTC" },
    } as never,
  );
  bus.emit("risk_limit_exceeded", {
    ...base,
    seq: 2,
    ts: 0,
    kind: "kill",
    correlationId: "bars:0",
    payload: { by: "rule", reason: "drawdown 21 % > 20 %", flatten: true, rule: "max_drawdown" },
  });
  bus.emit("order_cancelled", {
    ...base,
    seq: 3,
    ts: 0,
    kind: "order_rejected",
    payload: { clientOrderId: "x", reason: "r" },
  });
  assert.equal(lines.length, 2);
  assert.match(
    lines[0]!,
    /ERROR a1 alert_reconciliation_mismatch reconciliation mismatch: balance BTC: exchange 0.5 BTC/,
  );
  assert.match(
    lines[1]!,
    /KILL a1 alert_kill_switch kill switch fired \(rule rule max_drawdown\)|KILL a1 alert_kill_switch kill switch fired/,
  );
  assert.match(lines[1]!, /flattening every position corr=bars:0/);
  // A reconciliation report (lib/runner's reconcile) before such events exist on the bus.
  const report = {
    ok: false,
    balanceMismatches: [{ asset: "ETH", expected: 2, actual: 1.5 }],
    unknownOpenOrders: [{ id: "77" }],
    messages: ["ETH: exchange 1.5, log 2", "open order 77 at the exchange is not in the log"],
  };
  on.reconciliation(report);
  on.reconciliation(report); // deduplicated per asset and for the orders
  on.reconciliation({ ...report, ok: true });
  assert.equal(lines.length, 4);
  assert.match(
    lines[2]!,
    /alert_reconciliation_mismatch reconciliation mismatch: balance ETH: the exchange holds 1.5 ETH/,
  );
  assert.match(lines[3]!, /reconciliation mismatch: orders: open order 77 at the exchange is not in the log;/);
  assert.throws(
    () =>
      new AlertEngine({
        account: "a1",
        config: AlertConfigSchema.parse({ drawdown: { enabled: true, above: 0.1 } }),
        notifier,
      }),
    /drawdown and dailyLoss alerts need the runner's equity: pass snapshot/,
  );
});

Deno.test("secrets never reach an alert: masked by the engine and by every sink", async () => {
  const key = "sk-live-PLANTED-0123456789";
  const hook = "https://hooks.example.com/services/T0/B0/HOOKTOKEN987654";
  const lines: string[] = [];
  const posted: string[] = [];
  const notifier = createNotifier({ console: true, webhooks: [{ url: hook, minLevel: "info" }] }, {
    write: (l) => lines.push(l),
    fetch: ((_u: unknown, init?: RequestInit) => {
      posted.push(String(init?.body));
      return Promise.resolve(new Response("ok"));
    }) as typeof fetch,
  });
  const e = new AlertEngine({
    account: "a1",
    config: AlertConfigSchema.parse({ orderRejected: { enabled: true }, reconciliationMismatch: { enabled: true } }),
    notifier,
    // What paper passes: the keys it holds and the account's webhook URLs (the sinks know only the latter).
    secrets: [key, hook],
  });
  e.observe({
    ...base,
    seq: 1,
    ts: 0,
    kind: "order_rejected",
    payload: { clientOrderId: "o1", reason: `auth failed for ${key} posting to ${hook}` },
  });
  e.observe({
    ...base,
    seq: 2,
    ts: 0,
    kind: "reconciliation_mismatch",
    payload: { what: "open_order", clientOrderId: key, detail: `unknown order, key ${key}` },
  });
  await notifier.close({ timeoutMs: 2_000 });
  const all = [...lines, ...posted, JSON.stringify(e.recent())].join("\n");
  assert.equal(lines.length, 2);
  assert.equal(posted.length, 2);
  for (const s of [key, hook, "HOOKTOKEN987654"]) assert.equal(all.includes(s), false, `${s} leaked`);
  assert.match(all, /\[REDACTED\]/);
});

Deno.test("a logged reconciliation event on the bus alerts as a report does, naming its seq; a clean one is silent", () => {
  const lines: string[] = [];
  const bus = new EventBus();
  const engine = new AlertEngine({
    account: "a1",
    config: AlertConfigSchema.parse({ reconciliationMismatch: { enabled: true } }),
    notifier: new ConsoleSink({ write: (l) => lines.push(l) }),
    clock: () => 0,
  });
  engine.attach(bus);
  const payload = {
    trigger: "reconnect" as const,
    ok: false,
    needsAck: true,
    tradingState: "reducing" as const,
    resolved: [],
    unknownOpenOrders: [{ symbol: "BTC/USDT", exchangeOrderId: "77", side: "sell" as const, qty: 0.1, filled: 0 }],
    balanceMismatches: [{ asset: "ETH", expected: 2, actual: 1.5, diff: -0.5 }],
    messages: ["open order 77 at the exchange is not in the log"],
  };
  bus.emit("agent_state_change", { ...base, seq: 41, ts: 0, kind: "reconciliation", payload });
  bus.emit("agent_state_change", {
    ...base,
    seq: 42,
    ts: 0,
    kind: "reconciliation",
    payload: {
      ...payload,
      ok: true,
      needsAck: false,
      tradingState: "active",
      unknownOpenOrders: [],
      balanceMismatches: [],
    },
  });
  assert.equal(lines.length, 2, lines.join("\n"));
  assert.match(
    lines[0]!,
    /alert_reconciliation_mismatch reconciliation mismatch: balance ETH: the exchange holds 1.5 ETH/,
  );
  assert.deepEqual(engine.recent().map((a) => a.seq), [41, 41]);
  assert.match(lines[1]!, /reconciliation mismatch: orders: open order 77 at the exchange is not in the log/);
});

Deno.test("orderRejected stays quiet on a dry run: an unarmed account's order is not a rejection", () => {
  const lines: string[] = [];
  const bus = new EventBus();
  const e = new AlertEngine({
    account: "a1",
    config: AlertConfigSchema.parse({ dedupSeconds: 0, perSinkPerMinute: 100, orderRejected: { enabled: true } }),
    notifier: new ConsoleSink({ write: (l) => lines.push(l) }),
    clock: () => 0,
  });
  e.attach(bus);
  for (let seq = 1; seq <= 3; seq++) {
    bus.emit("order_dry_run", {
      ...base,
      seq,
      ts: 0,
      kind: "order_dry_run",
      payload: {
        clientOrderId: `d${seq}`,
        symbol: "BTC/USDT",
        side: "buy",
        qty: 0.01,
        type: "market",
        reason: "dry run: the account is not armed",
      },
    });
  }
  assert.deepEqual(lines, []);
  assert.deepEqual(e.stats(), { fired: 0, duplicates: 0, rateLimited: 0 });
  // The same engine still fires on a real rejection.
  bus.emit("order_cancelled", {
    ...base,
    seq: 4,
    ts: 0,
    kind: "order_rejected",
    payload: { clientOrderId: "r1", reason: "insufficient balance" },
  });
  assert.equal(lines.length, 1);
  assert.match(lines[0]!, /alert_order_rejected/);
});
