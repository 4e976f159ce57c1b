import assert from "node:assert/strict";
import { AUDIT_KINDS, type AuditEvent, type AuditEventInput, AuditEventInputSchema } from "./audit_event.ts";
import { replay } from "./replay.ts";
import { HASH_A } from "./_test_events.ts";

const DAY = 86_400_000;

/** Stored-event shapes without a real chain: replay reads only seq, ts, kind, payload. */
function events(inputs: AuditEventInput[]): AuditEvent[] {
  return inputs.map((e, i) =>
    ({ ...e, ts: e.ts ?? i, seq: i + 1, account: "a", prevHash: "", hash: "" }) as AuditEvent
  );
}
const close = (a: number, b: number, what: string): void => assert.ok(Math.abs(a - b) < 1e-9, `${what}: ${a} != ${b}`);
const fill = (
  kind: "order_filled" | "order_partially_filled",
  id: string,
  side: "buy" | "sell",
  qty: number,
  price: number,
  fee: number,
  ts = 0,
  symbol = "BTC/USDT",
): AuditEventInput => ({ kind, runId: "r", ts, payload: { clientOrderId: id, symbol, side, qty, price, fee, ts } });
const bar = (closePrice: number, ts = 0, symbol = "BTC/USDT"): AuditEventInput => ({
  kind: "bar",
  runId: "r",
  ts,
  payload: {
    symbol,
    timeframe: "1m",
    ts,
    open: closePrice,
    high: closePrice,
    low: closePrice,
    close: closePrice,
    volume: 1,
    dataHash: HASH_A,
  },
});
const intent = (id: string, side: "buy" | "sell", qty: number, price: number, ts = 0): AuditEventInput => ({
  kind: "order_intent",
  runId: "r",
  ts,
  payload: {
    clientOrderId: id,
    account: "a",
    strategy: "s",
    symbol: "BTC/USDT",
    side,
    qty,
    price,
    reduceOnly: false,
    barTs: ts,
  },
});

Deno.test("replay: buy in three partial fills, mark at the bar close, sell part: cash, avg, P&L, fees, equity", () => {
  const s = replay(events([
    { kind: "run_started", runId: "r", payload: { mode: "paper", startingCash: 10_000 } },
    bar(100),
    intent("o1", "buy", 3, 100),
    { kind: "risk_verdict", runId: "r", payload: { clientOrderId: "o1", ok: true, code: "ok", detail: "" } },
    { kind: "order_submitted", runId: "r", payload: { clientOrderId: "o1" } },
    { kind: "order_acknowledged", runId: "r", payload: { clientOrderId: "o1", exchangeOrderId: "x1" } },
    fill("order_partially_filled", "o1", "buy", 1, 100, 0.1),
    fill("order_partially_filled", "o1", "buy", 1, 101, 0.1),
  ]));
  assert.equal(s.openOrders.length, 1);
  assert.equal(s.openOrders[0]!.status, "partially_filled");
  assert.equal(s.openOrders[0]!.filledQty, 2);
  assert.equal(s.openOrders[0]!.exchangeOrderId, "x1");

  const t = replay(events([
    { kind: "run_started", runId: "r", payload: { mode: "paper", startingCash: 10_000 } },
    bar(100),
    intent("o1", "buy", 3, 100),
    fill("order_partially_filled", "o1", "buy", 1, 100, 0.1),
    fill("order_partially_filled", "o1", "buy", 1, 101, 0.1),
    fill("order_filled", "o1", "buy", 1, 102, 0.1),
    bar(110),
    fill("order_filled", "o2", "sell", 2, 110, 0.2),
  ]));
  assert.deepEqual(t.openOrders, []);
  assert.equal(t.positions.length, 1);
  assert.equal(t.positions[0]!.qty, 1);
  close(t.positions[0]!.avgPrice, 101, "avg price (100 + 101 + 102) / 3");
  close(t.cash, 10_000 - 303.3 + 219.8, "cash");
  close(t.fees, 0.5, "fees");
  close(t.realizedPnl, 18, "realized (110 - 101) * 2");
  close(t.unrealizedPnl, 9, "unrealized (110 - 101) * 1");
  close(t.equity, 10_026.5, "equity = cash + 1 * 110");
  close(t.equity - t.startingCash, t.realizedPnl + t.unrealizedPnl - t.fees, "P&L identity");
  close(t.counters.equityPeak, 10_026.7, "peak: after the bar at 110, before the sell's fee");
  assert.equal(t.marks["BTC/USDT"], 110);
});

Deno.test("replay: short, flip to long, close at a loss; consecutive losses count closed trades net of fees", () => {
  const s = replay(events([
    {
      kind: "config_change",
      runId: "r",
      payload: { target: "account", after: { startingCash: 1_000 }, configHash: HASH_A },
    },
    fill("order_filled", "o1", "sell", 2, 50, 1),
    fill("order_filled", "o2", "buy", 5, 40, 2), // closes the short (+20), flips to +3 at 40
  ]));
  assert.deepEqual(s.positions, [{ symbol: "BTC/USDT", qty: 3, avgPrice: 40 }]);
  close(s.cash, 1_000 + 99 - 202, "cash");
  close(s.realizedPnl, 20, "realized on the short");
  assert.equal(s.counters.consecutiveLosses, 0); // the short made 20 - 1 - 0.8 in fees

  const t = replay(events([
    {
      kind: "config_change",
      runId: "r",
      payload: { target: "account", after: { startingCash: 1_000 }, configHash: HASH_A },
    },
    fill("order_filled", "o1", "sell", 2, 50, 1),
    fill("order_filled", "o2", "buy", 5, 40, 2),
    fill("order_filled", "o3", "sell", 3, 38, 1, 5_000), // the long loses 6 + fees
    fill("order_filled", "o4", "buy", 1, 40, 0, 6_000),
    fill("order_filled", "o5", "sell", 1, 39, 0, 7_000),
  ]));
  assert.deepEqual(t.positions, []);
  close(t.realizedPnl, 20 - 6 - 1, "realized");
  close(t.fees, 4, "fees");
  close(t.cash, 1_000 + 13 - 4, "cash");
  close(t.equity, t.cash, "flat: equity is cash");
  assert.equal(t.counters.consecutiveLosses, 2);
  assert.deepEqual(t.counters.lastTradeTs, { "BTC/USDT": 7_000 });
  assert.equal(t.startingCash, 1_000);
});

Deno.test("replay: fractional quantities that sum to zero leave the position flat", () => {
  const t = replay(
    events([
      fill("order_filled", "o1", "buy", 0.1, 10, 0),
      fill("order_filled", "o2", "buy", 0.2, 10, 0),
      fill("order_filled", "o3", "sell", 0.3, 12, 0),
    ]),
    { startingCash: 100 },
  );
  assert.deepEqual(t.positions, []);
  close(t.realizedPnl, 0.6, "realized");
  // Dust within 1e-9 relative is flat (as lib/risk's recordFill); more than that is a position.
  const dust = replay(
    events([fill("order_filled", "o1", "buy", 1, 10, 0), fill("order_filled", "o2", "sell", 1 - 5e-10, 10, 0)]),
  );
  assert.deepEqual(dust.positions, []);
  const rest = replay(
    events([fill("order_filled", "o1", "buy", 1, 10, 0), fill("order_filled", "o2", "sell", 1 - 5e-9, 10, 0)]),
  );
  assert.equal(rest.positions.length, 1);
});

Deno.test("replay: open orders: denied, rejected and cancelled intents are final; submitted and acknowledged stay open", () => {
  const s = replay(events([
    intent("deny", "buy", 1, 10),
    {
      kind: "risk_verdict",
      runId: "r",
      payload: { clientOrderId: "deny", ok: false, code: "max_pos", level: "warning", detail: "" },
    },
    intent("rej", "buy", 1, 10),
    { kind: "order_submitted", runId: "r", payload: { clientOrderId: "rej" } },
    { kind: "order_rejected", runId: "r", payload: { clientOrderId: "rej", reason: "insufficient funds" } },
    intent("can", "buy", 1, 10),
    { kind: "order_cancelled", runId: "r", payload: { clientOrderId: "can", reason: "stale" } },
    intent("sub", "buy", 1, 10),
    { kind: "order_submitted", runId: "r", payload: { clientOrderId: "sub" } },
    intent("ack", "sell", 2, 10),
    { kind: "order_acknowledged", runId: "r", payload: { clientOrderId: "ack", exchangeOrderId: "x" } },
    intent("new", "buy", 1, 10),
  ]));
  assert.deepEqual(s.openOrders.map((o) => [o.clientOrderId, o.status]), [
    ["sub", "submitted"],
    ["ack", "acknowledged"],
    ["new", "intent"],
  ]);
  assert.equal(s.counters.ordersToday, 2);
  assert.deepEqual(s.counters.lastOrderTs, { "BTC/USDT": 8 }); // seq 9 "sub" submitted at ts 8
});

Deno.test("replay: a dry run ends its intent without being an order: no open order, no order of the day, cash as is", () => {
  const dryRun = (id: string, side: "buy" | "sell"): AuditEventInput => ({
    kind: "order_dry_run",
    runId: "r",
    payload: {
      clientOrderId: id,
      symbol: "BTC/USDT",
      side,
      qty: 1,
      type: "market",
      price: 10,
      reason: "dry run: the account is not armed",
    },
  });
  const ok = (id: string): AuditEventInput => ({
    kind: "risk_verdict",
    runId: "r",
    payload: { clientOrderId: id, ok: true, code: "ok", detail: "" },
  });
  const s = replay(events([
    { kind: "run_started", runId: "r", payload: { mode: "live", startingCash: 1_000 } },
    intent("d1", "buy", 1, 10),
    ok("d1"),
    dryRun("d1", "buy"),
    intent("d2", "sell", 1, 10),
    ok("d2"),
    dryRun("d2", "sell"),
  ]));
  assert.deepEqual(s.openOrders, []);
  assert.equal(s.counters.ordersToday, 0);
  assert.deepEqual(s.counters.lastOrderTs, {});
  assert.equal(s.cash, 1_000);
  assert.deepEqual(s.positions, []);
  assert.equal(s.tradingState, "active");
});

Deno.test("order_dry_run's payload is strict: what would have been sent, and nothing else", () => {
  const base = { clientOrderId: "d1", symbol: "BTC/USDT", side: "buy", qty: 1, type: "market", reason: "dry run" };
  const parse = (payload: unknown) => AuditEventInputSchema.safeParse({ kind: "order_dry_run", runId: "r", payload });
  assert.equal(parse(base).success, true);
  assert.equal(parse({ ...base, price: 10 }).success, true);
  assert.deepEqual(parse({ ...base, qty: 0 }).error?.issues[0]?.path, ["payload", "qty"]);
  assert.deepEqual(parse({ ...base, side: undefined }).error?.issues[0]?.path, ["payload", "side"]);
  assert.equal(parse({ ...base, apiKey: "k" }).success, false);
  assert.ok(AUDIT_KINDS.includes("order_dry_run"));
});

Deno.test("replay: trading state: pause -> reducing, kill -> halted, a pause does not lift a kill, resume -> active", () => {
  const state = (kinds: ("pause" | "resume" | "kill")[]): string =>
    replay(
      events(kinds.map((k): AuditEventInput =>
        k === "kill"
          ? { kind: "kill", runId: "r", payload: { by: "operator", reason: "x", flatten: false } }
          : { kind: k, runId: "r", payload: { by: "operator", reason: "x" } }
      )),
    ).tradingState;
  assert.equal(state([]), "active");
  assert.equal(state(["pause"]), "reducing");
  assert.equal(state(["pause", "resume"]), "active");
  assert.equal(state(["kill", "pause"]), "halted");
  assert.equal(state(["kill", "resume"]), "active");
});

Deno.test("replay: daily counters reset on a new UTC day; recent order times cover the last 24 hours", () => {
  const d1 = 20_000 * DAY;
  const sub = (id: string, ts: number): AuditEventInput => ({
    kind: "order_submitted",
    runId: "r",
    ts,
    payload: { clientOrderId: id },
  });
  const s = replay(events([
    { kind: "run_started", runId: "r", ts: d1, payload: { mode: "paper", startingCash: 1_000 } },
    sub("z", d1 + 5), // more than 24 hours before the last event
    sub("a", d1 + 1_000),
    fill("order_filled", "a", "buy", 1, 100, 0, d1 + 1_000),
    bar(120, d1 + 2_000),
    sub("b", d1 + 20 * 3_600_000),
    bar(90, d1 + DAY + 5),
    sub("c", d1 + DAY + 10),
  ]));
  assert.equal(s.counters.ordersToday, 1);
  assert.equal(s.counters.dayStart, d1 + DAY);
  assert.equal(s.counters.dailyStartEquity, 1_020); // marked at 120 when day 2 began
  assert.equal(s.counters.equityPeak, 1_020);
  close(s.equity, 990, "equity at 90");
  assert.deepEqual(s.counters.recentOrderTs, [d1 + 1_000, d1 + 20 * 3_600_000, d1 + DAY + 10]);
});

Deno.test("replay: events out of seq order and bad starting cash are refused", () => {
  const e = events([bar(1), bar(2)]);
  assert.throws(() => replay([e[1]!, e[0]!]), /seq 1 came after 2/);
  assert.throws(() => replay([], { startingCash: -1 }), /Invalid startingCash -1/);
});

/** `e` (a fill event) with the fee as the exchange charged it. */
const chargedIn = (e: AuditEventInput, feeAsset: string, feeAmount: number): AuditEventInput =>
  ({ ...e, payload: { ...e.payload, feeAsset, feeAmount } }) as AuditEventInput;
const seed10k: AuditEventInput = { kind: "run_started", runId: "r", payload: { mode: "live", startingCash: 10_000 } };

Deno.test("replay: a buy's fee taken in BTC reduces the position; the exit selling what is held leaves it flat", () => {
  const buy = chargedIn(fill("order_filled", "o1", "buy", 10, 100, 1), "BTC", 0.01);
  const s = replay(events([seed10k, buy]));
  // 10 BTC bought, 0.01 of them kept as the fee: 9.99 held at the fill price; cash pays the notional only.
  assert.equal(s.positions.length, 1);
  close(s.positions[0]!.qty, 9.99, "position 10 - 0.01");
  assert.equal(s.positions[0]!.avgPrice, 100);
  assert.equal(s.cash, 9_000);
  assert.equal(s.fees, 1);
  close(s.equity, 9_000 + 9.99 * 100, "equity 9,999");
  close(s.equity - s.startingCash, s.realizedPnl + s.unrealizedPnl - s.fees, "P&L identity");

  const sell = chargedIn(fill("order_filled", "o2", "sell", 9.99, 110, 1.0989), "USDT", 1.0989);
  const t = replay(events([seed10k, buy, sell]));
  assert.deepEqual(t.positions, []); // no 0.01 BTC left over: flat, as the exchange
  close(t.cash, 9_000 + 1_098.9 - 1.0989, "cash 10,097.8011");
  close(t.fees, 2.0989, "fees 1 + 1.0989");
  close(t.realizedPnl, 99.9, "realized (110 - 100) * 9.99");
  assert.equal(t.unrealizedPnl, 0);
  assert.equal(t.equity, t.cash);
  close(t.equity, 10_097.8011, "equity");
  close(t.equity - t.startingCash, t.realizedPnl - t.fees, "P&L identity 99.9 - 2.0989");
  assert.equal(t.counters.consecutiveLosses, 0); // the trade made 99.9 - 2.0989
});

Deno.test("replay: a fee in BNB (a third asset) or in the quote is paid from cash as `fee`, as without feeAsset", () => {
  const plain = [
    seed10k,
    fill("order_filled", "o1", "buy", 10, 100, 1),
    fill("order_filled", "o2", "sell", 4, 110, 0.44),
  ];
  const bnb = [
    seed10k,
    chargedIn(plain[1]!, "BNB", 0.0031),
    chargedIn(plain[2]!, "BNB", 0.0014),
  ];
  const usdt = [seed10k, chargedIn(plain[1]!, "USDT", 1), chargedIn(plain[2]!, "USDT", 0.44)];
  const want = replay(events(plain));
  assert.deepEqual(want.positions, [{ symbol: "BTC/USDT", qty: 6, avgPrice: 100 }]);
  assert.equal(want.cash, 10_000 - 1_001 + 439.56);
  assert.equal(want.fees, 1.44);
  assert.equal(want.realizedPnl, 40);
  assert.deepEqual(replay(events(bnb)), want);
  assert.deepEqual(replay(events(usdt)), want);
});

Deno.test("replay: partial fills with the fee in BTC, then an exit in two parts: average, cash, fees, flat", () => {
  const buy1 = chargedIn(fill("order_partially_filled", "o1", "buy", 4, 100, 0.4), "BTC", 0.004);
  const buy2 = chargedIn(fill("order_filled", "o1", "buy", 6, 101, 0.606), "BTC", 0.006);
  const mid = replay(events([seed10k, intent("o1", "buy", 10, 100), buy1]));
  assert.equal(mid.openOrders[0]!.filledQty, 4); // the order's fill counts the units bought, fee or not
  close(mid.positions[0]!.qty, 3.996, "position 4 - 0.004");
  assert.equal(mid.cash, 9_600);

  const sell1 = chargedIn(fill("order_partially_filled", "o2", "sell", 5, 110, 0.55), "USDT", 0.55);
  const sell2 = chargedIn(fill("order_filled", "o2", "sell", 4.99, 110, 0.5489), "USDT", 0.5489);
  const held = replay(events([seed10k, intent("o1", "buy", 10, 100), buy1, buy2]));
  close(held.positions[0]!.qty, 9.99, "position 3.996 + 5.994");
  close(held.positions[0]!.avgPrice, 100.6, "avg (3.996 * 100 + 5.994 * 101) / 9.99");
  assert.equal(held.cash, 10_000 - 400 - 606);
  close(held.fees, 1.006, "fees 0.4 + 0.606");
  assert.deepEqual(held.openOrders, []);

  const t = replay(events([seed10k, intent("o1", "buy", 10, 100), buy1, buy2, sell1, sell2]));
  assert.deepEqual(t.positions, []);
  close(t.cash, 8_994 + 550 - 0.55 + 548.9 - 0.5489, "cash 10,091.8011");
  close(t.fees, 2.1049, "fees");
  close(t.realizedPnl, 93.906, "realized (110 - 100.6) * 9.99");
  close(t.equity, 10_091.8011, "equity");
  close(t.equity - t.startingCash, t.realizedPnl + t.unrealizedPnl - t.fees, "P&L identity");
});

Deno.test("replay: a short covered by a buy whose fee is taken in BTC stays short by the fee's units", () => {
  const t = replay(events([
    seed10k,
    fill("order_filled", "o1", "sell", 10, 100, 1), // short 10, fee in the quote
    chargedIn(fill("order_filled", "o2", "buy", 10, 90, 0.9), "BTC", 0.01), // receives 9.99: 0.01 still short
  ]));
  assert.equal(t.positions.length, 1);
  close(t.positions[0]!.qty, -0.01, "short 0.01");
  assert.equal(t.positions[0]!.avgPrice, 100);
  close(t.cash, 10_000 + 1_000 - 1 - 900, "cash");
  close(t.realizedPnl, 99.9, "realized on the 9.99 covered");
  close(t.fees, 1.9, "fees");
  close(t.equity, t.cash - 0.01 * 90, "equity: the short marked at 90");
  close(t.equity - t.startingCash, t.realizedPnl + t.unrealizedPnl - t.fees, "P&L identity");
});
