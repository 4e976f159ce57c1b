import { OrderRing } from "./order_ring.ts";
import type { RiskState } from "./risk_state.ts";

/** A deep copy with another trading state and reason (transitions are rare; copying keeps them pure). */
export function withTradingState(
  state: RiskState,
  tradingState: RiskState["tradingState"],
  reason: string,
): RiskState {
  const positions = new Map<string, RiskState["positions"] extends Map<string, infer P> ? P : never>();
  for (const [k, p] of state.positions) positions.set(k, { ...p });
  return {
    ...state,
    tradingState,
    reason,
    positions,
    orders: OrderRing.from(state.orders.toArray(), state.orders.capacity),
    lastOrderAt: new Map(state.lastOrderAt),
    volatility: new Map(state.volatility),
    lastBarClose: new Map(state.lastBarClose),
  };
}
