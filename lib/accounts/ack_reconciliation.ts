import { replay } from "../audit/mod.ts";
import type { OperatorOptions, OperatorResult } from "./operator_result.ts";
import { withOperatorContext } from "./_operator.ts";

/** Options of {@link ackReconciliation}. */
export interface AckReconciliationOptions extends OperatorOptions {
  /** The `reconciliation` event to acknowledge (it and every earlier one waiting). Default: the latest waiting. */
  reconciliationSeq?: number;
  /** Who acknowledges (a name or handle, never a credential). */
  operator?: string;
}

/**
 * Operator acknowledgement of a reconciliation mismatch: after a live runner's reconciliation found an order or a
 * balance the audit log cannot explain, the account stays `reducing` (a `resume` does not lift it) until an operator
 * who has looked at the report appends an `operator_ack` naming it. The reason is the ack's note (what was checked or
 * done). With nothing waiting, nothing is logged and the message says so; a seq that is not waiting is refused with
 * the ones that are.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { ackReconciliation, createAccount } from "./mod.ts";
 * const dataDir = await Deno.makeTempDir();
 * createAccount({ dataDir, name: "live-1", kind: "live", cash: 10_000 });
 * const r = ackReconciliation({ dataDir, name: "live-1", reason: "checked" });
 * assert.equal(r.changed, false);
 * assert.match(r.message, /no reconciliation is waiting/);
 * await Deno.remove(dataDir, { recursive: true });
 * ```
 */
export function ackReconciliation(options: AckReconciliationOptions): OperatorResult {
  return withOperatorContext(options, ({ log, state, now, reason, pendingReconciliations }) => {
    const base = { account: options.name, before: state.tradingState };
    if (pendingReconciliations.length === 0) {
      return {
        ...base,
        tradingState: state.tradingState,
        changed: false,
        message: `${options.name}: nothing to acknowledge: no reconciliation is waiting for an operator`,
      };
    }
    const seq = options.reconciliationSeq ?? pendingReconciliations[pendingReconciliations.length - 1]!;
    if (!pendingReconciliations.includes(seq)) {
      throw new RangeError(
        `reconciliation ${seq} of ${options.name} is not waiting for an acknowledgement; waiting: ${
          pendingReconciliations.join(", ")
        } (see \`deno task audit show --account ${options.name} --kind reconciliation\`)`,
      );
    }
    const ev = log.append({
      kind: "operator_ack",
      runId: "operator",
      ts: now,
      payload: { reconciliationSeq: seq, note: reason, ...(options.operator ? { operator: options.operator } : {}) },
    });
    // Replayed, not guessed: the hold is lifted, and what pause / resume / kill left the account in remains.
    const after = replay(log.events());
    const still = after.unacknowledgedReconciliations;
    return {
      ...base,
      tradingState: after.tradingState,
      changed: true,
      seq: ev.seq,
      message: `${options.name}: acknowledged reconciliation ${seq}${
        still.length ? `; still waiting: ${still.join(", ")}` : ""
      }: ${reason}`,
    };
  });
}
