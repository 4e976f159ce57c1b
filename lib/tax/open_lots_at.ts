import type { LedgerEvent } from "./ledger_event.ts";
import { LocalCalendar } from "./local_calendar.ts";
import type { LotMethod, OpenLot, OversellPolicy } from "./tax_report.ts";
import { runMatch } from "./_match.ts";
import { assertMethod, assertOversell } from "./_checks.ts";
import { openLotRow } from "./_open_lot_row.ts";

/** Options of {@link openLotsAt}. */
export interface OpenLotsAtOptions {
  /** Epoch ms: the lots held at the end of that instant (events at `at` included). */
  at: number;
  method: LotMethod;
  /** IANA zone of the dates shown; default `America/New_York`. */
  timeZone?: string;
  /** Default `error`. */
  oversell?: OversellPolicy;
}

/**
 * The lots held at an instant, by asset then acquisition order, with their remaining basis: what `deno task tax
 * lots --at DATE` lists. The lots depend on the method (FIFO leaves the latest lots, HIFO the cheapest); under
 * average cost each lot shows its share of the asset's pooled basis by quantity.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { type LedgerEvent, MONEY_DP, openLotsAt, parseFixed, QTY_DP } from "./mod.ts";
 * const ev = (id: string, kind: "buy" | "sell", date: string, qty: string, value: string): LedgerEvent => ({
 *   id, kind, time: Date.parse(`${date}T15:00:00Z`), asset: "ETH", qty: parseFixed(qty, QTY_DP),
 *   value: parseFixed(value, MONEY_DP), fee: 0n, source: { file: "trades.csv" },
 * });
 * const ledger = [ev("b1", "buy", "2025-01-02", "2", "6000"), ev("b2", "buy", "2025-02-02", "1", "2500"),
 *   ev("s1", "sell", "2025-03-02", "1.5", "4000")];
 * const lots = openLotsAt(ledger, { at: Date.UTC(2025, 11, 31), method: "fifo" });
 * assert.deepEqual(lots.map((l) => [l.lotId, l.qty, l.costBasis, l.unitCost]), [
 *   ["b1", "0.5", "1500.00", "3000.00000000"],
 *   ["b2", "1", "2500.00", "2500.00000000"],
 * ]);
 * assert.equal(openLotsAt(ledger, { at: Date.UTC(2025, 0, 31), method: "fifo" }).length, 1);
 * ```
 */
export function openLotsAt(events: readonly LedgerEvent[], options: OpenLotsAtOptions): OpenLot[] {
  const { at, method } = options;
  if (typeof at !== "number" || Number.isNaN(at)) {
    throw new RangeError(`at ${String(at)} is not epoch milliseconds; pass a number such as Date.UTC(2025, 11, 31)`);
  }
  assertMethod(method);
  const oversell = options.oversell ?? "error";
  assertOversell(oversell);
  const matching = runMatch(events, {
    method,
    calendar: new LocalCalendar(options.timeZone ?? "America/New_York"),
    oversell,
    untilMs: at,
    untilDay: Infinity,
    recordFromDay: Infinity,
  });
  return matching.openLots.map(openLotRow);
}
