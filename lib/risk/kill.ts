import { withTradingState } from "./_clone_state.ts";
import type { RiskState } from "./risk_state.ts";

/**
 * The kill switch: any state -> `halted` (nothing new, exits included). Whether positions are also closed is the
 * config's `flattenOnKill`, carried out by the runner as part of the kill (the engine denies every order while
 * halted). Killing a halted account keeps the first reason. Only `resume` with `afterKill: true` naming the
 * account leaves `halted`. Returns a new state; `state` is not changed.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { createRiskState, kill } from "./mod.ts";
 * const k = kill(createRiskState({ account: "a", cash: 1_000, now: 0 }), "operator: exchange incident");
 * assert.equal(k.tradingState, "halted");
 * ```
 */
export function kill(state: RiskState, reason: string): RiskState {
  if (state.tradingState === "halted") return state;
  return withTradingState(state, "halted", reason);
}
