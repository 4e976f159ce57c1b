import { pause } from "../risk/mod.ts";
import type { OperatorOptions, OperatorResult } from "./operator_result.ts";
import { withOperatorContext } from "./_operator.ts";

/** Options of {@link pauseAccount}. */
export type PauseAccountOptions = OperatorOptions;

/**
 * Operator pause: appends a `pause` event (`by: "operator"`, the reason) to the account's audit log, moving it from
 * `active` to `reducing` (exits allowed, entries denied) by lib/risk's `pause` on the state rebuilt by `replay`. An
 * account already `reducing` or `halted` is left as it is (a pause never weakens a kill): nothing is logged, and the
 * message says why.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { createAccount, pauseAccount } from "./mod.ts";
 * const dataDir = await Deno.makeTempDir();
 * createAccount({ dataDir, name: "paper-1", kind: "paper", cash: 10_000 });
 * const r = pauseAccount({ dataDir, name: "paper-1", reason: "FOMC at 19:00" });
 * assert.equal(r.tradingState, "reducing");
 * assert.equal(pauseAccount({ dataDir, name: "paper-1" }).changed, false);
 * await Deno.remove(dataDir, { recursive: true });
 * ```
 */
export function pauseAccount(options: PauseAccountOptions): OperatorResult {
  return withOperatorContext(options, ({ log, state, now, reason }) => {
    const next = pause(state, reason);
    const base = { account: options.name, before: state.tradingState, tradingState: next.tradingState };
    if (next === state) {
      const why = state.tradingState === "halted"
        ? "it is halted (killed); a pause does not lift a kill"
        : `it is already paused (reducing: ${state.reason || "no reason recorded"})`;
      return { ...base, changed: false, message: `${options.name}: not paused: ${why}` };
    }
    const ev = log.append({ kind: "pause", runId: "operator", ts: now, payload: { by: "operator", reason } });
    return {
      ...base,
      changed: true,
      seq: ev.seq,
      message: `${options.name}: paused (reducing: exits only, no new entries): ${reason}`,
    };
  });
}
