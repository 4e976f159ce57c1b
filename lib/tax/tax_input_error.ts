/**
 * Bad tax input: a row of a trades CSV, an entry of ccxt trades JSON, a fill of an account's audit log or a lot
 * pick that cannot become a ledger event. The message is `"<file>:<line>: <reason>"` (or `"<file>: <reason>"`
 * when `line` is 0: an input without lines, such as a JSON object of lot picks); the reason says what was found
 * and how to fix it. A reader throws it before it returns anything, so a caller never sees a partial ledger.
 *
 * `line` is the 1-based line of a CSV file (the header is line 1), the 1-based index in a JSON array, or the
 * sequence number of an audit event (then `file` names the account's log).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { TaxInputError } from "./tax_input_error.ts";
 * const e = new TaxInputError("trades.csv", 7, 'unknown side "hold"; use buy, sell, income, ...');
 * assert.equal(e.message, 'trades.csv:7: unknown side "hold"; use buy, sell, income, ...');
 * assert.equal(e.line, 7);
 * assert.equal(new TaxInputError("picks.json", 0, "not an object").message, "picks.json: not an object");
 * ```
 */
export class TaxInputError extends Error {
  /** The input's name as given (a path, or `<account> audit log`). */
  readonly file: string;
  /** The 1-based line, JSON array index or audit seq; 0 when the input has no lines. */
  readonly line: number;
  /** What is wrong and the fix, without the location. */
  readonly reason: string;

  constructor(file: string, line: number, reason: string, options?: ErrorOptions) {
    super(line > 0 ? `${file}:${line}: ${reason}` : `${file}: ${reason}`, options);
    this.name = "TaxInputError";
    this.file = file;
    this.line = line;
    this.reason = reason;
  }
}
