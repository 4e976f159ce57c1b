/**
 * Tax lots and capital-gains reports from the fill ledger.
 *
 * The fills of paper and live accounts (their audit logs), CSV exports and ccxt `fetchMyTrades` JSON become
 * {@link LedgerEvent}s with exact decimal amounts; lots are matched by FIFO, LIFO, HIFO, LOFO, specific
 * identification or average cost, with US holding periods counted by calendar date in the taxpayer's zone.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { holdingTerm, LocalCalendar } from "./mod.ts";
 * const day = LocalCalendar.dayFromDate;
 * assert.equal(holdingTerm(day("2024-02-29"), day("2025-02-28")), "short");
 * assert.equal(holdingTerm(day("2024-02-29"), day("2025-03-01")), "long");
 * ```
 * @module
 */
export * from "./after_tax.ts";
export * from "./apply_lot_picks.ts";
export * from "./build_tax_report.ts";
export * from "./fixed.ts";
export * from "./holding_period.ts";
export * from "./ledger_event.ts";
export * from "./local_calendar.ts";
export * from "./match_lots.ts";
export * from "./open_lots_at.ts";
export * from "./par_currencies.ts";
export * from "./parse_column_mapping.ts";
export * from "./price_source.ts";
export * from "./read_account_ledger.ts";
export * from "./read_ccxt_trades.ts";
export * from "./read_trades_csv.ts";
export * from "./tax_input_error.ts";
export * from "./tax_match_error.ts";
export * from "./tax_report.ts";
export * from "./tax_report_csv.ts";
