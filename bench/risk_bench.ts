/**
 * Risk engine speed: `RiskEngine.check` with every rule enabled (both absolute caps, a trading window, the symbol
 * lists, rate limits up to 2,000 a day) on a realistic state: 10 open positions, 1,000 orders recorded over the
 * last 16 hours, fresh bars and volatility figures. Target (issue 8): 1,000,000 checks per second or more, i.e.
 * <= 1 µs per check. Each iteration runs 10,000 checks (ok entries, exits and denials mixed, as a runner sees
 * them); divide the time per iteration by 10,000 for the time per check.
 *
 *   ./denow bench -A bench/risk_bench.ts
 */
import type { OrderIntent } from "../lib/types/mod.ts";
import { check, DEFAULT_RISK_CONFIG, type RiskConfig, RiskEngine } from "../lib/risk/mod.ts";
import { busyState } from "../lib/risk/_testing.ts";

const N = 10_000;
const now = Date.UTC(2026, 0, 5, 18, 0); // Monday 18:00 UTC

const config: RiskConfig = {
  version: 1,
  flattenOnKill: true,
  rules: {
    ...DEFAULT_RISK_CONFIG.rules,
    maxPositionValue: { enabled: true, limit: 50_000, level: "warning" },
    maxPositionShare: { enabled: true, limit: 0.25, level: "warning" },
    maxGrossExposure: { enabled: true, limit: 200_000, level: "warning" },
    maxLeverage: { enabled: true, limit: 2, level: "warning" },
    symbols: { enabled: true, allow: null, deny: ["LUNA/USDT"], level: "warning" },
    orderRate: { enabled: true, perMinute: 20, perHour: 600, perDay: 2_000, level: "warning" },
    tradingWindow: {
      enabled: true,
      days: ["mon", "tue", "wed", "thu", "fri"],
      start: "00:00",
      end: "24:00",
      level: "warning",
    },
  },
  strategies: { scalper: { orderRate: { perMinute: 30 } } },
};
const engine = new RiskEngine(config);
for (const k of Object.keys(config.rules) as (keyof RiskConfig["rules"])[]) {
  if (!config.rules[k].enabled) throw new Error(`bench rule ${k} is off`);
}
const state = busyState(now, 1_000, engine.ringCapacity);
if (state.positions.size !== 10 || state.orders.toArray().length !== 1_000) throw new Error("bench state is wrong");

function mk(i: number, over: Partial<OrderIntent>): OrderIntent {
  return {
    clientOrderId: `c${i}`,
    account: "acct",
    strategy: i % 2 === 0 ? "sma_cross" : "scalper",
    symbol: `SYM${i % 11}`,
    side: "buy",
    qty: 1 + (i % 5),
    price: 100,
    type: "market",
    reduceOnly: false,
    barTs: now - 60_000,
    ...over,
  };
}
const entries = Array.from({ length: 64 }, (_, i) => mk(i, {}));
const mixed = Array.from(
  { length: 64 },
  (_, i) =>
    i % 4 === 0
      ? mk(i, { symbol: `SYM${i % 10}`, side: "sell", qty: 1, reduceOnly: true }) // exit
      : i % 4 === 1
      ? mk(i, { qty: 1_000 }) // denied: position share
      : mk(i, {}),
);

// Sanity: the entries are allowed, so the bench measures the full rule path.
for (const i of entries) {
  const v = engine.check(i, state, now);
  if (!v.ok) throw new Error(`bench intent denied: ${v.code} ${v.detail}`);
}
let sink = 0;

Deno.bench({
  name: "check x10,000: allowed entries, all rules on (10 positions, 1,000 orders)",
  group: "risk",
  baseline: true,
  fn() {
    for (let i = 0; i < N; i++) if (engine.check(entries[i & 63]!, state, now + (i & 1023)).ok) sink++;
  },
});

Deno.bench({
  name: "check x10,000: mixed (exits, denials with a detail, entries)",
  group: "risk",
  fn() {
    for (let i = 0; i < N; i++) if (engine.check(mixed[i & 63]!, state, now + (i & 1023)).ok) sink++;
  },
});

Deno.bench({
  name: "check x10,000: clock advancing 5 minutes (windows slide; the stale-data limit is 5 min)",
  group: "risk",
  fn() {
    for (let i = 0; i < N; i++) if (engine.check(entries[i & 63]!, state, now + i * 30).ok) sink++;
  },
});

Deno.bench({
  name: "check(intent, state, now, config) x10,000: the function form (engine cached per config)",
  group: "risk",
  fn() {
    for (let i = 0; i < N; i++) if (check(entries[i & 63]!, state, now + (i & 1023), config).ok) sink++;
  },
});

globalThis.addEventListener("unload", () => {
  if (sink === 0) console.log("");
});
