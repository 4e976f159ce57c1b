import { resume } from "../risk/mod.ts";
import type { OperatorOptions, OperatorResult } from "./operator_result.ts";
import { withOperatorContext } from "./_operator.ts";

/** Options of {@link resumeAccount}. */
export interface ResumeAccountOptions extends OperatorOptions {
  /**
   * The account name typed again by the operator (`--confirm-account NAME`). Required to resume a killed (`halted`)
   * account, and when given it must equal `name`.
   */
  confirmAccount?: string;
}

/**
 * Operator resume: appends a `resume` event (`by: "operator"`, the reason), moving a `reducing` or `halted` account
 * back to `active` by lib/risk's `resume` on the state rebuilt by `replay`. Leaving `halted` needs `confirmAccount`
 * equal to the account name: otherwise a `RangeError` refuses and says how (nothing is logged). Resuming an
 * `active` account is a no-op with a message.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { createAccount, killAccount, resumeAccount } from "./mod.ts";
 * const dataDir = await Deno.makeTempDir();
 * createAccount({ dataDir, name: "paper-1", kind: "paper", cash: 10_000 });
 * assert.equal(resumeAccount({ dataDir, name: "paper-1" }).changed, false);
 * killAccount({ dataDir, name: "paper-1", reason: "drill" });
 * assert.throws(() => resumeAccount({ dataDir, name: "paper-1" }), /--confirm-account paper-1/);
 * const r = resumeAccount({ dataDir, name: "paper-1", confirmAccount: "paper-1", reason: "drill over" });
 * assert.equal(r.tradingState, "active");
 * await Deno.remove(dataDir, { recursive: true });
 * ```
 */
export function resumeAccount(options: ResumeAccountOptions): OperatorResult {
  return withOperatorContext(options, ({ log, state, now, reason }) => {
    const confirm = options.confirmAccount;
    const base = { account: options.name, before: state.tradingState };
    let next;
    try {
      // lib/risk decides: the name must match the state's account, and leaving halted needs afterKill.
      next = resume(state, { account: confirm ?? options.name, afterKill: confirm !== undefined });
    } catch (e) {
      if (!(e instanceof RangeError)) throw e;
      // Worded for the operator (the flag to use), nothing logged.
      if (confirm !== undefined) {
        throw new RangeError(
          `--confirm-account ${JSON.stringify(confirm)} is not the account ${JSON.stringify(options.name)}: ` +
            `type the name of the account you mean to resume`,
        );
      }
      throw new RangeError(
        `account ${JSON.stringify(options.name)} was killed (${state.reason || "no reason recorded"}); resuming ` +
          `after a kill needs the account named again: --confirm-account ${options.name} ` +
          `(confirmAccount: ${JSON.stringify(options.name)})`,
      );
    }
    if (next === state) {
      return {
        ...base,
        tradingState: next.tradingState,
        changed: false,
        message: `${options.name}: already active; nothing to resume`,
      };
    }
    const ev = log.append({ kind: "resume", runId: "operator", ts: now, payload: { by: "operator", reason } });
    return {
      ...base,
      tradingState: next.tradingState,
      changed: true,
      seq: ev.seq,
      message: `${options.name}: resumed (active) from ${state.tradingState}: ${reason}`,
    };
  });
}
