import assert from "node:assert/strict";
import { startFakeExchange } from "../testing/mod.ts";
import type { BrokerOrderStatus, BrokerTrade, OrderUpdate } from "./broker.ts";
import { CcxtBroker } from "./ccxt_broker.ts";
import { type ExchangeView, gatherReconcile, type LogEvent, logViewOf, reconcile } from "./reconcile.ts";

const KEY = "PLANTED-KEY-reconcile-01";
const SECRET = "PLANTED-SECRET-reconcile-01";
const BTC = "BTC/USDT";

function order(over: Partial<BrokerOrderStatus>): BrokerOrderStatus {
  return {
    clientOrderId: "a-1",
    exchangeClientId: "a-1",
    exchangeOrderId: "1",
    symbol: BTC,
    side: "buy",
    type: "limit",
    qty: 1,
    filled: 0,
    avgPrice: 0,
    state: "acknowledged",
    updatedAt: 0,
    ...over,
  };
}

function trade(id: string, orderId: string, qty: number, price: number): BrokerTrade {
  return {
    id,
    exchangeOrderId: orderId,
    symbol: BTC,
    side: "buy",
    qty,
    price,
    fee: qty * price * 0.001,
    feeAsset: "USDT",
    feeAmount: qty * price * 0.001,
    ts: Number(id),
  };
}

const bal = (total: number) => ({ free: total, locked: 0, total });

Deno.test("reconcile: an unresolved order is filled, open, never arrived or pending by its lookup and its window", () => {
  const view: ExchangeView = {
    lookups: {
      "f-1": order({ clientOrderId: "f-1", exchangeOrderId: "11", state: "filled", filled: 0.5, qty: 0.5 }),
      "o-1": order({ clientOrderId: "o-1", exchangeOrderId: "12", qty: 1 }),
      "n-1": null,
      "p-1": null,
    },
    lookedUpAt: 10_000,
    openOrders: [order({ clientOrderId: "o-1", exchangeOrderId: "12", qty: 1 })],
    balances: { USDT: bal(950 - 0.05), BTC: bal(0.5) },
    trades: [trade("1", "11", 0.2, 100), trade("2", "11", 0.3, 100)],
  };
  const r = reconcile(
    {
      unresolved: [
        { clientOrderId: "f-1", symbol: BTC, stamp: 1_000 },
        { clientOrderId: "o-1", symbol: BTC, stamp: 1_000 },
        { clientOrderId: "n-1", symbol: BTC, stamp: 3_000 }, // 3000 + 6000 < 10000: closed
        { clientOrderId: "p-1", symbol: BTC, stamp: 5_000 }, // 5000 + 6000 > 10000: still open
      ],
      open: [],
      holdings: { USDT: 1_000 },
    },
    view,
    { resolveDelayMs: 6_000 },
  );
  assert.deepEqual(r.orders.map((o) => `${o.clientOrderId} ${o.outcome}`), [
    "f-1 filled",
    "o-1 open",
    "n-1 never_arrived",
    "p-1 pending",
  ]);
  const f = r.orders[0]!;
  assert.ok(f.outcome === "filled");
  assert.deepEqual(f.newFills.map((t) => t.id), ["1", "2"]);
  assert.equal(r.ok, true, r.messages.join("\n"));
  assert.equal(r.tradingState, "active");
  assert.match(r.messages[0]!, /p-1: not at the exchange yet.*do not send it before/);
});

Deno.test("reconcile: an unknown open order, a balance mismatch and a lost order put the account in reducing", () => {
  const base = { lookups: {}, lookedUpAt: 0, trades: [] };
  const unknown = reconcile({ unresolved: [], open: [], holdings: { USDT: 1_000 } }, {
    ...base,
    openOrders: [order({ clientOrderId: "manual-7", exchangeClientId: "manual-7", exchangeOrderId: "99" })],
    balances: { USDT: bal(1_000) },
  }, { resolveDelayMs: 0 });
  assert.equal(unknown.ok, false);
  assert.equal(unknown.tradingState, "reducing");
  assert.equal(unknown.needsAck, true);
  assert.deepEqual(unknown.unknownOpenOrders.map((o) => o.exchangeOrderId), ["99"]);
  assert.match(unknown.messages.join("\n"), /manual-7.*not in the log: cancel it at the exchange or acknowledge it/);
  assert.match(unknown.messages.at(-1)!, /reducing until an operator acknowledges/);

  const mismatch = reconcile({ unresolved: [], open: [], holdings: { USDT: 1_000, BTC: 0.5 } }, {
    ...base,
    openOrders: [],
    balances: { USDT: bal(1_000), BTC: bal(0.4), ETH: bal(2) },
  }, { resolveDelayMs: 0 });
  assert.equal(mismatch.tradingState, "reducing");
  assert.deepEqual(mismatch.balanceMismatches, [
    { asset: "BTC", expected: 0.5, actual: 0.4, diff: -0.1 },
    { asset: "ETH", expected: 0, actual: 2, diff: 2 },
  ]);
  // Within the tolerance is equal.
  const near = reconcile({ unresolved: [], open: [], holdings: { USDT: 1_000 } }, {
    ...base,
    openOrders: [],
    balances: { USDT: bal(1_000 + 5e-9) },
  }, { resolveDelayMs: 0 });
  assert.equal(near.ok, true);

  const lost = reconcile({ unresolved: [], open: [{ clientOrderId: "o-9", symbol: BTC, filled: 0 }], holdings: {} }, {
    ...base,
    lookups: { "o-9": null },
    openOrders: [],
    balances: {},
  }, { resolveDelayMs: 0 });
  assert.deepEqual(lost.orders, [{ clientOrderId: "o-9", outcome: "missing" }]);
  assert.equal(lost.tradingState, "reducing");
  assert.throws(() =>
    reconcile({ unresolved: [], open: [], holdings: {} }, { ...base, openOrders: [], balances: {} }, {
      resolveDelayMs: NaN,
    }), RangeError);
});

Deno.test("reconcile: a known open order's fills beyond those in the log are new, and counted into the balances", () => {
  const r = reconcile({
    unresolved: [],
    open: [{ clientOrderId: "o-1", symbol: BTC, filled: 0.2 }],
    holdings: { USDT: 1_000 - 20 - 0.02, BTC: 0.2 },
  }, {
    lookups: { "o-1": order({ clientOrderId: "o-1", exchangeOrderId: "5", state: "cancelled", filled: 0.5 }) },
    lookedUpAt: 0,
    openOrders: [],
    balances: { USDT: bal(1_000 - 50 - 0.05), BTC: bal(0.5) },
    trades: [trade("1", "5", 0.2, 100), trade("2", "5", 0.3, 100), trade("3", "6", 1, 100)],
  }, { resolveDelayMs: 0 });
  const o = r.orders[0]!;
  assert.ok(o.outcome === "cancelled");
  assert.deepEqual(o.newFills.map((t) => t.id), ["2"]);
  assert.equal(r.ok, true, r.messages.join("\n"));
});

Deno.test("logViewOf: attempts, acknowledgements, partial fills and ends; fees out of the asset received", () => {
  const fill = (id: string, side: "buy" | "sell", qty: number, price: number) => ({
    clientOrderId: id,
    symbol: BTC,
    side,
    qty,
    price,
    fee: qty * price * 0.001,
    ts: 1,
  });
  const events: LogEvent[] = [
    {
      kind: "order_intent",
      ts: 1,
      payload: {
        clientOrderId: "s-1",
        account: "acct",
        strategy: "x",
        symbol: BTC,
        side: "buy",
        qty: 1,
        price: 100,
        type: "market",
        reduceOnly: false,
        barTs: 0,
      },
    },
    { kind: "order_submitted", ts: 2, payload: { clientOrderId: "s-1" } },
    { kind: "order_submitted", ts: 9, payload: { clientOrderId: "s-1" } }, // a second attempt
    { kind: "order_submitted", ts: 3, payload: { clientOrderId: "b-1" } },
    { kind: "order_acknowledged", ts: 4, payload: { clientOrderId: "b-1", exchangeOrderId: "1" } },
    { kind: "order_filled", ts: 5, payload: fill("b-1", "buy", 1, 100) },
    { kind: "order_submitted", ts: 6, payload: { clientOrderId: "c-1" } },
    { kind: "order_partially_filled", ts: 7, payload: fill("c-1", "sell", 0.25, 120) },
    { kind: "order_submitted", ts: 8, payload: { clientOrderId: "r-1" } },
    { kind: "order_rejected", ts: 8, payload: { clientOrderId: "r-1", reason: "-2010 insufficient balance" } },
  ];
  const v = logViewOf(events, { start: { USDT: 1_000 } });
  assert.deepEqual(v.unresolved, [{ clientOrderId: "s-1", symbol: BTC, stamp: 9 }]);
  assert.deepEqual(v.open, [{ clientOrderId: "c-1", symbol: BTC, filled: 0.25 }]);
  assert.deepEqual(v.holdings, { USDT: 1_000 - 100 + 30 - 0.03, BTC: 1 - 0.001 - 0.25 });
  const q = logViewOf(events, { start: { USDT: 1_000 }, fees: "quote" });
  assert.deepEqual(q.holdings, { USDT: 1_000 - 100 - 0.1 + 30 - 0.03, BTC: 0.75 });
});

Deno.test("logViewOf: a dry run ends its intent: never unresolved nor open, so no reconciliation looks it up", async () => {
  const intent = {
    clientOrderId: "d-1",
    account: "acct",
    strategy: "x",
    symbol: BTC,
    side: "buy" as const,
    qty: 1,
    price: 100,
    type: "market" as const,
    reduceOnly: false,
    barTs: 0,
  };
  const events: LogEvent[] = [
    { kind: "order_intent", ts: 1, payload: intent },
    { kind: "risk_verdict", ts: 1, payload: { clientOrderId: "d-1", ok: true, code: "ok", detail: "" } },
    {
      kind: "order_dry_run",
      ts: 2,
      payload: {
        clientOrderId: "d-1",
        symbol: BTC,
        side: "buy",
        qty: 1,
        type: "market",
        price: 100,
        reason: "dry run: the account is not armed",
      },
    },
  ];
  const v = logViewOf(events, { start: { USDT: 1_000 } });
  assert.deepEqual(v, { unresolved: [], open: [], holdings: { USDT: 1_000 } });
  const asked: string[] = [];
  const broker = {
    resolveDelayMs: 0,
    lookup: (_symbol: string, id: string) => {
      asked.push(id);
      return Promise.resolve(undefined);
    },
    openOrders: () => Promise.resolve([]),
    balances: () => Promise.resolve({ USDT: { free: 1_000, locked: 0, total: 1_000 } }),
    recentTrades: () => Promise.resolve([]),
  };
  const report = await gatherReconcile(broker as unknown as Parameters<typeof gatherReconcile>[0], v);
  assert.deepEqual(asked, []);
  assert.deepEqual(report.orders, []);
  assert.equal(report.ok, true);
});

Deno.test("logViewOf: a fill with feeAsset/feeAmount takes the fee as charged (BNB), whatever the fees option", () => {
  const fill = { clientOrderId: "b-1", symbol: BTC, qty: 1, price: 100, fee: 0.075, ts: 1 };
  const events: LogEvent[] = [
    { kind: "order_submitted", ts: 1, payload: { clientOrderId: "b-1" } },
    { kind: "order_filled", ts: 2, payload: { ...fill, side: "buy", feeAsset: "BNB", feeAmount: 0.00025 } },
    { kind: "order_submitted", ts: 3, payload: { clientOrderId: "s-1" } },
    {
      kind: "order_filled",
      ts: 4,
      payload: {
        ...fill,
        clientOrderId: "s-1",
        side: "sell",
        qty: 0.5,
        price: 110,
        feeAsset: "BNB",
        feeAmount: 0.0002,
      },
    },
    // No fee fields: the fees option still decides (received: a buy's fee out of the base asset).
    { kind: "order_submitted", ts: 5, payload: { clientOrderId: "b-2" } },
    { kind: "order_filled", ts: 6, payload: { ...fill, clientOrderId: "b-2", side: "buy", qty: 0.1, fee: 0.01 } },
  ];
  const expected = { USDT: 1_000 - 100 + 55 - 10, BTC: 1 - 0.5 + 0.1 - 0.0001, BNB: 1 - 0.00045 };
  assert.deepEqual(logViewOf(events, { start: { USDT: 1_000, BNB: 1 } }).holdings, expected);
  const q = logViewOf(events, { start: { USDT: 1_000, BNB: 1 }, fees: "quote" });
  assert.deepEqual(q.holdings, { ...expected, USDT: 1_000 - 100 + 55 - 10 - 0.01, BTC: 0.6 });
});

Deno.test("gatherReconcile against the fake: a crash before the outcome, an unknown open order, a balance mismatch", async () => {
  const fake = await startFakeExchange({
    symbols: [BTC],
    prices: { [BTC]: 100 },
    account: { apiKey: KEY, secret: SECRET, balances: { USDT: 1_000, BTC: 2 }, fillParts: 2 },
  });
  const open = () =>
    CcxtBroker.open({
      exchange: "binance",
      apiUrl: fake.url,
      credentials: { apiKey: KEY, secret: SECRET },
      recvWindowMs: 300,
      skewMarginMs: 50,
      timeoutMs: 500,
    });
  const before = await open();
  const after = await open();
  try {
    // The crashed process: its log holds the submits and the first fill of a limit order, nothing of the market.
    const events: LogEvent[] = [];
    const log = (e: LogEvent) => void events.push(e);
    const m = await before.submit({ clientOrderId: "acct-m-1", symbol: BTC, side: "buy", type: "market", qty: 2 }, {
      beforeAttempt: (a) => log({ kind: "order_submitted", ts: a.stamp, payload: { clientOrderId: "acct-m-1" } }),
    });
    assert.equal(m.status, "sent");
    await before.submit({ clientOrderId: "acct-l-1", symbol: BTC, side: "sell", type: "limit", qty: 1, price: 105 }, {
      beforeAttempt: (a) => log({ kind: "order_submitted", ts: a.stamp, payload: { clientOrderId: "acct-l-1" } }),
    });
    const toEvent = (u: OrderUpdate): LogEvent | undefined =>
      u.kind === "acknowledged"
        ? {
          kind: "order_acknowledged",
          ts: u.ts,
          payload: { clientOrderId: u.clientOrderId, exchangeOrderId: u.exchangeOrderId },
        }
        : u.kind === "partially_filled" || u.kind === "filled"
        ? {
          kind: u.kind === "filled" ? "order_filled" : "order_partially_filled",
          ts: u.ts,
          payload: {
            clientOrderId: u.clientOrderId,
            symbol: u.symbol,
            side: u.trade.side,
            qty: u.trade.qty,
            price: u.trade.price,
            fee: u.trade.fee,
            ts: u.ts,
          },
        }
        : undefined;
    fake.setPrice(BTC, 105); // the limit fills half
    // The crash: only the limit order's updates reached the log; the market order's never did.
    for (const u of await before.poll()) if (u.clientOrderId === "acct-l-1") events.push(toEvent(u)!);
    fake.setPrice(BTC, 106); // the rest fills while nobody is running
    // And an intent whose send never left (stamped, then the process died).
    events.push({ kind: "order_submitted", ts: Date.now(), payload: { clientOrderId: "acct-n-1" } });
    const view = logViewOf(events, { start: { USDT: 1_000, BTC: 2 } });
    assert.deepEqual(view.unresolved.map((u) => u.clientOrderId), ["acct-m-1", "acct-n-1"]);
    assert.deepEqual(view.open.map((o) => [o.clientOrderId, o.filled]), [["acct-l-1", 0.5]]);
    for (const u of view.unresolved) u.symbol = BTC; // the runner knows each intent's symbol from order_intent

    const t0 = Date.now();
    const report = await gatherReconcile(after, view);
    assert.ok(Date.now() - t0 >= 300, "waited for acct-n-1's window to close");
    assert.deepEqual(report.orders.map((o) => `${o.clientOrderId} ${o.outcome}`), [
      "acct-m-1 filled",
      "acct-n-1 never_arrived",
      "acct-l-1 filled",
    ]);
    const l = report.orders[2]!;
    assert.ok(l.outcome === "filled");
    assert.deepEqual(l.newFills.map((t) => t.qty), [0.5]);
    assert.equal(report.ok, true, report.messages.join("\n"));
    assert.equal(fake.orders.length, 2); // reconciliation sends nothing

    // Someone trades on the account by hand: an open order the log does not know, and USDT gone.
    await before.submit({ clientOrderId: "manual-1", symbol: BTC, side: "buy", type: "limit", qty: 1, price: 50 });
    const after2 = reconcile(
      { ...view, unresolved: [], open: [] },
      {
        lookups: {},
        lookedUpAt: Date.now(),
        openOrders: await after.openOrders(),
        balances: await after.balances(),
        trades: [],
      },
      { resolveDelayMs: after.resolveDelayMs },
    );
    assert.equal(after2.tradingState, "reducing");
    assert.deepEqual(after2.unknownOpenOrders.map((o) => o.clientOrderId), ["manual-1"]);
    assert.ok(after2.balanceMismatches.length > 0); // the log's holdings miss the fills of the earlier orders
    fake.setBalance("USDT", 1);
    const r3 = await gatherReconcile(after, { unresolved: [], open: [], holdings: { USDT: 1_000 } });
    assert.equal(r3.needsAck, true);
    assert.ok(r3.balanceMismatches.some((b) => b.asset === "USDT"));
    const text = JSON.stringify([report, after2, r3]);
    assert.ok(!text.includes(KEY) && !text.includes(SECRET));
    assert.equal(fake.orders.length, 3);
  } finally {
    await before.close();
    await after.close();
    await fake.close();
  }
});

Deno.test("gatherReconcile against the fake: after a session paying fees in BNB, the balances (BNB too) agree", async () => {
  const start = { USDT: 1_000, BTC: 0.02, BNB: 0.01 };
  const fake = await startFakeExchange({
    symbols: [BTC, "BNB/USDT"],
    prices: { [BTC]: 60_000, "BNB/USDT": 600 },
    account: {
      apiKey: KEY,
      secret: SECRET,
      balances: start,
      feeAsset: "BNB",
      feeAssetDiscount: 0.25,
      fillParts: (o) => (o.type === "LIMIT" ? 2 : 1),
    },
  });
  const open = () =>
    CcxtBroker.open({
      exchange: "binance",
      apiUrl: fake.url,
      credentials: { apiKey: KEY, secret: SECRET },
      recvWindowMs: 300,
      skewMarginMs: 50,
      timeoutMs: 500,
    });
  const before = await open();
  const after = await open();
  try {
    const events: LogEvent[] = [];
    const submitted = (id: string) => ({
      beforeAttempt: (a: { stamp: number }) =>
        void events.push({ kind: "order_submitted", ts: a.stamp, payload: { clientOrderId: id } }),
    });
    const logged = (u: OrderUpdate): void => {
      if (u.kind === "acknowledged") {
        events.push({
          kind: "order_acknowledged",
          ts: u.ts,
          payload: { clientOrderId: u.clientOrderId, exchangeOrderId: u.exchangeOrderId },
        });
      } else if (u.kind === "partially_filled" || u.kind === "filled") {
        const t = u.trade;
        events.push({
          kind: u.kind === "filled" ? "order_filled" : "order_partially_filled",
          ts: u.ts,
          payload: {
            clientOrderId: u.clientOrderId,
            symbol: u.symbol,
            side: t.side,
            qty: t.qty,
            price: t.price,
            fee: t.fee,
            feeAsset: t.feeAsset,
            feeAmount: t.feeAmount,
            ts: u.ts,
          },
        });
      }
    };
    // A whole buy, logged; a limit sell logged after its first half; a market buy whose outcome never reached the log.
    await before.submit(
      { clientOrderId: "bnb-m-1", symbol: BTC, side: "buy", type: "market", qty: 0.01 },
      submitted("bnb-m-1"),
    );
    for (const u of await before.poll()) logged(u);
    await before.submit(
      { clientOrderId: "bnb-l-1", symbol: BTC, side: "sell", type: "limit", qty: 0.02, price: 61_000 },
      submitted("bnb-l-1"),
    );
    fake.setPrice(BTC, 61_000);
    for (const u of await before.poll()) logged(u);
    await before.submit(
      { clientOrderId: "bnb-m-2", symbol: BTC, side: "buy", type: "market", qty: 0.005 },
      submitted("bnb-m-2"),
    );
    fake.setPrice(BTC, 61_500); // the limit's second half fills while nobody is running
    assert.deepEqual(fake.fills.map((f) => f.commissionAsset), ["BNB", "BNB", "BNB", "BNB"]);

    const view = logViewOf(events, { start });
    for (const u of view.unresolved) u.symbol = BTC;
    assert.deepEqual(view.unresolved.map((u) => u.clientOrderId), ["bnb-m-2"]);
    assert.deepEqual(view.open, [{ clientOrderId: "bnb-l-1", symbol: BTC, filled: 0.01 }]);
    const paid = fake.fills.slice(0, 2).reduce((s, f) => s + f.commission, 0);
    assert.ok(Math.abs(view.holdings.BNB! - (0.01 - paid)) < 1e-12); // the log's BNB: start less the fees it holds

    const report = await gatherReconcile(after, view);
    assert.deepEqual(report.orders.map((o) => `${o.clientOrderId} ${o.outcome}`), [
      "bnb-m-2 filled",
      "bnb-l-1 filled",
    ]);
    const newFees = report.orders.flatMap((o) => "newFills" in o ? o.newFills.map((t) => t.feeAsset) : []);
    assert.deepEqual(newFees, ["BNB", "BNB"]);
    assert.deepEqual(report.balanceMismatches, []);
    assert.equal(report.ok, true, report.messages.join("\n"));
    const bnb = fake.balances.BNB!;
    assert.ok(bnb.free < 0.01 - paid); // the fills found by the reconciliation paid BNB too, and it was counted

    // A BNB fee the log does not know (the fake charged more than the log says) is a BNB mismatch.
    fake.setBalance("BNB", bnb.free - 0.0001);
    const off = await gatherReconcile(after, view);
    assert.deepEqual(off.balanceMismatches.map((m) => [m.asset, m.diff]), [["BNB", -0.0001]]);
  } finally {
    await before.close();
    await after.close();
    await fake.close();
  }
});
