/**
 * A prompt was about to contain a fact that became available after the decision time: the facts were computed from
 * bars the decision could not have seen. The caller must compute facts from bars `0..t` only (`computeFacts` does),
 * never patch the fact's time.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { LookAheadError } from "./look_ahead_error.ts";
 * const e = new LookAheadError("ret_5", Date.UTC(2024, 0, 2), Date.UTC(2024, 0, 1));
 * assert.equal(e.factId, "ret_5");
 * assert.match(e.message, /from the future/);
 * ```
 */
export class LookAheadError extends Error {
  override name = "LookAheadError";
  /** The offending fact's id. */
  readonly factId: string;
  /** When the fact became available, epoch ms. */
  readonly availableAt: number;
  /** The decision time it was offered to, epoch ms. */
  readonly decisionTime: number;

  constructor(factId: string, availableAt: number, decisionTime: number) {
    super(
      `fact ${JSON.stringify(factId)} became available at ${iso(availableAt)}, after the decision time ` +
        `${iso(decisionTime)}: it is from the future (look-ahead); compute facts from bars 0..t only ` +
        `(computeFacts with the decision bar's index t)`,
    );
    this.factId = factId;
    this.availableAt = availableAt;
    this.decisionTime = decisionTime;
  }
}

function iso(ms: number): string {
  return Number.isFinite(ms) && Math.abs(ms) <= 8.64e15 ? new Date(ms).toISOString() : String(ms);
}
