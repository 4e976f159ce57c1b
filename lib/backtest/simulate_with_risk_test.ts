import assert from "node:assert/strict";
import { Frame } from "../frame/mod.ts";
import { DEFAULT_RISK_CONFIG, type RiskConfig, type RiskRules } from "../risk/mod.ts";
import type { SignalSet } from "../types/mod.ts";
import type { BacktestOptionsInput } from "./backtest_options.ts";
import type { SimResult } from "./sim_result.ts";
import { simulate } from "./simulate.ts";
import { simulateWithRisk } from "./simulate_with_risk.ts";
import { ohlc, prng, randomFrame, sig } from "./_testing.ts";

const MIN = 60_000, HOUR = 3_600_000;

/** Every rule off, then the given blocks switched on and merged over the defaults. */
function limits(patch: Partial<{ [K in keyof RiskRules]: Partial<RiskRules[K]> }> = {}, flattenOnKill = false) {
  const rules = structuredClone(DEFAULT_RISK_CONFIG.rules) as RiskRules;
  for (const k of Object.keys(rules) as (keyof RiskRules)[]) rules[k].enabled = false;
  const r = rules as Record<string, object>;
  for (const [k, v] of Object.entries(patch)) r[k] = { ...r[k], enabled: true, ...v };
  return { version: 1, flattenOnKill, rules, strategies: {} } as RiskConfig;
}

/** A frame of closes (open = high = low = close) `step` ms apart from `t0`. */
function closes(c: readonly number[], step = MIN, t0 = 0): Frame {
  return Frame.fromBars(c.map((x, i) => ({ ts: t0 + i * step, open: x, high: x, low: x, close: x, volume: 1 })));
}

function withRisk(f: Frame, s: SignalSet, o: BacktestOptionsInput, config: RiskConfig, barMs = MIN): SimResult {
  return simulateWithRisk(f, s, o, { config, strategy: "test", barMs });
}

function sameRun(a: SimResult, b: SimResult, what: string): void {
  assert.deepEqual(a.orders, b.orders, `${what}: orders`);
  assert.deepEqual(a.trades, b.trades, `${what}: trades`);
  assert.deepEqual([...a.equity], [...b.equity], `${what}: equity`);
  assert.deepEqual([...a.cash], [...b.cash], `${what}: cash`);
  assert.deepEqual([...a.position], [...b.position], `${what}: position`);
  assert.equal(a.exposure, b.exposure, `${what}: exposure`);
  assert.equal(a.turnover, b.turnover, `${what}: turnover`);
  assert.equal(a.feesPaid, b.feesPaid, `${what}: fees`);
  assert.equal(a.ruinedAt, b.ruinedAt, `${what}: ruinedAt`);
  const { risk, ...skipped } = a.skipped;
  assert.deepEqual(skipped, b.skipped, `${what}: skipped`);
  assert.equal(risk, 0, `${what}: risk denials`);
  assert.deepEqual(a.denied, []);
}

Deno.test("simulateWithRisk: limits that deny nothing give simulate's run to the bit", () => {
  const r = prng(7);
  const bits = (n: number, p: number): Uint8Array => Uint8Array.from({ length: n }, () => (r() < p ? 1 : 0));
  const cases: BacktestOptionsInput[] = [
    { fill: "close" },
    { fill: "close", fee: 0.001, fixedFee: 1, spread: 0.001 },
    { fee: 0.001, slippage: 0.0005, lot: 0.01 },
    { direction: "both", stopLoss: 0.02, trailingStop: 0.03, takeProfit: 0.05, fee: 0.001 },
    { fill: "close", direction: "short", stopLoss: 0.01, size: { kind: "fraction", value: 0.5 } },
    { finalize: "open", size: { kind: "cash", value: 3_000 }, minNotional: 100 },
  ];
  // A permissive config with every rule on (none can bind) must deny nothing either.
  const wide = limits({
    maxPositionValue: { limit: 1e12 },
    maxPositionShare: { limit: 1e6 },
    maxGrossExposure: { limit: 1e12 },
    maxLeverage: { limit: 1e6 },
    orderRate: { perMinute: 1e6, perHour: 1e6, perDay: 1e6 },
    dailyLoss: { limit: 1e12, unit: "quote" },
    maxDrawdown: { limit: 1 },
    maxConsecutiveLosses: { limit: 1e6 },
    staleData: { maxBarAgeMs: 1e12 },
    volatilityHalt: { max: 1e6, onMissing: "allow" },
  });
  for (const [k, o] of cases.entries()) {
    const f = randomFrame(600, 100 + k);
    const s = sig([...bits(600, 0.05)], [...bits(600, 0.05)], [...bits(600, 0.05)], [...bits(600, 0.05)]);
    const plain = simulate(f, s, o);
    assert.ok(plain.orders.length > 10, `case ${k} trades`);
    sameRun(withRisk(f, s, o, limits()), plain, `case ${k}, rules off`);
    sameRun(withRisk(f, s, o, wide), plain, `case ${k}, wide limits`);
  }
  // A short squeezed into ruin at bar 3 (10,000 + 100 units x -(210 - 100) < 0): the ruin bar and after match too.
  const squeeze = closes([100, 100, 150, 210, 250, 240]);
  const s = sig([1, 0, 0, 0, 1, 0], [0, 0, 0, 0, 0, 1]);
  for (const fill of ["close", "next_open"] as const) {
    const plain = simulate(squeeze, s, { fill, direction: "short" });
    assert.notEqual(plain.ruinedAt, -1);
    sameRun(withRisk(squeeze, s, { fill, direction: "short" }, limits()), plain, `ruin, ${fill}`);
    sameRun(withRisk(squeeze, s, { fill, direction: "short" }, wide), plain, `ruin, ${fill}, wide limits`);
  }
});

Deno.test("simulateWithRisk: the daily order limit denies the 4th order of the UTC day, an exit kept open", () => {
  // Orders: buy 0, sell 1, buy 2 (3 today); the exits at bars 3 and 5 are the 4th: denied (exits count).
  // The entry at bar 4 is ignored (already long: no pyramiding). The finalize close is not an order decided.
  const f = closes([10, 11, 12, 13, 14, 15, 16]);
  const s = sig([1, 0, 1, 0, 1, 0, 0], [0, 1, 0, 1, 0, 1, 0]);
  const r = withRisk(f, s, { fill: "close" }, limits({ orderRate: { perMinute: 100, perHour: 100, perDay: 3 } }));
  assert.deepEqual(r.orders.map((o) => [o.index, o.side, o.reason]), [
    [0, "buy", "entry"],
    [1, "sell", "signal"],
    [2, "buy", "entry"],
    [6, "sell", "end"],
  ]);
  assert.deepEqual(r.denied.map((d) => [d.bar, d.ts, d.side, d.reduceOnly, d.code, d.level]), [
    [3, 3 * MIN, "sell", true, "order_rate_day", "warning"],
    [5, 5 * MIN, "sell", true, "order_rate_day", "warning"],
  ]);
  assert.match(r.denied[0]!.detail, /4 orders this UTC day > 3/);
  assert.equal(r.skipped.risk, 2);
  // Bought at 12 with 10,000 * 11 / 10 = 11,000, held to the last close 16.
  assert.equal(r.finalEquity, 11_000 / 12 * 16);
});

Deno.test("simulateWithRisk: a trading window denies entries decided outside it (next-open fills)", () => {
  // Hourly bars from Monday 2026-01-05 00:00 UTC; entries only 09:00-17:00 on Mondays, by the close time.
  const t0 = Date.UTC(2026, 0, 5);
  const c = Array.from({ length: 24 }, (_, i) => 100 + i);
  const f = closes(c, HOUR, t0);
  const e = new Array(24).fill(0), x = new Array(24).fill(0);
  e[3] = 1; // closes 04:00: denied
  e[8] = 1; // closes 09:00: allowed, fills at bar 9's open
  x[12] = 1; // an exit: the window does not apply
  e[16] = 1; // closes 17:00: denied (end exclusive)
  const r = withRisk(
    f,
    sig(e, x),
    {},
    limits({ tradingWindow: { days: ["mon"], start: "09:00", end: "17:00" } }),
    HOUR,
  );
  assert.deepEqual(r.orders.map((o) => [o.index, o.side]), [[9, "buy"], [13, "sell"]]);
  assert.deepEqual(r.denied.map((d) => [d.bar, d.side, d.reduceOnly, d.code]), [
    [3, "buy", false, "trading_window"],
    [16, "buy", false, "trading_window"],
  ]);
  assert.match(r.denied[0]!.detail, /2026-01-05T04:00:00\.000Z is outside the trading window/);
});

Deno.test("simulateWithRisk: a kill-level drawdown halts the run; flattenOnKill closes at the kill", () => {
  // All in at 100 (bar 0 close); at bar 2's close equity is 8,000: drawdown 0.2 > 0.15 kills the account.
  const f = closes([100, 100, 80, 70, 90, 100, 110]);
  const s = sig([1, 0, 0, 0, 0, 1, 0], [0, 0, 0, 0, 1, 0, 0]);
  const cfg = limits({ maxDrawdown: { limit: 0.15, level: "kill" } });
  const r = withRisk(f, s, { fill: "close" }, cfg);
  // The exit at bar 4 is denied (halted: nothing at all), and the position rides to the end.
  assert.deepEqual(r.orders.map((o) => [o.index, o.side, o.reason]), [[0, "buy", "entry"], [6, "sell", "end"]]);
  assert.deepEqual(r.denied.map((d) => [d.bar, d.reduceOnly, d.code, d.level]), [[4, true, "halted", "kill"]]);
  assert.match(r.denied[0]!.detail, /max_drawdown: drawdown 0\.2 from peak 10000 to equity 8000 > 0\.15/);
  assert.equal(r.finalEquity, 11_000);

  const flat = withRisk(f, s, { fill: "close" }, limits({ maxDrawdown: { limit: 0.15, level: "kill" } }, true));
  assert.deepEqual(flat.orders.map((o) => [o.index, o.side, o.reason]), [[0, "buy", "entry"], [2, "sell", "end"]]);
  // Flat from the kill on; the entry at bar 5 is denied.
  assert.deepEqual(flat.denied.map((d) => [d.bar, d.code]), [[5, "halted"]]);
  assert.equal(flat.finalEquity, 8_000);
  // Next-open fills: the kill decided at bar 2's close flattens at bar 3's open.
  const next = withRisk(f, s, {}, limits({ maxDrawdown: { limit: 0.15, level: "kill" } }, true));
  assert.deepEqual(next.orders.map((o) => [o.index, o.reason]), [[1, "entry"], [3, "end"]]);
});

Deno.test("simulateWithRisk: a stop is decided when it triggers; a denied stop keeps the position", () => {
  // Entry at 100 (close fill), stop-loss 5 %: bar 2's low 90 triggers at the level 95.
  const f = ohlc([
    [100, 100, 100, 100],
    [100, 101, 99, 100],
    [98, 99, 90, 92],
    [92, 93, 91, 92],
  ]);
  const s = sig([1, 0, 0, 0], [0, 0, 0, 0]);
  const o = { fill: "close", stopLoss: 0.05 } as const;
  const allowed = withRisk(f, s, o, limits());
  assert.deepEqual(allowed.orders.map((o) => [o.index, o.price, o.reason]), [[0, 100, "entry"], [2, 95, "stop_loss"]]);
  // One order an hour: the entry (bar 0) uses it, so the stop at bar 2 is denied, and again at bar 3 (low 91 is
  // still through 95); the position rides to the finalize close at 92.
  const hourly = withRisk(f, s, o, limits({ orderRate: { perMinute: 10, perHour: 1, perDay: 10 } }));
  assert.deepEqual(hourly.denied.map((d) => [d.bar, d.side, d.reduceOnly, d.code]), [
    [2, "sell", true, "order_rate_hour"],
    [3, "sell", true, "order_rate_hour"],
  ]);
  assert.deepEqual(hourly.orders.map((o) => [o.index, o.reason]), [[0, "entry"], [3, "end"]]);
  assert.equal(hourly.finalEquity, 10_000 / 100 * 92);
});

Deno.test("simulateWithRisk: refuses target weights and a bad bar duration", () => {
  const f = closes([1, 2]);
  assert.throws(
    () =>
      simulateWithRisk(f, { kind: "weights", weights: new Float64Array(2) } as never, {}, {
        config: limits(),
        strategy: "s",
        barMs: MIN,
      }),
    /risk limits apply to signal runs.*run it without risk limits/,
  );
  assert.throws(() => withRisk(f, sig([0, 0], [0, 0]), {}, limits(), 0), /barMs must be the bar duration/);
});
