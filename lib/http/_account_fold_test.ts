import assert from "node:assert/strict";
import { type AuditEvent, type AuditEventInput, AuditLog, replay } from "../audit/mod.ts";
import { readCsv } from "../data/read_csv.ts";
import { noLimitsRiskConfig } from "../risk/mod.ts";
import { PaperRunner, ReplayFeed } from "../runner/mod.ts";
import { smaCross } from "../strategies/mod.ts";
import { AccountFold } from "./_account_fold.ts";

/** Folds `events` one by one and compares with `replay` of the same prefix every `every` events and at the end. */
function assertSameAsReplay(events: readonly AuditEvent[], every: number): void {
  const fold = new AccountFold();
  events.forEach((e, i) => {
    fold.apply(e);
    if (i % every !== 0 && i !== events.length - 1) return;
    const r = replay(events.slice(0, i + 1));
    const at = `after seq ${e.seq} (${e.kind})`;
    assert.equal(fold.cash, r.cash, `cash ${at}`);
    assert.equal(fold.equity(), r.equity, `equity ${at}`);
    assert.equal(fold.equityPeak, r.counters.equityPeak, `peak ${at}`);
    assert.equal(fold.dailyStartEquity, r.counters.dailyStartEquity, `day start ${at}`);
    assert.equal(fold.tradingState, r.tradingState, `state ${at}`);
    assert.equal(fold.openOrders, r.openOrders.length, `open orders ${at}`);
    assert.equal(fold.lastSeq, r.lastSeq);
    assert.deepEqual(fold.positions().map(({ mark: _, ...p }) => p), r.positions, `positions ${at}`);
    assert.deepEqual(fold.waitingReconciliations, r.unacknowledgedReconciliations, `waiting ${at}`);
  });
}

Deno.test("the fold equals replay at every step of a paper replay with long and short trades (bit for bit)", async () => {
  const frame = (await readCsv(new URL("../../data/samples/BTCUSD.ohlcv.csv", import.meta.url))).frame;
  const dataDir = await Deno.makeTempDir();
  try {
    using runner = await PaperRunner.open({
      account: "f1",
      dataDir,
      sleeves: [{
        id: "s1",
        strategy: smaCross,
        params: { fast: 3, slow: 8 },
        symbol: "BTC/USD",
        options: { fee: 0.001, direction: "both" },
      }],
      risk: noLimitsRiskConfig(),
      startingCash: 10_000,
      mode: "replay",
      timeframe: "1M",
    });
    await runner.run(new ReplayFeed({ frames: { "BTC/USD": frame }, timeframe: "1M" }));
    const events = runner.log.query({ limit: 1_000_000 });
    assert.ok(events.filter((e) => e.kind === "order_filled").length > 10);
    assertSameAsReplay(events, 1);
  } finally {
    await Deno.remove(dataDir, { recursive: true });
  }
});

Deno.test("the fold equals replay through seeds, partial fills, flips, fills before any bar, days, pause/kill/resume, reconciliation/ack", async () => {
  const dataDir = await Deno.makeTempDir();
  try {
    using log = AuditLog.open({ dataDir, account: "f2" });
    const D = 86_400_000;
    const intent = (id: string, side: "buy" | "sell", qty: number) => ({
      clientOrderId: id,
      account: "f2",
      strategy: "s",
      symbol: "ETH/USDT",
      side,
      qty,
      price: 100,
      reduceOnly: false,
      barTs: 0,
    });
    const fill = (id: string, side: "buy" | "sell", qty: number, price: number, ts: number) => ({
      clientOrderId: id,
      symbol: "ETH/USDT",
      side,
      qty,
      price,
      fee: 0.07,
      ts,
    });
    const bars = (ts: number, close: number) => ({
      kind: "bars" as const,
      runId: "r",
      ts,
      payload: {
        timeframe: "1h",
        ts: ts - 3_600_000,
        bars: [{
          symbol: "ETH/USDT",
          open: close,
          high: close,
          low: close,
          close,
          volume: 1,
          dataHash: "ab".repeat(32),
        }],
      },
    });
    log.appendMany([
      {
        kind: "config_change",
        runId: "r",
        ts: 0,
        payload: { target: "account", after: { startingCash: 5_000 }, configHash: "cd".repeat(32) },
      },
      { kind: "order_intent", runId: "r", ts: 10, payload: intent("a", "buy", 3) },
      { kind: "risk_verdict", runId: "r", ts: 10, payload: { clientOrderId: "a", ok: true, code: "ok", detail: "" } },
      { kind: "order_submitted", runId: "r", ts: 10, payload: { clientOrderId: "a" } },
      { kind: "order_acknowledged", runId: "r", ts: 11, payload: { clientOrderId: "a", exchangeOrderId: "x" } },
      { kind: "order_partially_filled", runId: "r", ts: 12, payload: fill("a", "buy", 1, 101, 12) }, // before any bar
      { kind: "order_filled", runId: "r", ts: 13, payload: fill("a", "buy", 2, 99.5, 13) },
      bars(D + 5, 110),
      { kind: "run_started", runId: "r", ts: D + 6, payload: { mode: "paper", startingCash: 7_000 } }, // no second seed
      { kind: "order_intent", runId: "r", ts: D + 7, payload: intent("b", "sell", 5) },
      {
        kind: "risk_verdict",
        runId: "r",
        ts: D + 7,
        payload: { clientOrderId: "b", ok: true, code: "ok", detail: "" },
      },
      { kind: "order_filled", runId: "r", ts: D + 8, payload: fill("b", "sell", 5, 108, D + 8) }, // flip to short 2
      { kind: "order_intent", runId: "r", ts: D + 9, payload: intent("c", "buy", 1) },
      {
        kind: "risk_verdict",
        runId: "r",
        ts: D + 9,
        payload: { clientOrderId: "c", ok: false, code: "x", detail: "" },
      },
      { kind: "pause", runId: "r", ts: D + 10, payload: { by: "rule", reason: "r" } },
      { kind: "kill", runId: "r", ts: D + 11, payload: { by: "operator", reason: "r", flatten: false } },
      { kind: "pause", runId: "r", ts: D + 12, payload: { by: "operator", reason: "r" } },
      bars(2 * D + 5, 95),
      { kind: "resume", runId: "r", ts: 2 * D + 6, payload: { by: "operator", reason: "r" } },
      { kind: "order_intent", runId: "r", ts: 2 * D + 7, payload: intent("d", "buy", 2) },
      { kind: "order_submitted", runId: "r", ts: 2 * D + 7, payload: { clientOrderId: "d" } },
      { kind: "order_cancelled", runId: "r", ts: 2 * D + 8, payload: { clientOrderId: "d", reason: "x" } },
      { kind: "order_intent", runId: "r", ts: 2 * D + 9, payload: intent("e", "buy", 2) },
      { kind: "order_filled", runId: "r", ts: 2 * D + 9, payload: fill("e", "buy", 2, 96, 2 * D + 9) }, // back to flat
      bars(3 * D + 5, 120),
      { kind: "order_intent", runId: "r", ts: 3 * D + 6, payload: intent("g", "buy", 1) }, // stays open
    ]);
    // The live kinds: an expiry ends an order; a reconciliation that needs an ack holds reducing through a resume
    // until its operator_ack.
    const [rec] = log.appendMany([
      {
        kind: "reconciliation",
        runId: "r",
        ts: 3 * D + 7,
        payload: {
          trigger: "start",
          ok: false,
          needsAck: true,
          tradingState: "reducing",
          resolved: [],
          unknownOpenOrders: [],
          balanceMismatches: [{ asset: "ETH", expected: 1, actual: 1.5, diff: 0.5 }],
        },
      },
      { kind: "order_expired", runId: "r", ts: 3 * D + 8, payload: { clientOrderId: "g", reason: "IOC" } },
      { kind: "order_intent", runId: "r", ts: 3 * D + 8, payload: intent("h", "buy", 1) },
      {
        kind: "order_dry_run",
        runId: "r",
        ts: 3 * D + 8,
        payload: { clientOrderId: "h", symbol: "ETH/USDT", side: "buy", qty: 1, type: "market", reason: "dry run" },
      },
      { kind: "resume", runId: "r", ts: 3 * D + 9, payload: { by: "operator", reason: "r" } },
    ]);
    log.append({
      kind: "operator_ack",
      runId: "r",
      ts: 3 * D + 10,
      payload: { reconciliationSeq: rec!.seq, note: "n" },
    });
    assertSameAsReplay(log.query({ limit: 1_000 }), 1);
  } finally {
    await Deno.remove(dataDir, { recursive: true });
  }
});

/** Stored-event shapes without a real chain: the fold and replay read only seq, ts, kind, payload. */
function chain(inputs: AuditEventInput[]): AuditEvent[] {
  return inputs.map((e, i) =>
    ({ ...e, ts: e.ts ?? i, seq: i + 1, account: "a", prevHash: "", hash: "" }) as AuditEvent
  );
}
const baseFill = (
  kind: "order_filled" | "order_partially_filled",
  id: string,
  side: "buy" | "sell",
  qty: number,
  price: number,
  fee: number,
  charged?: [asset: string, amount: number],
): AuditEventInput => ({
  kind,
  runId: "r",
  payload: {
    clientOrderId: id,
    symbol: "BTC/USDT",
    side,
    qty,
    price,
    fee,
    ts: 0,
    ...(charged ? { feeAsset: charged[0], feeAmount: charged[1] } : {}),
  },
});
const seed10k: AuditEventInput = { kind: "run_started", runId: "r", payload: { mode: "live", startingCash: 10_000 } };
const near = (a: number, b: number, what: string): void => assert.ok(Math.abs(a - b) < 1e-9, `${what}: ${a} != ${b}`);

Deno.test("the fold: a buy's fee taken in BTC reduces the position; the exit selling what is held leaves it flat", () => {
  const fold = new AccountFold();
  const [seed, buy, sell] = chain([
    seed10k,
    baseFill("order_filled", "o1", "buy", 10, 100, 1, ["BTC", 0.01]),
    baseFill("order_filled", "o2", "sell", 9.99, 110, 1.0989, ["USDT", 1.0989]),
  ]);
  fold.apply(seed!);
  fold.apply(buy!);
  assert.equal(fold.positions().length, 1);
  near(fold.positions()[0]!.qty, 9.99, "position 10 - 0.01");
  assert.equal(fold.positions()[0]!.avgPrice, 100);
  assert.equal(fold.cash, 9_000); // the fee left as BTC, not cash
  near(fold.equity(), 9_999, "equity 9,000 + 9.99 * 100");
  fold.apply(sell!);
  assert.deepEqual(fold.positions(), []); // not the 0.01 BTC the lab used to show
  near(fold.cash, 10_097.8011, "cash 9,000 + 1,098.9 - 1.0989");
  assert.equal(fold.equity(), fold.cash);
});

Deno.test("the fold: a fee in BNB is paid from cash as `fee`, as a fill without feeAsset", () => {
  const fold = new AccountFold();
  for (const e of chain([seed10k, baseFill("order_filled", "o1", "buy", 10, 100, 1, ["BNB", 0.0031])])) fold.apply(e);
  assert.deepEqual(fold.positions(), [{ symbol: "BTC/USDT", qty: 10, avgPrice: 100, mark: 100 }]);
  assert.equal(fold.cash, 8_999);
  assert.equal(fold.equity(), 9_999);
});

Deno.test("the fold equals replay through fees taken in BTC, USDT and BNB: partial fills, exits to flat, a flip", () => {
  const intent = (id: string, side: "buy" | "sell", qty: number): AuditEventInput => ({
    kind: "order_intent",
    runId: "r",
    payload: {
      clientOrderId: id,
      account: "a",
      strategy: "s",
      symbol: "BTC/USDT",
      side,
      qty,
      price: 100,
      reduceOnly: false,
      barTs: 0,
    },
  });
  const bar = (close: number): AuditEventInput => ({
    kind: "bar",
    runId: "r",
    payload: {
      symbol: "BTC/USDT",
      timeframe: "1m",
      ts: 0,
      open: close,
      high: close,
      low: close,
      close,
      volume: 1,
      dataHash: "ab".repeat(32),
    },
  });
  const events = chain([
    seed10k,
    intent("o1", "buy", 10),
    baseFill("order_partially_filled", "o1", "buy", 4, 100, 0.4, ["BTC", 0.004]), // before any bar
    baseFill("order_filled", "o1", "buy", 6, 101, 0.606, ["BTC", 0.006]),
    bar(105),
    intent("o2", "sell", 9.99),
    baseFill("order_partially_filled", "o2", "sell", 5, 110, 0.55, ["USDT", 0.55]),
    baseFill("order_filled", "o2", "sell", 4.99, 110, 0.5489, ["USDT", 0.5489]), // flat
    bar(99.3),
    baseFill("order_filled", "o3", "buy", 0.3, 99.3, 0.02979, ["BTC", 0.0003]),
    baseFill("order_filled", "o4", "buy", 0.7, 99.1, 0.06937, ["BNB", 0.0001]),
    baseFill("order_filled", "o5", "sell", 1.5, 98.7, 0.14805, ["USDT", 0.14805]), // flips to short
    bar(97.2),
    baseFill("order_filled", "o6", "buy", 0.5, 97.2, 0.0486), // covers the short, no feeAsset
    baseFill("order_filled", "o7", "buy", 0.1, 96.4, 0.00964, ["BTC", 0.0001]),
    bar(101.7),
  ]);
  assertSameAsReplay(events, 1);
  const r = replay(events);
  assert.equal(r.positions.length, 1); // long a little after the last buy, net of its BTC fee
  near(r.equity - r.startingCash, r.realizedPnl + r.unrealizedPnl - r.fees, "P&L identity");
});
