import type { TradingState } from "../types/mod.ts";
import type { AuditEvent } from "./audit_event.ts";

/**
 * An account's trading state as its events set it, folded one event at a time (what {@link replay} reports, and
 * what an incremental reader such as the lab's /metrics must agree with). Two things decide it:
 *
 * - the operator's and the rules' commands: `pause` -> `reducing` (a pause does not lift a kill), `resume` ->
 *   `active`, `kill` -> `halted`;
 * - reconciliations waiting for an operator: a `reconciliation` with `needsAck` holds the account in at least
 *   `reducing` until an `operator_ack` names its seq (or a later waiting one's). A `resume` does not lift that hold:
 *   only an ack does, so a mismatch is never waved through by a command that did not look at it.
 *
 * The state in force is `halted` after a kill, else `reducing` while paused or while a reconciliation waits, else
 * `active`. Other kinds are ignored, so every event of a log can be passed.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import type { AuditEvent } from "./audit_event.ts";
 * import { TradingControl } from "./trading_control.ts";
 * const ev = (seq: number, kind: string, payload: unknown) => ({ seq, kind, payload }) as unknown as AuditEvent;
 * const mismatch = {
 *   trigger: "start", ok: false, needsAck: true, tradingState: "reducing", resolved: [], unknownOpenOrders: [],
 *   balanceMismatches: [{ asset: "BTC", expected: 0, actual: 0.1, diff: 0.1 }],
 * };
 * const c = new TradingControl();
 * c.apply(ev(1, "reconciliation", mismatch));
 * c.apply(ev(2, "resume", { by: "operator", reason: "go" }));
 * assert.equal(c.state, "reducing"); // a resume does not acknowledge the mismatch
 * c.apply(ev(3, "operator_ack", { reconciliationSeq: 1, note: "stray 0.1 BTC was a deposit" }));
 * assert.equal(c.state, "active");
 * assert.deepEqual(c.unacknowledged, []);
 * ```
 */
export class TradingControl {
  #base: TradingState = "active";
  /** Seqs of reconciliations waiting for an ack, ascending. */
  #waiting: number[] = [];

  /** The state pause / resume / kill left the account in, reconciliations aside. */
  get commanded(): TradingState {
    return this.#base;
  }

  /** The state in force. */
  get state(): TradingState {
    if (this.#base === "halted") return "halted";
    return this.#base === "reducing" || this.#waiting.length > 0 ? "reducing" : "active";
  }

  /** Seqs of the `reconciliation` events still waiting for an `operator_ack`, oldest first. */
  get unacknowledged(): readonly number[] {
    return this.#waiting;
  }

  /** Folds one event (events in seq order); answers whether it touched the state or the waiting list. */
  apply(ev: AuditEvent): boolean {
    switch (ev.kind) {
      case "pause":
        if (this.#base !== "halted") this.#base = "reducing";
        return true;
      case "resume":
        this.#base = "active";
        return true;
      case "kill":
        this.#base = "halted";
        return true;
      case "reconciliation":
        if (!ev.payload.needsAck) return false;
        this.#waiting.push(ev.seq);
        return true;
      case "operator_ack": {
        const seq = ev.payload.reconciliationSeq;
        if (!this.#waiting.includes(seq)) return false;
        this.#waiting = this.#waiting.filter((s) => s > seq);
        return true;
      }
      default:
        return false;
    }
  }
}
