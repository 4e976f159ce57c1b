import assert from "node:assert/strict";
import { configWith, DAY, freshState, hold, intent, MON_NOON } from "./_testing.ts";
import { createRiskState } from "./create_risk_state.ts";
import { markEquity } from "./mark_equity.ts";
import { recordBar } from "./record_bar.ts";
import { recordFill } from "./record_fill.ts";
import { recordOrder } from "./record_order.ts";
import { recordTradeClosed } from "./record_trade_closed.ts";
import { RiskEngine } from "./risk_engine.ts";

const MON0 = Date.UTC(2026, 0, 5);

Deno.test("markEquity: a UTC day starts at the equity carried into it (the last mark before 00:00)", () => {
  const s = freshState(MON0);
  markEquity(s, 10_500, MON0 + DAY - 1); // Monday 23:59:59.999: still Monday
  assert.deepEqual([s.day, s.dayStartEquity], [Math.floor(MON0 / DAY), 10_000]);
  markEquity(s, 10_400, MON0 + DAY); // Tuesday 00:00: the first bar of Tuesday lost 100 already
  assert.deepEqual([s.day, s.dayStartEquity, s.equity], [Math.floor(MON0 / DAY) + 1, 10_500, 10_400]);
  markEquity(s, 10_000, MON0 + DAY + 1);
  assert.equal(s.dayStartEquity, 10_500);
  // Skipped days: the new day starts at the last equity known.
  markEquity(s, 9_000, MON0 + 5 * DAY + 7);
  assert.equal(s.dayStartEquity, 10_000);
});

Deno.test("markEquity: the peak follows new highs only", () => {
  const s = freshState(MON0);
  markEquity(s, 11_000, MON0 + 1);
  markEquity(s, 10_000, MON0 + 2);
  assert.equal(s.equityPeak, 11_000);
  markEquity(s, 11_000.5, MON0 + 3);
  assert.equal(s.equityPeak, 11_000.5);
});

Deno.test("markEquity refuses a non-finite equity and an earlier UTC day, changing nothing", () => {
  const s = freshState(MON0 + DAY);
  assert.throws(() => markEquity(s, NaN, MON0 + DAY), /equity must be a finite number, got NaN/);
  assert.throws(() => markEquity(s, 1, MON0), /UTC day before the last mark's \(2026-01-06\)/);
  assert.deepEqual([s.equity, s.dayStartEquity], [10_000, 10_000]);
});

Deno.test("recordOrder: counts and per-symbol time; refuses a time before the last order", () => {
  const s = freshState();
  recordOrder(s, intent(), MON_NOON);
  recordOrder(s, intent({ symbol: "ETH/USDT" }), MON_NOON);
  assert.equal(s.orders.total, 2);
  assert.throws(() => recordOrder(s, intent(), MON_NOON - 1), /record orders in time order/);
  assert.throws(() => recordOrder(s, intent(), MON_NOON + 0.5), /integer epoch-ms/);
  assert.equal(s.orders.total, 2);
});

Deno.test("recordFill: average entry, reduce keeps it, crossing zero restarts it, flat removes the position", () => {
  const s = freshState();
  hold(s, "X", 2, 100);
  hold(s, "X", 2, 110);
  assert.deepEqual(s.positions.get("X"), { symbol: "X", qty: 4, avgPrice: 105, lastPrice: 110 });
  hold(s, "X", -1, 120);
  assert.equal(s.positions.get("X")?.avgPrice, 105);
  hold(s, "X", -5, 90); // 3 -> -2
  assert.deepEqual(s.positions.get("X"), { symbol: "X", qty: -2, avgPrice: 90, lastPrice: 90 });
  hold(s, "X", 2, 95);
  assert.equal(s.positions.has("X"), false);
  // Cash: -200 -220 +120 +450 -190 = -40.
  assert.equal(s.cash, 10_000 - 40);
  recordFill(s, { clientOrderId: "f", symbol: "Y", side: "sell", qty: 1, price: 10, fee: 0.5, ts: MON_NOON });
  assert.equal(s.cash, 10_000 - 40 + 10 - 0.5);
  assert.throws(
    () => recordFill(s, { clientOrderId: "g", symbol: "Y", side: "buy", qty: 1, price: 10, fee: -1, ts: 0 }),
    /fill g: .*fee -1/,
  );
});

Deno.test("recordBar: close time, last price of a held symbol, volatility (NaN removes it)", () => {
  const s = hold(freshState(), "X", 1, 100);
  recordBar(s, { symbol: "X", closeTime: MON_NOON, close: 101, volatility: 0.02 });
  assert.deepEqual([s.lastBarClose.get("X"), s.positions.get("X")?.lastPrice, s.volatility.get("X")], [
    MON_NOON,
    101,
    0.02,
  ]);
  recordBar(s, { symbol: "X", closeTime: MON_NOON + 60_000, close: 102 });
  assert.equal(s.volatility.has("X"), false);
  recordBar(s, { symbol: "Y", closeTime: MON_NOON, close: 5 });
  assert.equal(s.positions.has("Y"), false);
  assert.throws(() => recordBar(s, { symbol: "X", closeTime: MON_NOON, close: 0 }), /bar close of X/);
});

Deno.test("recordTradeClosed: losses extend the streak, a win or a scratch ends it", () => {
  const s = freshState();
  recordTradeClosed(recordTradeClosed(recordTradeClosed(s, -1), -1), -1);
  assert.equal(s.consecutiveLosses, 3);
  recordTradeClosed(s, 0);
  assert.equal(s.consecutiveLosses, 0);
  assert.throws(() => recordTradeClosed(s, NaN), /finite/);
});

Deno.test("float dust: an exit of the position's size as summed by hand passes and closes it", () => {
  const e = new RiskEngine(configWith({}));
  const s = freshState();
  hold(s, "X", 0.1, 100);
  hold(s, "X", 0.2, 100); // 0.30000000000000004 held
  const exit = intent({ symbol: "X", side: "sell", qty: 0.3, reduceOnly: true });
  assert.equal(e.check(exit, s, MON_NOON).code, "ok");
  recordFill(s, { clientOrderId: "x", symbol: "X", side: "sell", qty: 0.3, price: 100, fee: 0, ts: MON_NOON });
  assert.equal(s.positions.has("X"), false);
  // More than dust over the position is still refused.
  hold(s, "X", 0.3, 100);
  assert.equal(
    e.check(intent({ symbol: "X", side: "sell", qty: 0.30001, reduceOnly: true }), s, MON_NOON).code,
    "not_reducing",
  );
});

Deno.test("createRiskState refuses a bad account name, cash or clock, naming the value", () => {
  assert.throws(() => createRiskState({ account: "../x", cash: 1, now: 0 }), /account "\.\.\/x": an account name is/);
  assert.throws(() => createRiskState({ account: "a", cash: -1, now: 0 }), /cash must be a finite number >= 0, got -1/);
  assert.throws(() => createRiskState({ account: "a", cash: 1, now: NaN }), /now must be finite epoch ms, got NaN/);
});
