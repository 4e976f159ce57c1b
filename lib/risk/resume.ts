import { withTradingState } from "./_clone_state.ts";
import type { RiskState } from "./risk_state.ts";

/** Options of `resume`: an explicit operator action. */
export interface ResumeOptions {
  /** The account being resumed; must equal the state's account (guards against resuming the wrong one). */
  account: string;
  /** Required (true) to leave `halted`: resuming after a kill is a deliberate act that names the account. */
  afterKill?: boolean;
}

/**
 * Operator resume: `reducing` or `halted` -> `active`. Refused with a RangeError (naming the account and the fix)
 * when `account` is not the state's account, or when the state is `halted` and `afterKill` is not true. Resuming
 * an `active` state returns it unchanged. The counters are kept: a daily-loss pause resumed on the same UTC day
 * pauses again at the next entry while the loss still exceeds the limit. Returns a new state.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { createRiskState, kill, resume } from "./mod.ts";
 * const k = kill(createRiskState({ account: "paper-1", cash: 1_000, now: 0 }), "drawdown");
 * assert.throws(() => resume(k, { account: "paper-1" }), /afterKill/);
 * assert.equal(resume(k, { account: "paper-1", afterKill: true }).tradingState, "active");
 * ```
 */
export function resume(state: RiskState, options: ResumeOptions): RiskState {
  if (options.account !== state.account) {
    throw new RangeError(
      `resume names account ${JSON.stringify(options.account)} but this state is account ` +
        `${JSON.stringify(state.account)}; name the account you mean to resume`,
    );
  }
  if (state.tradingState === "active") return state;
  if (state.tradingState === "halted" && options.afterKill !== true) {
    throw new RangeError(
      `account ${JSON.stringify(state.account)} was killed (${state.reason || "no reason given"}); ` +
        `resuming after a kill needs an explicit operator action: resume(state, { account: ` +
        `${JSON.stringify(state.account)}, afterKill: true })`,
    );
  }
  return withTradingState(state, "active", "");
}
