import { withTradingState } from "./_clone_state.ts";
import type { RiskState } from "./risk_state.ts";

/**
 * Operator (or rule) pause: `active` -> `reducing` (exits allowed, entries denied). A `reducing` state stays
 * `reducing` (the first reason is kept) and a `halted` one stays `halted`: a pause never weakens a kill. Returns a
 * new state; `state` is not changed.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { createRiskState, pause } from "./mod.ts";
 * const s = createRiskState({ account: "a", cash: 1_000, now: 0 });
 * const p = pause(s, "news at 14:00");
 * assert.equal(p.tradingState, "reducing");
 * assert.equal(p.reason, "news at 14:00");
 * assert.equal(s.tradingState, "active");
 * ```
 */
export function pause(state: RiskState, reason: string): RiskState {
  if (state.tradingState !== "active") return state;
  return withTradingState(state, "reducing", reason);
}
