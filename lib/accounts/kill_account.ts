import { kill } from "../risk/mod.ts";
import type { OperatorOptions, OperatorResult } from "./operator_result.ts";
import { withOperatorContext } from "./_operator.ts";

/** Options of {@link killAccount}. */
export interface KillAccountOptions extends OperatorOptions {
  /**
   * Ask that every position be closed as part of the kill. Default: the account's `risk.flattenOnKill`
   * (false when its account.json cannot be read). The event records it; the runner closes the positions.
   */
  flatten?: boolean;
}

/**
 * The operator's kill switch: appends a `kill` event (`by: "operator"`, the reason, `flatten`), moving the account
 * to `halted` (nothing new, exits included) by lib/risk's `kill` on the state rebuilt by `replay`. Works from any
 * state, even when account.json is broken or missing (a log written by a runner alone). Killing a halted account is
 * a no-op (nothing logged). Leaving `halted` needs {@link resumeAccount} with `confirmAccount` naming the account.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { createAccount, killAccount } from "./mod.ts";
 * const dataDir = await Deno.makeTempDir();
 * createAccount({ dataDir, name: "paper-1", kind: "paper", cash: 10_000 });
 * const r = killAccount({ dataDir, name: "paper-1", reason: "exchange incident", flatten: true });
 * assert.equal(r.tradingState, "halted");
 * assert.match(r.message, /flatten/);
 * assert.equal(killAccount({ dataDir, name: "paper-1" }).changed, false);
 * await Deno.remove(dataDir, { recursive: true });
 * ```
 */
export function killAccount(options: KillAccountOptions): OperatorResult {
  return withOperatorContext(options, ({ log, account, state, now, reason }) => {
    const next = kill(state, reason);
    const base = { account: options.name, before: state.tradingState, tradingState: next.tradingState };
    if (next === state) {
      return {
        ...base,
        changed: false,
        message: `${options.name}: already halted (${state.reason || "no reason recorded"}); nothing logged`,
      };
    }
    const flatten = options.flatten ?? account?.config.risk.flattenOnKill ?? false;
    const ev = log.append({ kind: "kill", runId: "operator", ts: now, payload: { by: "operator", reason, flatten } });
    return {
      ...base,
      changed: true,
      seq: ev.seq,
      message: `${options.name}: killed (halted: no new orders${
        flatten ? "; flatten requested: the runner closes every position" : "; positions kept"
      }): ${reason}`,
    };
  });
}
