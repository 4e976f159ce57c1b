// The live runner's kinds (order_expired, reconciliation, operator_ack) and the Fill fee fields: schemas, a real
// log's append/verify, and what replay makes of them.
import assert from "node:assert/strict";
import { type AuditEvent, type AuditEventInput, AuditEventInputSchema } from "./audit_event.ts";
import { AuditLog } from "./audit_log.ts";
import { replay } from "./replay.ts";
import { TradingControl } from "./trading_control.ts";

/** Stored-event shapes without a real chain: replay reads only seq, ts, kind, payload. */
function events(inputs: AuditEventInput[]): AuditEvent[] {
  return inputs.map((e, i) =>
    ({ ...e, ts: e.ts ?? i, seq: i + 1, account: "a", prevHash: "", hash: "" }) as AuditEvent
  );
}

type Reconciliation = Extract<AuditEventInput, { kind: "reconciliation" }>["payload"];

const CLEAN: Reconciliation = {
  trigger: "start",
  broker: "ccxt:binance",
  ok: true,
  needsAck: false,
  tradingState: "active",
  resolved: [{ clientOrderId: "a-1", outcome: "filled", exchangeOrderId: "17", filled: 0.5, newFills: 1 }],
  unknownOpenOrders: [],
  balanceMismatches: [],
};
const MISMATCH: Reconciliation = {
  trigger: "reconnect",
  ok: false,
  needsAck: true,
  tradingState: "reducing",
  resolved: [{ clientOrderId: "a-2", outcome: "never_arrived", resolveAfter: 6_000 }],
  unknownOpenOrders: [{
    symbol: "BTC/USDT",
    exchangeOrderId: "99",
    exchangeClientId: "web_8f2",
    side: "sell",
    type: "limit",
    qty: 0.1,
    filled: 0,
    price: 120,
  }],
  balanceMismatches: [{ asset: "BTC", expected: 0.5, actual: 0.6, diff: 0.1 }],
  messages: ["open order web_8f2 (exchange id 99) sell 0.1 BTC/USDT is not in the log"],
};
const reconciliation = (payload: Reconciliation): AuditEventInput => ({ kind: "reconciliation", runId: "r", payload });
const ack = (seq: number): AuditEventInput => ({
  kind: "operator_ack",
  runId: "r",
  payload: { reconciliationSeq: seq, operator: "ops-1", note: "checked at the exchange" },
});
const fillPayload = { clientOrderId: "b-1", symbol: "BTC/USDT", side: "buy" as const, qty: 1, price: 100, fee: 0.1 };

Deno.test("live kinds: schemas accept the reports and refuse inconsistent or unknown fields", () => {
  const ok = (e: unknown): boolean => AuditEventInputSchema.safeParse(e).success;
  assert.ok(ok(reconciliation(CLEAN)));
  assert.ok(ok(reconciliation(MISMATCH)));
  assert.ok(ok(ack(3)));
  assert.ok(ok({ kind: "order_expired", runId: "r", payload: { clientOrderId: "a-3", reason: "IOC remainder" } }));
  assert.ok(!ok(reconciliation({ ...MISMATCH, needsAck: false })), "a mismatch must need an ack");
  assert.ok(!ok(reconciliation({ ...MISMATCH, tradingState: "active" })));
  assert.ok(!ok(reconciliation({ ...CLEAN, tradingState: "halted" } as unknown as Reconciliation)));
  assert.ok(!ok({ ...ack(3), payload: { reconciliationSeq: 0, note: "" } }));
  assert.ok(!ok({ ...ack(3), payload: { reconciliationSeq: 3, note: "", apiKey: "x" } }), "strict: no extra field");
  const bad = AuditEventInputSchema.safeParse(reconciliation({ ...MISMATCH, ok: true }));
  assert.deepEqual(bad.error?.issues[0]?.path, ["payload", "needsAck"]);
});

Deno.test("live kinds: appended to a real log, they verify, read back and replay; a fill without the fee fields stores none", async () => {
  const dataDir = await Deno.makeTempDir();
  try {
    const log = AuditLog.open({ dataDir, account: "live-1" });
    log.append({ kind: "run_started", runId: "r", ts: 1, payload: { mode: "live", startingCash: 1_000 } });
    const plain = log.append({ kind: "order_filled", runId: "r", ts: 2, payload: { ...fillPayload, ts: 2 } });
    log.appendMany([
      {
        kind: "order_filled",
        runId: "r",
        ts: 3,
        payload: { ...fillPayload, clientOrderId: "b-2", ts: 3, feeAsset: "BNB", feeAmount: 0.00025 },
      },
      { kind: "order_expired", runId: "r", ts: 4, payload: { clientOrderId: "b-3", reason: "IOC remainder" } },
      { ...reconciliation(MISMATCH), ts: 5 },
    ]);
    log.append({ ...ack(5), ts: 6 });
    assert.equal(log.verify().ok, true);
    assert.equal("feeAsset" in plain.payload, false, "a fill without the fee fields stores none");
    const kinds = [...log.events()].map((e) => e.kind);
    assert.deepEqual(kinds, [
      "run_started",
      "order_filled",
      "order_filled",
      "order_expired",
      "reconciliation",
      "operator_ack",
    ]);
    const s = replay(log.events());
    assert.equal(s.tradingState, "active");
    assert.deepEqual(s.unacknowledgedReconciliations, []);
    log.close();
  } finally {
    await Deno.remove(dataDir, { recursive: true });
  }
});

Deno.test("replay: a reconciliation mismatch holds reducing until acked; resume does not lift it; kill still wins", () => {
  const s = (inputs: AuditEventInput[]) => replay(events(inputs));
  const a = s([reconciliation(CLEAN)]);
  assert.equal(a.tradingState, "active");
  assert.deepEqual(a.unacknowledgedReconciliations, []);

  const held = [reconciliation(MISMATCH), { kind: "resume", runId: "r", payload: { by: "operator", reason: "go" } }];
  const b = s(held as AuditEventInput[]);
  assert.equal(b.tradingState, "reducing");
  assert.deepEqual(b.unacknowledgedReconciliations, [1]);
  // An ack naming another seq (not a waiting reconciliation) changes nothing.
  assert.equal(s([...held as AuditEventInput[], ack(2)]).tradingState, "reducing");
  const c = s([...held as AuditEventInput[], ack(1)]);
  assert.equal(c.tradingState, "active");
  assert.deepEqual(c.unacknowledgedReconciliations, []);

  // Two waiting; acking the later acknowledges both. A pause from before stays in force after the ack.
  const d = s([
    { kind: "pause", runId: "r", payload: { by: "rule", reason: "daily loss", rule: "daily_loss" } },
    reconciliation(MISMATCH),
    reconciliation(MISMATCH),
    ack(2),
  ]);
  assert.deepEqual(d.unacknowledgedReconciliations, [3]);
  assert.equal(d.tradingState, "reducing");
  const e = s([
    { kind: "pause", runId: "r", payload: { by: "rule", reason: "daily loss", rule: "daily_loss" } },
    reconciliation(MISMATCH),
    reconciliation(MISMATCH),
    ack(3),
  ]);
  assert.deepEqual(e.unacknowledgedReconciliations, []);
  assert.equal(e.tradingState, "reducing", "the pause still holds");

  const f = s([reconciliation(MISMATCH), {
    kind: "kill",
    runId: "r",
    payload: { by: "operator", reason: "x", flatten: false },
  }]);
  assert.equal(f.tradingState, "halted");
  assert.equal(
    s([
      reconciliation(MISMATCH),
      { kind: "kill", runId: "r", payload: { by: "operator", reason: "x", flatten: false } },
      ack(1),
    ]).tradingState,
    "halted",
  );
});

Deno.test("replay: order_expired ends an order and keeps its fills; a report moves no cash; feeAsset/feeAmount are ignored for cash", () => {
  const intent: AuditEventInput = {
    kind: "order_intent",
    runId: "r",
    payload: {
      clientOrderId: "b-1",
      account: "a",
      strategy: "s",
      symbol: "BTC/USDT",
      side: "buy",
      qty: 2,
      price: 100,
      reduceOnly: false,
      barTs: 0,
    },
  };
  const base: AuditEventInput[] = [
    { kind: "run_started", runId: "r", payload: { mode: "live", startingCash: 1_000 } },
    intent,
    { kind: "order_submitted", runId: "r", payload: { clientOrderId: "b-1" } },
  ];
  const partial = (extra: object): AuditEventInput => ({
    kind: "order_partially_filled",
    runId: "r",
    payload: { ...fillPayload, ts: 0, ...extra },
  });
  const expired: AuditEventInput = {
    kind: "order_expired",
    runId: "r",
    payload: { clientOrderId: "b-1", reason: "IOC" },
  };
  const plain = replay(events([...base, partial({}), expired]));
  const charged = replay(
    events([...base, partial({ feeAsset: "BNB", feeAmount: 0.00025 }), expired, reconciliation(CLEAN)]),
  );
  assert.deepEqual(plain.openOrders, []);
  assert.deepEqual(plain.positions, [{ symbol: "BTC/USDT", qty: 1, avgPrice: 100 }]);
  assert.equal(plain.cash, 1_000 - 100.1);
  // The same numbers: the fee as charged is for the exchange's balances, cash takes the quote-valued fee.
  for (const k of ["cash", "fees", "equity", "positions", "openOrders", "realizedPnl"] as const) {
    assert.deepEqual(charged[k], plain[k], k);
  }
});

Deno.test("TradingControl: answers whether an event touched it; other kinds pass through", () => {
  const c = new TradingControl();
  const [bar, mismatch, clean, ackIt, pause] = events([
    { kind: "run_stopped", runId: "r", payload: { reason: "x" } },
    reconciliation(MISMATCH),
    reconciliation(CLEAN),
    ack(2),
    { kind: "pause", runId: "r", payload: { by: "operator", reason: "x" } },
  ]);
  assert.equal(c.apply(bar!), false);
  assert.equal(c.apply(mismatch!), true);
  assert.equal(c.apply(clean!), false);
  assert.equal(c.state, "reducing", "a clean report does not acknowledge an earlier mismatch");
  assert.equal(c.apply(ackIt!), true);
  assert.equal(c.apply(ackIt!), false, "acknowledged once");
  assert.equal(c.state, "active");
  c.apply(pause!);
  assert.equal(c.commanded, "reducing");
  assert.equal(c.state, "reducing");
});
