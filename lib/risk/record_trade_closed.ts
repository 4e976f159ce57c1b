import type { RiskState } from "./risk_state.ts";

/**
 * Records a closed trade's realized P&L (net of fees, quote currency) for the consecutive-losses rule: a loss
 * (`pnl < 0`) extends the streak, anything else (a win or a scratch at exactly 0) ends it. Changes `state` in
 * place and returns it.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { createRiskState, recordTradeClosed } from "./mod.ts";
 * const s = createRiskState({ account: "a", cash: 1_000, now: 0 });
 * recordTradeClosed(recordTradeClosed(s, -5), -1);
 * assert.equal(s.consecutiveLosses, 2);
 * assert.equal(recordTradeClosed(s, 0).consecutiveLosses, 0);
 * ```
 */
export function recordTradeClosed(state: RiskState, pnl: number): RiskState {
  if (!Number.isFinite(pnl)) throw new RangeError(`trade P&L must be a finite number, got ${pnl}`);
  state.consecutiveLosses = pnl < 0 ? state.consecutiveLosses + 1 : 0;
  return state;
}
