import type { OrderIntent } from "../types/mod.ts";
import type { RiskState } from "./risk_state.ts";

/**
 * Records that an order of `intent` was sent at `now` (after the engine allowed it): it counts for the rate limits
 * and starts the minimum interval of its symbol and of the account. Call it for exits too (they count for the
 * rate limits). Changes `state` in place and returns it. Times must not go backwards (RangeError).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { createRiskState, recordOrder } from "./mod.ts";
 * const s = createRiskState({ account: "a", cash: 1_000, now: 0 });
 * recordOrder(s, { symbol: "BTC/USDT" }, 60_000);
 * assert.equal(s.lastOrderAt.get("BTC/USDT"), 60_000);
 * assert.equal(s.orders.total, 1);
 * ```
 */
export function recordOrder(state: RiskState, intent: Pick<OrderIntent, "symbol">, now: number): RiskState {
  state.orders.push(now);
  state.lastOrderAt.set(intent.symbol, now);
  return state;
}
