import type { LedgerEvent } from "./ledger_event.ts";
import { sourceText } from "./_source_text.ts";

/**
 * The ledger cannot be matched as it is: a disposal of more than is held under the `error` oversell policy, a
 * specific-identification sale that names no lot, an unknown lot, a lot acquired after the sale or one already used
 * up, or an event with a negative amount. The message names the event, where it came from and what to change (fix
 * the input, name other lots, or opt in to the `zero-basis` oversell policy); CLIs print it as one line.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { TaxMatchError } from "./tax_match_error.ts";
 * const sell = {
 *   id: "trades.csv:7", kind: "sell", time: 0, asset: "BTC", qty: 1n, value: 0n, fee: 0n,
 *   source: { file: "trades.csv", line: 7 },
 * } as const;
 * const e = new TaxMatchError(sell, "sells 1 BTC but holds 0.5 BTC");
 * assert.equal(e.eventId, "trades.csv:7");
 * assert.equal(e.source, "trades.csv:7");
 * assert.match(e.message, /^sell trades\.csv:7: sells 1 BTC but holds 0\.5 BTC/);
 * ```
 */
export class TaxMatchError extends Error {
  override name = "TaxMatchError";
  /** The offending event's id. */
  readonly eventId: string;
  /** Where the event came from ("trades.csv:12", "account paper-1 seq 45"). */
  readonly source: string;
  /** What is wrong, without the event's name. */
  readonly reason: string;

  constructor(event: LedgerEvent, reason: string) {
    const source = sourceText(event);
    // An import's ids are its file:line already; say it once.
    super(`${event.kind} ${event.id}${source === event.id ? "" : ` (${source})`}: ${reason}`);
    this.eventId = event.id;
    this.source = source;
    this.reason = reason;
  }
}
