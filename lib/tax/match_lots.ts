import type { HoldingTerm } from "./holding_period.ts";
import type { LedgerEvent, LedgerEventKind } from "./ledger_event.ts";
import { LocalCalendar } from "./local_calendar.ts";
import type { LotMethod, OversellPolicy } from "./tax_report.ts";
import { runMatch } from "./_match.ts";
import { assertMethod, assertOversell } from "./_checks.ts";
// deno-lint-ignore no-unused-vars
import type { TaxMatchError } from "./tax_match_error.ts"; // named by the {@link}s
// deno-lint-ignore no-unused-vars
import type { MONEY_DP, QTY_DP } from "./fixed.ts";

/** Options of {@link matchLots}. */
export interface MatchLotsOptions {
  method: LotMethod;
  /** IANA zone the holding period is counted in; default `America/New_York`. */
  timeZone?: string;
  /** What a disposal of more than is held does; default `error`. */
  oversell?: OversellPolicy;
  /** Process only events at or before this instant (epoch ms); default all. */
  until?: number;
}

/** One lot (or part of one) a disposal or transfer used. Amounts are exact: {@link QTY_DP}, {@link MONEY_DP}. */
export interface MatchedPart {
  /** The lot's id (its acquisition's event id), or `"(zero basis)"` for an oversold part. */
  lotId: string;
  qty: bigint;
  /** Basis taken from the lot (0 for a zero-basis part). */
  basis: bigint;
  /** This part's share of the event's net proceeds (0 for a transfer); the parts sum to the event's. */
  proceeds: bigint;
  /** The lot's acquisition, epoch ms (the sale's time for a zero-basis part). */
  acquiredAt: number;
  /** Its local day (days since 1970-01-01). */
  acquiredDay: number;
  /** The first local day a sale of the lot is long-term (`longTermFrom(acquiredDay)`). */
  longFrom: number;
  term: HoldingTerm;
  zeroBasis: boolean;
  /** Named by the event under specific identification (false: taken in FIFO order). */
  named: boolean;
}

/** A disposal (`sell`, `fee`) or a `transfer`, with the lots it used in order. */
export interface MatchStep {
  event: LedgerEvent;
  /** Local day of the event. */
  day: number;
  /** Net proceeds (`value - fee`) at {@link MONEY_DP}; 0 for a transfer. */
  proceeds: bigint;
  parts: MatchedPart[];
}

/** A lot still held after the last event processed. */
export interface OpenLotState {
  lotId: string;
  asset: string;
  acquiredAt: number;
  acquiredDay: number;
  qty: bigint;
  /** Remaining basis; under average cost, the lot's share (by quantity) of the asset's pooled basis. */
  basis: bigint;
  origin: LedgerEventKind;
  /** The wallet a transfer moved it to, or its acquisition's `toWallet`. */
  wallet: string | undefined;
  /** Acquisition order over the ledger. */
  seq: number;
}

/** Something the accountant must see (a zero-basis part, a transfer of more than held). */
export interface MatchWarning {
  eventId: string;
  time: number;
  day: number;
  text: string;
}

/** What {@link matchLots} answers. */
export interface LotMatching {
  method: LotMethod;
  timeZone: string;
  oversell: OversellPolicy;
  /** The ledger sorted by time (ties in input order): all of it, also events after `until`. */
  events: readonly LedgerEvent[];
  /** How many of `events` (a prefix) were processed. */
  processed: number;
  /** Every disposal and transfer processed, in time order. */
  steps: MatchStep[];
  /** The lots held at the end, by asset then acquisition order. */
  openLots: OpenLotState[];
  warnings: MatchWarning[];
}

/**
 * Matches every disposal of the ledger to the lots it uses, in time order (a stable sort: events at the same
 * millisecond keep their input order, so a buy listed after a sale at the same instant is not available to it).
 *
 * Rules (issue 12, US first):
 * - A disposal uses only lots acquired at or before it. `fifo` the earliest lot first, `lifo` the latest, `hifo`
 *   the highest unit cost (basis / quantity at acquisition, ties to the earlier lot), `lofo` the lowest,
 *   `specific` the lots the sale names in `event.lots`, in order (a `sell` naming none is an error; a `fee` or
 *   `transfer` naming none uses FIFO order), `average` one pooled basis per asset: a disposal of q takes
 *   `pool × q / held` of it, and its parts follow FIFO order for their dates (so the term split is FIFO's), each
 *   part's basis a share of that amount by quantity.
 * - A lot used in part gives `basis × q / Q` (half to even at {@link MONEY_DP}) and keeps the rest, so no basis
 *   is lost or made: Σ acquired basis = Σ parts' basis + Σ open lots' basis, exactly.
 * - A buy's fee adds to its lot's basis; income makes a lot of basis `value + fee`; a sale's (or fee event's)
 *   net proceeds `value - fee` are shared over its parts by quantity, the last part taking the remainder.
 * - The term of a part is `holdingTerm(acquired local day, sold local day)` in `timeZone`.
 * - A transfer is not a disposal: lots keep their dates and basis (holdings are pooled per asset, not per
 *   wallet); the step lists the lots the method's order says moved, and a lot moved whole gets origin `transfer`.
 * - Oversell (a disposal of more than held): `error` throws {@link TaxMatchError} naming the event, its source,
 *   the asset and the quantity short; `zero-basis` uses all that is held and gives the rest a part of zero basis,
 *   acquired on the sale's date (short-term), with a warning.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { type LedgerEvent, matchLots, MONEY_DP, parseFixed, QTY_DP } from "./mod.ts";
 * const ev = (id: string, kind: "buy" | "sell", date: string, qty: string, value: string): LedgerEvent => ({
 *   id, kind, time: Date.parse(`${date}T15:00:00Z`), asset: "BTC", qty: parseFixed(qty, QTY_DP),
 *   value: parseFixed(value, MONEY_DP), fee: 0n, source: { file: "t.csv" },
 * });
 * const ledger = [
 *   ev("b1", "buy", "2024-01-10", "1", "40000"),
 *   ev("b2", "buy", "2024-06-10", "1", "60000"),
 *   ev("s1", "sell", "2025-03-01", "1.5", "105000"),
 * ];
 * const fifo = matchLots(ledger, { method: "fifo" });
 * assert.deepEqual(fifo.steps[0]!.parts.map((p) => [p.lotId, p.term]), [["b1", "long"], ["b2", "short"]]);
 * const hifo = matchLots(ledger, { method: "hifo" });
 * assert.equal(hifo.steps[0]!.parts[0]!.lotId, "b2");
 * assert.equal(hifo.openLots[0]!.basis, parseFixed("20000", MONEY_DP)); // half of b1 left
 * ```
 */
export function matchLots(events: readonly LedgerEvent[], options: MatchLotsOptions): LotMatching {
  assertMethod(options.method);
  const oversell = options.oversell ?? "error";
  assertOversell(oversell);
  const until = options.until ?? Infinity;
  if (typeof until !== "number" || Number.isNaN(until)) {
    throw new RangeError(
      `until ${String(options.until)} is not epoch milliseconds; pass a number such as Date.UTC(2025, 11, 31)`,
    );
  }
  return runMatch(events, {
    method: options.method,
    calendar: new LocalCalendar(options.timeZone ?? "America/New_York"),
    oversell,
    untilMs: until,
    untilDay: Infinity,
    recordFromDay: -Infinity,
  });
}
