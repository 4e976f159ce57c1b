import { formatZodIssues } from "../types/mod.ts";
import { OrderRing } from "./order_ring.ts";
import type { PositionState, RiskState } from "./risk_state.ts";
import { RiskStateJsonSchema } from "./risk_state_json.ts";

/**
 * A state from a snapshot made by `riskStateToJSON` (parsed JSON). A malformed snapshot throws a TypeError naming
 * each bad field. See `riskStateToJSON` for an example.
 */
export function riskStateFromJSON(json: unknown): RiskState {
  const r = RiskStateJsonSchema.safeParse(json);
  if (!r.success) throw new TypeError(`risk state snapshot: ${formatZodIssues(r.error, json)}`);
  const s = r.data;
  const positions = new Map<string, PositionState>();
  for (const p of s.positions) positions.set(p.symbol, { ...p });
  return {
    account: s.account,
    tradingState: s.tradingState,
    reason: s.reason,
    equity: s.equity,
    cash: s.cash,
    equityPeak: s.equityPeak,
    day: s.day,
    dayStartEquity: s.dayStartEquity,
    positions,
    orders: OrderRing.from(s.orders.timestamps, s.orders.capacity),
    lastOrderAt: new Map(Object.entries(s.lastOrderAt)),
    consecutiveLosses: s.consecutiveLosses,
    volatility: new Map(Object.entries(s.volatility)),
    lastBarClose: new Map(Object.entries(s.lastBarClose)),
  };
}
