import { kill } from "./kill.ts";
import { pause } from "./pause.ts";
import type { RiskState } from "./risk_state.ts";
import type { Verdict } from "./verdict.ts";

/**
 * The state after a verdict: an ok verdict or a denial of level `warning` leaves it as is (the same object);
 * a denial of level `pause` moves `active` to `reducing`; of level `kill`, anything to `halted`. The reason is
 * `"<code>: <detail>"`. Never moves towards `active` (only `resume` does). Returns a new state when it changes.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { applyVerdict, createRiskState } from "./mod.ts";
 * const s = createRiskState({ account: "a", cash: 1_000, now: 0 });
 * const v = { ok: false, code: "daily_loss", level: "pause", detail: "loss 4% > limit 3%" } as const;
 * assert.equal(applyVerdict(s, v).tradingState, "reducing");
 * assert.equal(applyVerdict(s, { ok: true, code: "ok", level: "warning", detail: "" }), s);
 * ```
 */
export function applyVerdict(state: RiskState, verdict: Verdict): RiskState {
  if (verdict.ok || verdict.level === "warning") return state;
  const reason = `${verdict.code}: ${verdict.detail}`;
  return verdict.level === "kill" ? kill(state, reason) : pause(state, reason);
}
