import assert from "node:assert/strict";
import { ConfigError } from "../types/mod.ts";
import { configWith, DAY, freshState, hold, HOUR, intent, MIN, MON_NOON } from "./_testing.ts";
import { check } from "./check.ts";
import { createRiskState } from "./create_risk_state.ts";
import { DEFAULT_RISK_CONFIG } from "./default_risk_config.ts";
import { kill } from "./kill.ts";
import { markEquity } from "./mark_equity.ts";
import { pause } from "./pause.ts";
import { recordBar } from "./record_bar.ts";
import { recordOrder } from "./record_order.ts";
import { recordTradeClosed } from "./record_trade_closed.ts";
import { RiskEngine } from "./risk_engine.ts";
import { riskStateToJSON } from "./risk_state_to_json.ts";
import type { RiskConfig } from "./risk_config.ts";

Deno.test("max_position_value: value after the order; exactly at the limit passes, above is denied (warning)", () => {
  const e = new RiskEngine(configWith({ maxPositionValue: { limit: 1_000 } }));
  const s = freshState();
  assert.equal(e.check(intent({ qty: 10, price: 100 }), s, MON_NOON).code, "ok");
  const v = e.check(intent({ qty: 10.01, price: 100 }), s, MON_NOON);
  assert.deepEqual([v.ok, v.code, v.level], [false, "max_position_value", "warning"]);
  hold(s, "BTC/USDT", 8, 90);
  // 8 held + 2 = 10 at the intent's price 100: at the limit.
  assert.equal(e.check(intent({ qty: 2 }), s, MON_NOON).code, "ok");
  assert.equal(e.check(intent({ qty: 2.5 }), s, MON_NOON).code, "max_position_value");
  // Shorts count by absolute value.
  assert.equal(e.check(intent({ side: "sell", qty: 18.5 }), s, MON_NOON).code, "max_position_value");
  assert.equal(e.check(intent({ side: "sell", qty: 18 }), s, MON_NOON).code, "ok");
});

Deno.test("max_position_share: value after over equity; at the limit passes; zero equity denies entries", () => {
  const e = new RiskEngine(configWith({ maxPositionShare: { limit: 0.25 } }));
  const s = freshState(); // equity 10,000
  assert.equal(e.check(intent({ qty: 25 }), s, MON_NOON).code, "ok");
  assert.equal(e.check(intent({ qty: 25.001 }), s, MON_NOON).code, "max_position_share");
  markEquity(s, 0, MON_NOON);
  assert.equal(e.check(intent({ qty: 0.001 }), s, MON_NOON).code, "max_position_share");
});

Deno.test("an order that does not increase |position| passes the position and exposure limits", () => {
  const e = new RiskEngine(
    configWith({
      maxPositionValue: { limit: 100 },
      maxPositionShare: { limit: 0.01 },
      maxGrossExposure: { limit: 100 },
      maxLeverage: { limit: 0.01 },
    }),
  );
  const s = hold(freshState(), "BTC/USDT", 50, 100); // far over every limit
  assert.equal(e.check(intent({ side: "sell", qty: 10, reduceOnly: true }), s, MON_NOON).code, "ok");
  assert.equal(e.check(intent({ side: "sell", qty: 50, reduceOnly: true }), s, MON_NOON).code, "ok");
  // Not flagged reduceOnly, but it still reduces: it passes too.
  assert.equal(e.check(intent({ side: "sell", qty: 10 }), s, MON_NOON).code, "ok");
  // Flipping to a short of 60 increases |position|: denied.
  assert.equal(e.check(intent({ side: "sell", qty: 110 }), s, MON_NOON).code, "max_position_value");
});

Deno.test("not_reducing: a reduceOnly intent must be opposite to the position and no larger", () => {
  const e = new RiskEngine(configWith({}));
  const s = hold(freshState(), "BTC/USDT", 2, 100);
  assert.equal(e.check(intent({ side: "buy", qty: 1, reduceOnly: true }), s, MON_NOON).code, "not_reducing");
  assert.equal(e.check(intent({ side: "sell", qty: 2.5, reduceOnly: true }), s, MON_NOON).code, "not_reducing");
  assert.equal(
    e.check(intent({ symbol: "ETH/USDT", side: "sell", reduceOnly: true }), s, MON_NOON).code,
    "not_reducing",
  );
  assert.equal(e.check(intent({ side: "sell", qty: 2, reduceOnly: true }), s, MON_NOON).code, "ok");
  const short = hold(freshState(), "BTC/USDT", -3, 100);
  assert.equal(e.check(intent({ side: "buy", qty: 3, reduceOnly: true }), short, MON_NOON).code, "ok");
});

Deno.test("max_gross_exposure and max_leverage: other symbols at their last price plus this symbol after", () => {
  const s = freshState(); // equity 10,000
  hold(s, "ETH/USDT", 10, 200); // 2,000
  recordBar(s, { symbol: "ETH/USDT", closeTime: MON_NOON, close: 300 }); // now 3,000
  hold(s, "SOL/USDT", -20, 50); // short, 1,000
  const g = new RiskEngine(configWith({ maxGrossExposure: { limit: 6_000 } }));
  assert.equal(g.check(intent({ qty: 20 }), s, MON_NOON).code, "ok"); // 3,000 + 1,000 + 2,000
  assert.equal(g.check(intent({ qty: 20.01 }), s, MON_NOON).code, "max_gross_exposure");
  const l = new RiskEngine(configWith({ maxLeverage: { limit: 0.6 } }));
  assert.equal(l.check(intent({ qty: 20 }), s, MON_NOON).code, "ok");
  const v = l.check(intent({ qty: 20.01 }), s, MON_NOON);
  assert.equal(v.code, "max_leverage");
  assert.match(v.detail, /leverage after 0\.6001/);
  markEquity(s, -1, MON_NOON);
  assert.equal(l.check(intent({ qty: 0.01 }), s, MON_NOON).code, "max_leverage");
});

Deno.test("symbols: deny list, allow list; exits in a denied symbol still pass", () => {
  const deny = new RiskEngine(configWith({ symbols: { allow: null, deny: ["DOGE/USDT"] } }));
  const s = hold(freshState(), "DOGE/USDT", 100, 0.1);
  assert.equal(deny.check(intent({ symbol: "DOGE/USDT" }), s, MON_NOON).code, "symbol_denied");
  assert.equal(deny.check(intent({ symbol: "BTC/USDT" }), s, MON_NOON).code, "ok");
  assert.equal(deny.check(intent({ symbol: "DOGE/USDT", side: "sell", reduceOnly: true }), s, MON_NOON).code, "ok");
  const allow = new RiskEngine(configWith({ symbols: { allow: ["BTC/USDT"], deny: [] } }));
  assert.equal(allow.check(intent({ symbol: "ETH/USDT" }), s, MON_NOON).code, "symbol_not_allowed");
  assert.equal(allow.check(intent({ symbol: "BTC/USDT" }), s, MON_NOON).code, "ok");
  const both = new RiskEngine(configWith({ symbols: { allow: ["BTC/USDT"], deny: ["BTC/USDT"] } }));
  assert.equal(both.check(intent(), s, MON_NOON).code, "symbol_denied");
});

Deno.test("order_rate_minute: the window slides; an order exactly 60 s old is out", () => {
  const e = new RiskEngine(configWith({ orderRate: { perMinute: 3, perHour: 100, perDay: 100 } }));
  const s = freshState(MON_NOON, e.ringCapacity);
  for (const t of [0, 10_000, 20_000]) recordOrder(s, intent(), MON_NOON + t);
  const v = e.check(intent(), s, MON_NOON + 59_999);
  assert.deepEqual([v.code, v.level], ["order_rate_minute", "warning"]);
  assert.equal(e.check(intent(), s, MON_NOON + 60_000).code, "ok");
  // Exits count against the rate too.
  assert.equal(
    e.check(intent({ side: "sell", reduceOnly: true }), hold(s, "BTC/USDT", 1, 100), MON_NOON + 30_000).code,
    "order_rate_minute",
  );
  // A query earlier than the last one is still exact (the cursor restarts).
  assert.equal(e.check(intent(), s, MON_NOON + 20_000).code, "order_rate_minute");
  assert.equal(e.check(intent(), s, MON_NOON + 80_001).code, "ok");
});

Deno.test("order_rate_hour: sliding 3600 s window; order_rate_day: the UTC day, reset at 00:00", () => {
  const e = new RiskEngine(configWith({ orderRate: { perMinute: 100, perHour: 2, perDay: 3 } }));
  const s = freshState(MON_NOON, e.ringCapacity);
  recordOrder(s, intent(), MON_NOON);
  recordOrder(s, intent(), MON_NOON + 30 * MIN);
  assert.equal(e.check(intent(), s, MON_NOON + HOUR - 1).code, "order_rate_hour");
  assert.equal(e.check(intent(), s, MON_NOON + HOUR).code, "ok");
  recordOrder(s, intent(), MON_NOON + HOUR);
  // Three orders today: the fourth is refused for the rest of the day.
  const endOfDay = MON_NOON + 12 * HOUR - 1; // 23:59:59.999
  assert.equal(e.check(intent(), s, endOfDay).code, "order_rate_day");
  assert.equal(e.check(intent(), s, MON_NOON + 12 * HOUR).code, "ok"); // 00:00 Tuesday
  // An order at 23:59:59.999 does not count on the next day.
  recordOrder(s, intent(), endOfDay);
  const t = freshState(MON_NOON, e.ringCapacity);
  for (const x of [endOfDay - 2, endOfDay - 1, endOfDay]) recordOrder(t, intent(), x);
  assert.equal(e.check(intent(), t, endOfDay + 1 + 2 * HOUR).code, "ok");
});

Deno.test("the ring saturates at its capacity and still denies; a too small ring is refused", () => {
  const e = new RiskEngine(configWith({ orderRate: { perMinute: 1_000, perHour: 1_000, perDay: 4 } }));
  assert.equal(e.ringCapacity, 1_000);
  const s = freshState(MON_NOON, 4);
  assert.equal(e.check(intent(), s, MON_NOON).code, "ring_too_small");
  const small = new RiskEngine(configWith({ orderRate: { perMinute: 2, perHour: 3, perDay: 4 } }));
  for (let i = 0; i < 10; i++) recordOrder(s, intent(), MON_NOON + i);
  assert.equal(s.orders.toArray().length, 4);
  assert.equal(small.check(intent(), s, MON_NOON + 2 * HOUR).code, "order_rate_day");
});

Deno.test("min_trade_interval: per symbol or per account; exactly the interval passes; exits exempt", () => {
  const sym = new RiskEngine(configWith({ minTradeInterval: { ms: 60_000, scope: "symbol" } }));
  const s = hold(freshState(), "BTC/USDT", 1, 100);
  recordOrder(s, intent(), MON_NOON);
  assert.equal(sym.check(intent(), s, MON_NOON + 59_999).code, "min_trade_interval");
  assert.equal(sym.check(intent(), s, MON_NOON + 60_000).code, "ok");
  assert.equal(sym.check(intent({ symbol: "ETH/USDT" }), s, MON_NOON + 1).code, "ok");
  assert.equal(sym.check(intent({ side: "sell", reduceOnly: true }), s, MON_NOON + 1).code, "ok");
  const acc = new RiskEngine(configWith({ minTradeInterval: { ms: 60_000, scope: "account" } }));
  assert.equal(acc.check(intent({ symbol: "ETH/USDT" }), s, MON_NOON + 1).code, "min_trade_interval");
  assert.equal(acc.check(intent({ symbol: "ETH/USDT" }), s, MON_NOON + 60_000).code, "ok");
});

Deno.test("trading_window: weekday edges at 00:00 UTC, start inclusive, end exclusive", () => {
  const e = new RiskEngine(
    configWith({ tradingWindow: { days: ["mon", "tue", "wed", "thu", "fri"], start: "00:00", end: "24:00" } }),
  );
  const s = freshState();
  const sat0 = Date.UTC(2026, 0, 10); // Saturday 00:00
  const mon0 = Date.UTC(2026, 0, 12); // Monday 00:00
  assert.equal(e.check(intent(), s, sat0 - 1).code, "ok"); // Friday 23:59:59.999
  assert.equal(e.check(intent(), s, sat0).code, "trading_window");
  assert.equal(e.check(intent(), s, mon0 - 1).code, "trading_window"); // Sunday 23:59:59.999
  assert.equal(e.check(intent(), s, mon0).code, "ok");
  const hours = new RiskEngine(configWith({ tradingWindow: { start: "09:30", end: "16:00" } }));
  assert.equal(hours.check(intent(), s, mon0 + 9.5 * HOUR - 1).code, "trading_window");
  assert.equal(hours.check(intent(), s, mon0 + 9.5 * HOUR).code, "ok");
  assert.equal(hours.check(intent(), s, mon0 + 16 * HOUR - 1).code, "ok");
  assert.equal(hours.check(intent(), s, mon0 + 16 * HOUR).code, "trading_window");
  // Exits pass outside the window.
  hold(s, "BTC/USDT", 1, 100);
  assert.equal(hours.check(intent({ side: "sell", reduceOnly: true }), s, mon0).code, "ok");
});

Deno.test("trading_window: start > end wraps midnight, on the weekday of now", () => {
  const e = new RiskEngine(configWith({ tradingWindow: { days: ["mon"], start: "22:00", end: "02:00" } }));
  const s = freshState();
  const mon0 = Date.UTC(2026, 0, 12);
  assert.equal(e.check(intent(), s, mon0).code, "ok"); // Monday 00:00
  assert.equal(e.check(intent(), s, mon0 + 2 * HOUR - 1).code, "ok");
  assert.equal(e.check(intent(), s, mon0 + 2 * HOUR).code, "trading_window");
  assert.equal(e.check(intent(), s, mon0 + 22 * HOUR - 1).code, "trading_window");
  assert.equal(e.check(intent(), s, mon0 + 22 * HOUR).code, "ok");
  assert.equal(e.check(intent(), s, mon0 + DAY).code, "trading_window"); // Tuesday 00:00
  assert.equal(e.check(intent(), s, mon0 - 1).code, "trading_window"); // Sunday 23:59:59.999
});

Deno.test("daily_loss: from the UTC day's start equity, fraction or quote, level pause, reset by the day roll", () => {
  const e = new RiskEngine(configWith({ dailyLoss: { limit: 0.03, unit: "fraction" } }));
  const s = freshState(Date.UTC(2026, 0, 5)); // day start equity 10,000
  markEquity(s, 11_000, MON_NOON); // the day's start stays 10,000 (first mark of the day)
  markEquity(s, 9_700, MON_NOON + 1); // exactly 3 %
  assert.equal(e.check(intent(), s, MON_NOON + 2).code, "ok");
  markEquity(s, 9_699, MON_NOON + 3);
  const v = e.check(intent(), s, MON_NOON + 4);
  assert.deepEqual([v.code, v.level], ["daily_loss", "pause"]);
  // Next UTC day, before any mark: nothing lost yet today.
  const tue0 = Date.UTC(2026, 0, 6);
  assert.equal(e.check(intent(), s, tue0).code, "ok");
  assert.equal(e.check(intent(), s, tue0 - 1).code, "daily_loss");
  markEquity(s, 9_699, tue0); // the new day's reference
  assert.equal(s.dayStartEquity, 9_699);
  assert.equal(e.check(intent(), s, tue0 + 1).code, "ok");
  const q = new RiskEngine(configWith({ dailyLoss: { limit: 300, unit: "quote" } }));
  const t = freshState(Date.UTC(2026, 0, 5));
  markEquity(t, 9_700, MON_NOON);
  assert.equal(q.check(intent(), t, MON_NOON).code, "ok");
  markEquity(t, 9_699.99, MON_NOON);
  assert.equal(q.check(intent(), t, MON_NOON).code, "daily_loss");
});

Deno.test("max_drawdown: from the equity peak, level kill; the peak follows new highs", () => {
  const e = new RiskEngine(configWith({ maxDrawdown: { limit: 0.2 } }));
  const s = freshState();
  markEquity(s, 12_000, MON_NOON);
  markEquity(s, 9_600, MON_NOON + 1); // exactly 20 % below 12,000
  assert.equal(s.equityPeak, 12_000);
  assert.equal(e.check(intent(), s, MON_NOON + 2).code, "ok");
  markEquity(s, 9_599, MON_NOON + 3);
  const v = e.check(intent(), s, MON_NOON + 4);
  assert.deepEqual([v.code, v.level], ["max_drawdown", "kill"]);
  assert.deepEqual(e.checkAccount(s, MON_NOON + 4), v);
  // Exits are not gated by the breaker.
  hold(s, "BTC/USDT", 1, 100);
  assert.equal(e.check(intent({ side: "sell", reduceOnly: true }), s, MON_NOON + 5).code, "ok");
});

Deno.test("volatility_halt: the symbol's figure above max denies entries; missing figure per onMissing", () => {
  const e = new RiskEngine(configWith({ volatilityHalt: { max: 0.05, onMissing: "deny" } }));
  const s = freshState();
  assert.equal(e.check(intent(), s, MON_NOON).code, "volatility_halt");
  recordBar(s, { symbol: "BTC/USDT", closeTime: MON_NOON, close: 100, volatility: 0.05 });
  assert.equal(e.check(intent(), s, MON_NOON).code, "ok");
  recordBar(s, { symbol: "BTC/USDT", closeTime: MON_NOON, close: 100, volatility: 0.0501 });
  assert.equal(e.check(intent(), s, MON_NOON).code, "volatility_halt");
  hold(s, "BTC/USDT", 1, 100);
  assert.equal(e.check(intent({ side: "sell", reduceOnly: true }), s, MON_NOON).code, "ok");
  recordBar(s, { symbol: "BTC/USDT", closeTime: MON_NOON, close: 100, volatility: NaN }); // warm-up again
  assert.equal(e.check(intent(), s, MON_NOON).code, "volatility_halt");
  const allow = new RiskEngine(configWith({ volatilityHalt: { max: 0.05, onMissing: "allow" } }));
  assert.equal(allow.check(intent(), s, MON_NOON).code, "ok");
});

Deno.test("consecutive_losses: denied once the streak reaches the limit (pause); a win resets it", () => {
  const e = new RiskEngine(configWith({ maxConsecutiveLosses: { limit: 3 } }));
  const s = freshState();
  recordTradeClosed(recordTradeClosed(s, -1), -2);
  assert.equal(e.check(intent(), s, MON_NOON).code, "ok");
  recordTradeClosed(s, -0.01);
  const v = e.check(intent(), s, MON_NOON);
  assert.deepEqual([v.code, v.level], ["consecutive_losses", "pause"]);
  recordTradeClosed(s, 5);
  assert.equal(e.check(intent(), s, MON_NOON).code, "ok");
});

Deno.test("stale_data: now - last bar close > maxBarAgeMs denies entries; exactly at the age passes", () => {
  const e = new RiskEngine(configWith({ staleData: { maxBarAgeMs: 300_000 } }));
  const s = freshState();
  assert.match(e.check(intent(), s, MON_NOON).detail, /no bar of BTC\/USDT/);
  recordBar(s, { symbol: "BTC/USDT", closeTime: MON_NOON, close: 100 });
  assert.equal(e.check(intent(), s, MON_NOON + 300_000).code, "ok");
  assert.equal(e.check(intent(), s, MON_NOON + 300_001).code, "stale_data");
  hold(s, "BTC/USDT", 1, 100);
  assert.equal(e.check(intent({ side: "sell", reduceOnly: true }), s, MON_NOON + DAY).code, "ok");
});

Deno.test("strategy overrides merge field by field over the account's rules", () => {
  const config = configWith(
    { maxPositionShare: { limit: 0.1 }, orderRate: { perMinute: 2, perHour: 10, perDay: 20 } },
    {
      strategies: {
        scalper: { orderRate: { perMinute: 4 } },
        tight: { maxPositionShare: { limit: 0.05, level: "pause" } },
        free: { maxPositionShare: { enabled: false } },
      },
    },
  );
  const e = new RiskEngine(config);
  assert.deepEqual(e.rulesFor("scalper").orderRate, {
    enabled: true,
    perMinute: 4,
    perHour: 10,
    perDay: 20,
    level: "warning",
  });
  assert.equal(e.rulesFor("other"), e.config.rules);
  const s = freshState(MON_NOON, e.ringCapacity);
  recordOrder(s, intent(), MON_NOON);
  recordOrder(s, intent(), MON_NOON + 1);
  assert.equal(e.check(intent({ qty: 1 }), s, MON_NOON + 2).code, "order_rate_minute");
  assert.equal(e.check(intent({ strategy: "scalper", qty: 1 }), s, MON_NOON + 2).code, "ok");
  const t = freshState(MON_NOON, e.ringCapacity);
  assert.equal(e.check(intent({ qty: 10 }), t, MON_NOON).code, "ok"); // 1,000 = 10 %
  const v = e.check(intent({ strategy: "tight", qty: 10 }), t, MON_NOON);
  assert.deepEqual([v.code, v.level], ["max_position_share", "pause"]);
  assert.equal(e.check(intent({ strategy: "free", qty: 50 }), t, MON_NOON).code, "ok");
});

Deno.test("reducing: entries denied (pause), exits pass; halted: everything denied (kill)", () => {
  const e = new RiskEngine(DEFAULT_RISK_CONFIG);
  let s = hold(freshState(MON_NOON, e.ringCapacity), "BTC/USDT", 1, 100);
  recordBar(s, { symbol: "BTC/USDT", closeTime: MON_NOON, close: 100, volatility: 0.01 });
  assert.equal(e.check(intent(), s, MON_NOON).code, "ok");
  s = pause(s, "operator");
  const v = e.check(intent(), s, MON_NOON);
  assert.deepEqual([v.code, v.level], ["reducing", "pause"]);
  assert.equal(e.check(intent({ side: "sell", qty: 1, reduceOnly: true }), s, MON_NOON).code, "ok");
  s = kill(s, "operator");
  for (const i of [intent(), intent({ side: "sell", qty: 1, reduceOnly: true }), intent({ symbol: "X" })]) {
    const k = e.check(i, s, MON_NOON);
    assert.deepEqual([k.ok, k.code, k.level], [false, "halted", "kill"]);
  }
});

Deno.test("wrong account, bad intent and bad clock are denied, not thrown", () => {
  const e = new RiskEngine(configWith({}));
  const s = freshState();
  assert.equal(e.check(intent({ account: "other" }), s, MON_NOON).code, "wrong_account");
  assert.equal(e.check(intent({ qty: NaN }), s, MON_NOON).code, "bad_intent");
  assert.equal(e.check(intent({ price: Infinity }), s, MON_NOON).code, "bad_intent");
  assert.equal(e.check(intent(), s, NaN).code, "bad_clock");
});

Deno.test("an allowed check returns the same frozen verdict (no allocation) and does not change the state", () => {
  const e = new RiskEngine(DEFAULT_RISK_CONFIG);
  const s = freshState(MON_NOON, e.ringCapacity);
  recordBar(s, { symbol: "BTC/USDT", closeTime: MON_NOON, close: 100, volatility: 0.01 });
  recordOrder(s, intent({ symbol: "ETH/USDT" }), MON_NOON - HOUR);
  const before = JSON.stringify(riskStateToJSON(s));
  const a = e.check(intent(), s, MON_NOON);
  const b = e.check(intent({ qty: 2 }), s, MON_NOON + 1);
  assert.equal(a.ok, true);
  assert.equal(a, b);
  assert.ok(Object.isFrozen(a));
  assert.equal(JSON.stringify(riskStateToJSON(s)), before);
});

Deno.test("check(intent, state, now, config) equals the engine's verdict and validates the config", () => {
  const s = freshState();
  const config = configWith({ maxPositionValue: { limit: 50 } });
  assert.deepEqual(check(intent(), s, MON_NOON, config), new RiskEngine(config).check(intent(), s, MON_NOON));
  assert.equal(check(intent(), s, MON_NOON, config).code, "max_position_value");
  const bad = { ...config, rules: { ...config.rules, maxLeverage: { enabled: true, limit: -1, level: "warning" } } };
  assert.throws(() => check(intent(), s, MON_NOON, bad as RiskConfig), (e: unknown) => {
    assert.ok(e instanceof ConfigError);
    assert.match(e.message, /rules\.maxLeverage\.limit/);
    return true;
  });
});

Deno.test("checkAccount: drawdown, daily loss and loss streak without an order; account rules only", () => {
  const e = new RiskEngine(
    configWith({ dailyLoss: { limit: 0.05, unit: "fraction" }, maxConsecutiveLosses: { limit: 2 } }, {
      strategies: { s: { dailyLoss: { limit: 0.01 } } },
    }),
  );
  const s = freshState(Date.UTC(2026, 0, 5));
  markEquity(s, 9_800, MON_NOON);
  assert.equal(e.checkAccount(s, MON_NOON).code, "ok");
  assert.equal(e.check(intent({ strategy: "s" }), s, MON_NOON).code, "daily_loss");
  recordTradeClosed(recordTradeClosed(s, -1), -1);
  assert.equal(e.checkAccount(s, MON_NOON).code, "consecutive_losses");
});

// Property: the verdict on an intent does not depend on state that none of its rules reads.
Deno.test("property: the verdict ignores other symbols' bars, volatility, positions and order times (300 cases)", () => {
  let seed = 7;
  const rnd = (): number => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = seed;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  // Rate limits count every order and gross exposure every position, so they are off here; the per-symbol rules
  // (interval per symbol, stale data, volatility) are on and must look at the intent's symbol only.
  const e = new RiskEngine({
    ...DEFAULT_RISK_CONFIG,
    rules: {
      ...DEFAULT_RISK_CONFIG.rules,
      orderRate: { ...DEFAULT_RISK_CONFIG.rules.orderRate, enabled: false },
      maxLeverage: { ...DEFAULT_RISK_CONFIG.rules.maxLeverage, enabled: false },
      symbols: { enabled: true, allow: null, deny: ["BAD/USDT"], level: "warning" },
    },
  });
  const codes = new Set<string>();
  for (let c = 0; c < 300; c++) {
    const now = MON_NOON + Math.floor(rnd() * DAY);
    const base = createRiskState({ account: "acct", cash: 10_000, now });
    const sym = rnd() < 0.1 ? "BAD/USDT" : "BTC/USDT";
    if (rnd() < 0.8) {
      recordBar(base, {
        symbol: sym,
        closeTime: now - Math.floor(rnd() * 600_000),
        close: 100,
        volatility: rnd() * 0.08,
      });
    }
    if (rnd() < 0.5) recordOrder(base, { symbol: sym }, now - Math.floor(rnd() * 120_000));
    const i = intent({ symbol: sym, qty: 1 + Math.floor(rnd() * 40) });
    const expected = e.check(i, base, now);
    codes.add(expected.code);
    // The same state plus noise on other symbols.
    const noisy = createRiskState({ account: "acct", cash: 10_000, now });
    for (let k = 0; k < 5; k++) {
      const other = `N${k}/USDT`;
      recordBar(noisy, {
        symbol: other,
        closeTime: now - Math.floor(rnd() * DAY),
        close: 1 + rnd(),
        volatility: rnd(),
      });
      recordOrder(noisy, { symbol: other }, now - DAY + k);
    }
    // Positions in other symbols (cash moves too): only gross exposure and leverage read them, and they are off.
    hold(noisy, "N0/USDT", 1 + Math.floor(rnd() * 50), 10);
    hold(noisy, "N1/USDT", -1 - Math.floor(rnd() * 50), 20);
    for (const [k, v] of base.lastBarClose) {
      recordBar(noisy, { symbol: k, closeTime: v, close: 100, volatility: base.volatility.get(k) });
    }
    for (const [k, v] of base.lastOrderAt) recordOrder(noisy, { symbol: k }, v);
    assert.deepEqual(e.check(i, noisy, now), expected, `case ${c}`);
  }
  // The cases reach the rules under test, not only "ok".
  for (
    const c of ["ok", "symbol_denied", "stale_data", "volatility_halt", "min_trade_interval", "max_position_share"]
  ) {
    assert.ok(codes.has(c), `no case answered ${c}: ${[...codes].join(", ")}`);
  }
});

Deno.test("flattenOnKill and ringCapacity come from the config (for the runner)", () => {
  assert.equal(new RiskEngine(DEFAULT_RISK_CONFIG).flattenOnKill, false);
  assert.equal(new RiskEngine({ ...DEFAULT_RISK_CONFIG, flattenOnKill: true }).flattenOnKill, true);
  assert.equal(new RiskEngine(DEFAULT_RISK_CONFIG).ringCapacity, 200);
  assert.equal(new RiskEngine(configWith({})).ringCapacity, 1); // rate limits off
});
