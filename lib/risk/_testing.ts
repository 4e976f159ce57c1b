// Fixtures for the risk tests and the bench: configs with one rule on, intents, a realistic state.
import type { OrderIntent } from "../types/mod.ts";
import { createRiskState } from "./create_risk_state.ts";
import { DEFAULT_RISK_CONFIG } from "./default_risk_config.ts";
import { markEquity } from "./mark_equity.ts";
import { recordBar } from "./record_bar.ts";
import { recordFill } from "./record_fill.ts";
import { recordOrder } from "./record_order.ts";
import type { RiskConfig, RiskRules, RiskRulesOverride } from "./risk_config.ts";
import type { RiskState } from "./risk_state.ts";

/** Monday 2026-01-05 12:00:00 UTC. */
export const MON_NOON: number = Date.UTC(2026, 0, 5, 12, 0, 0);
export const MIN = 60_000;
export const HOUR = 3_600_000;
export const DAY = 86_400_000;

/** Every rule of the default config, switched off. */
export function rulesOff(): RiskRules {
  const r = structuredClone(DEFAULT_RISK_CONFIG.rules) as RiskRules;
  for (const k of Object.keys(r) as (keyof RiskRules)[]) r[k].enabled = false;
  return r;
}

/** A config with every rule off except the blocks given (merged field by field over the defaults). */
export function configWith(patch: RiskRulesOverride, extra: Partial<RiskConfig> = {}): RiskConfig {
  const rules = rulesOff() as Record<string, object>;
  for (const [k, v] of Object.entries(patch)) rules[k] = { ...rules[k], enabled: true, ...v };
  return { version: 1, flattenOnKill: false, rules: rules as RiskRules, strategies: {}, ...extra };
}

export function intent(over: Partial<OrderIntent> = {}): OrderIntent {
  return {
    clientOrderId: "c1",
    account: "acct",
    strategy: "strat",
    symbol: "BTC/USDT",
    side: "buy",
    qty: 1,
    price: 100,
    type: "market",
    reduceOnly: false,
    barTs: MON_NOON - MIN,
    ...over,
  };
}

/** An active account with 10,000 of cash at `now`, ring of `ringCapacity` (default 10,000). */
export function freshState(now: number = MON_NOON, ringCapacity?: number): RiskState {
  return createRiskState({ account: "acct", cash: 10_000, now, ringCapacity });
}

/** Gives the state a position (via a fill at `price`, fee 0). */
export function hold(state: RiskState, symbol: string, qty: number, price: number, ts: number = MON_NOON): RiskState {
  return recordFill(state, {
    clientOrderId: `h-${symbol}`,
    symbol,
    side: qty > 0 ? "buy" : "sell",
    qty: Math.abs(qty),
    price,
    fee: 0,
    ts,
  });
}

/**
 * A realistic state for the bench and the all-rules tests: 10 positions (SYM0..SYM9 at 100, 2 units each),
 * fresh bars and volatility for 11 symbols, and `orders` orders spread over the last ~16 hours (none in the last
 * 2 minutes), all within `now`'s UTC day when `now` is late enough.
 */
export function busyState(now: number, orders: number, ringCapacity: number): RiskState {
  const s = createRiskState({ account: "acct", cash: 100_000, now: now - 20 * HOUR, ringCapacity });
  for (let i = 0; i < 10; i++) hold(s, `SYM${i}`, 2, 100, now - 20 * HOUR);
  const step = Math.floor((16 * HOUR) / orders);
  for (let i = 0; i < orders; i++) recordOrder(s, { symbol: `SYM${i % 10}` }, now - 2 * MIN - (orders - 1 - i) * step);
  for (let i = 0; i < 11; i++) recordBar(s, { symbol: `SYM${i}`, closeTime: now, close: 100, volatility: 0.01 });
  markEquity(s, 100_000, now - 10 * HOUR);
  markEquity(s, 100_000, now);
  return s;
}
