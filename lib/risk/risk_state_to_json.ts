import type { RiskState } from "./risk_state.ts";
import type { RiskStateJson } from "./risk_state_json.ts";

/**
 * A snapshot of a state as plain JSON (`JSON.stringify` it; `riskStateFromJSON` reads it back equal).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { createRiskState, recordOrder, riskStateFromJSON, riskStateToJSON } from "./mod.ts";
 * const s = recordOrder(createRiskState({ account: "a", cash: 1_000, now: 0 }), { symbol: "X" }, 5);
 * const back = riskStateFromJSON(JSON.parse(JSON.stringify(riskStateToJSON(s))));
 * assert.deepEqual(riskStateToJSON(back), riskStateToJSON(s));
 * ```
 */
export function riskStateToJSON(state: RiskState): RiskStateJson {
  return {
    version: 1,
    account: state.account,
    tradingState: state.tradingState,
    reason: state.reason,
    equity: state.equity,
    cash: state.cash,
    equityPeak: state.equityPeak,
    day: state.day,
    dayStartEquity: state.dayStartEquity,
    positions: [...state.positions.values()].map((p) => ({
      symbol: p.symbol,
      qty: p.qty,
      avgPrice: p.avgPrice,
      lastPrice: p.lastPrice,
    })),
    orders: { capacity: state.orders.capacity, timestamps: state.orders.toArray() },
    lastOrderAt: Object.fromEntries(state.lastOrderAt),
    consecutiveLosses: state.consecutiveLosses,
    volatility: Object.fromEntries(state.volatility),
    lastBarClose: Object.fromEntries(state.lastBarClose),
  };
}
