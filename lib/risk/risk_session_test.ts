import assert from "node:assert/strict";
import { ConfigError } from "../types/mod.ts";
import { createRiskState, RiskSession, type RiskSessionBar } from "./mod.ts";
import { configWith, intent, MIN, MON_NOON } from "./_testing.ts";

const ACCT = "acct";

function session(patch: Parameters<typeof configWith>[0], extra: Parameters<typeof configWith>[1] = {}): RiskSession {
  return new RiskSession({ config: configWith(patch, extra), account: ACCT, cash: 10_000, now: MON_NOON });
}

function bar(i: number, high: number, low: number, close: number, symbol = "BTC/USDT"): RiskSessionBar {
  const openTime = MON_NOON + i * MIN;
  return { symbol, openTime, closeTime: openTime + MIN, open: close, high, low, close };
}

function near(actual: number | undefined, expected: number): void {
  assert.ok(actual !== undefined && Math.abs(actual - expected) < 1e-12, `${actual} is not ${expected}`);
}

Deno.test("RiskSession: a fresh state sized for the engine, or the one given", () => {
  const s = session({ orderRate: { perMinute: 3, perHour: 7, perDay: 9 } });
  assert.equal(s.state.account, ACCT);
  assert.equal(s.state.cash, 10_000);
  assert.equal(s.state.orders.capacity, 9);
  assert.equal(s.engine.ringCapacity, 9);
  assert.equal(s.tradingState, "active");
  assert.equal(s.flattenOnKill, false);
  assert.equal(session({}, { flattenOnKill: true }).flattenOnKill, true);
  const given = createRiskState({ account: ACCT, cash: 5, now: MON_NOON });
  const r = new RiskSession({ config: configWith({}), account: ACCT, cash: 0, now: 0, state: given });
  assert.equal(r.state, given);
  assert.throws(
    () => new RiskSession({ config: configWith({}), account: "other", cash: 0, now: 0, state: given }),
    /account "acct".*"other"/,
  );
  const bad = configWith({ maxDrawdown: { limit: 2 } });
  assert.throws(() => new RiskSession({ config: bad, account: ACCT, cash: 1, now: 0 }), ConfigError);
});

Deno.test("RiskSession.onBar: return_std is the ddof-1 deviation of the last `window` simple returns", () => {
  const s = session({ volatilityHalt: { measure: "return_std", window: 3, max: 1 } });
  const vol = (): number | undefined => s.state.volatility.get("BTC/USDT");
  // Returns 0.1, -0.1, 0, then 0.2.
  assert.equal(s.onBar(bar(0, 100, 100, 100)), null);
  assert.equal(vol(), undefined);
  s.onBar(bar(1, 110, 110, 110));
  s.onBar(bar(2, 99, 99, 99));
  assert.equal(vol(), undefined); // two returns of three
  s.onBar(bar(3, 99, 99, 99));
  // [0.1, -0.1, 0]: mean 0, squares 0.02, / (3 - 1) = 0.01, sqrt 0.1
  near(vol(), 0.1);
  s.onBar(bar(4, 118.8, 118.8, 118.8));
  // [-0.1, 0, 0.2]: mean 1/30, squared deviations 0.0177.. + 0.0011.. + 0.0277.. = 0.04666.., / 2, sqrt
  near(vol(), Math.sqrt(0.14 / 6));
  assert.equal(s.state.lastBarClose.get("BTC/USDT"), MON_NOON + 5 * MIN);
  // Symbols are tracked apart.
  s.onBar(bar(5, 1, 1, 1, "ETH/USDT"));
  assert.equal(s.state.volatility.get("ETH/USDT"), undefined);
  near(vol(), Math.sqrt(0.14 / 6));
});

Deno.test("RiskSession.onBar: atr_pct is Wilder's ATR(window) over the close, seeded as lib/indicators/atr", () => {
  const s = session({ volatilityHalt: { measure: "atr_pct", window: 2, max: 1 } });
  const vol = (): number | undefined => s.state.volatility.get("BTC/USDT");
  s.onBar(bar(0, 11, 9, 10)); // TR 2 (high - low: no previous close)
  assert.equal(vol(), undefined);
  s.onBar(bar(1, 12, 10, 11)); // TR max(2, |12 - 10|, |10 - 10|) = 2; seed (2 + 2) / 2 = 2
  near(vol(), 2 / 11);
  s.onBar(bar(2, 15, 13, 14)); // TR max(2, |15 - 11|, |13 - 11|) = 4; (2 * 1 + 4) / 2 = 3
  near(vol(), 3 / 14);
  s.onBar(bar(3, 14, 12, 13)); // TR max(2, 0, 2) = 2; (3 + 2) / 2 = 2.5
  near(vol(), 2.5 / 13);
});

Deno.test("RiskSession.onBar: a bar without a price is ignored; no figure while the rule is off", () => {
  const s = session({ volatilityHalt: { measure: "return_std", window: 2, max: 1 } });
  s.onBar(bar(0, 100, 100, 100));
  s.onBar(bar(1, NaN, NaN, NaN));
  assert.equal(s.state.lastBarClose.get("BTC/USDT"), MON_NOON + MIN);
  const off = session({});
  off.onBar(bar(0, 100, 100, 100));
  assert.equal(off.state.volatility.size, 0);
  assert.equal(off.state.lastBarClose.get("BTC/USDT"), MON_NOON + MIN);
});

Deno.test("RiskSession.decide: records allowed orders, applies pause and kill levels, never records a denial", () => {
  const s = session({ orderRate: { perMinute: 1, perHour: 10, perDay: 10, level: "warning" } });
  const a = s.decide(intent({ account: ACCT }), MON_NOON);
  assert.equal(a.ok, true);
  assert.equal(s.state.orders.total, 1);
  assert.equal(s.state.lastOrderAt.get("BTC/USDT"), MON_NOON);
  const b = s.decide(intent({ account: ACCT }), MON_NOON + 1_000);
  assert.equal(b.code, "order_rate_minute");
  assert.equal(s.state.orders.total, 1);
  assert.equal(s.tradingState, "active");

  const w = session({ tradingWindow: { days: ["sat"], level: "pause" } });
  const before = w.state;
  assert.equal(w.decide(intent({ account: ACCT }), MON_NOON).code, "trading_window");
  assert.equal(w.tradingState, "reducing");
  assert.notEqual(w.state, before);
  assert.equal(w.decide(intent({ account: ACCT }), MON_NOON).code, "reducing");
  assert.equal(w.state.orders.total, 0);
});

Deno.test("RiskSession.markEquity: returns the verdict that moved the account, once; warnings move nothing", () => {
  const s = session({ maxDrawdown: { limit: 0.1, level: "kill" } });
  assert.equal(s.markEquity(11_000, MON_NOON), null);
  assert.equal(s.state.equityPeak, 11_000);
  const v = s.markEquity(9_800, MON_NOON + MIN); // (11,000 - 9,800) / 11,000 = 0.109 > 0.1
  assert.equal(v?.code, "max_drawdown");
  assert.equal(v?.level, "kill");
  assert.equal(s.tradingState, "halted");
  assert.equal(s.markEquity(9_700, MON_NOON + 2 * MIN), null); // already halted: nothing new to log
  assert.equal(s.decide(intent({ account: ACCT, side: "sell", reduceOnly: true }), MON_NOON + 2 * MIN).code, "halted");

  const warn = session({ maxDrawdown: { limit: 0.1, level: "warning" } });
  assert.equal(warn.markEquity(8_000, MON_NOON), null);
  assert.equal(warn.tradingState, "active");
});

Deno.test("RiskSession.onFill and onTradeClosed: positions, cash and the loss streak", () => {
  const s = session({ maxConsecutiveLosses: { limit: 2, level: "pause" } });
  s.onFill(
    { clientOrderId: "f1", symbol: "BTC/USDT", side: "buy", qty: 2, price: 100, fee: 1, ts: MON_NOON },
    MON_NOON,
  );
  assert.deepEqual(s.state.positions.get("BTC/USDT"), { symbol: "BTC/USDT", qty: 2, avgPrice: 100, lastPrice: 100 });
  assert.equal(s.state.cash, 10_000 - 201);
  assert.equal(s.onTradeClosed(-5, MON_NOON), null);
  const v = s.onTradeClosed(-1, MON_NOON + MIN);
  assert.equal(v?.code, "consecutive_losses");
  assert.equal(s.tradingState, "reducing");
  assert.equal(s.onTradeClosed(-1, MON_NOON + 2 * MIN), null);
  assert.equal(s.state.consecutiveLosses, 3);
});

Deno.test("RiskSession: pause, kill and resume", () => {
  const s = session({});
  s.pause("news");
  assert.equal(s.tradingState, "reducing");
  assert.equal(s.state.reason, "news");
  s.resume();
  assert.equal(s.tradingState, "active");
  s.kill("operator");
  assert.equal(s.tradingState, "halted");
  assert.throws(() => s.resume(), /afterKill: true/);
  s.resume({ afterKill: true });
  assert.equal(s.tradingState, "active");
});
