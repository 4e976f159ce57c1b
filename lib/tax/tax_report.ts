/**
 * The shape of a tax report, as JSON, the CSV files and the lab page show it. Every amount is a decimal text in
 * the reporting currency rounded to cents per event, half to even (`"1234.50"`, `"-12.00"`); quantities are
 * decimal texts at the asset's precision (`"0.5"`). Dates are local calendar dates (`YYYY-MM-DD`) in the
 * report's time zone.
 *
 * @module
 */
import type { HoldingTerm } from "./holding_period.ts";
import type { IncomeType, LedgerEventKind } from "./ledger_event.ts";

/** How a disposal picks the lots it uses. */
export type LotMethod = "fifo" | "lifo" | "hifo" | "lofo" | "specific" | "average";

/** Every lot method, in the order the CLI lists them. */
export const LOT_METHODS: readonly LotMethod[] = ["fifo", "lifo", "hifo", "lofo", "specific", "average"];

/** What a disposal without enough lots does: an error, or a lot of zero basis flagged in the report. */
export type OversellPolicy = "error" | "zero-basis";

/** Options of a report. */
export interface TaxReportOptions {
  /** The tax year (calendar year in `timeZone`). */
  year: number;
  method: LotMethod;
  /** IANA zone the holding period and the year are counted in; default `America/New_York`. */
  timeZone?: string;
  /** Default `error`. */
  oversell?: OversellPolicy;
  /** The reporting currency's code, shown in the report; default `USD`. */
  currency?: string;
}

/** One row of the Form 8949-style list: a disposal's part matched to one lot, in one term. */
export interface Form8949Row {
  /** The disposal event's id. */
  eventId: string;
  /** The lot's id (its acquisition event's id); `"(zero basis)"` for an oversold part under the zero-basis policy. */
  lotId: string;
  /** "0.5 BTC". */
  description: string;
  asset: string;
  qty: string;
  /** `YYYY-MM-DD`, or `"VARIOUS"` under average cost. */
  dateAcquired: string;
  dateSold: string;
  proceeds: string;
  costBasis: string;
  gain: string;
  term: HoldingTerm;
  /** `sell`, or `fee` for a fee paid in an asset. */
  kind: LedgerEventKind;
  /** Set when the part was oversold and given a zero basis. */
  zeroBasis?: boolean;
}

/** Totals of one term (Schedule D style). */
export interface TermTotals {
  proceeds: string;
  costBasis: string;
  gain: string;
  rows: number;
}

/** Schedule D-style totals. */
export interface ScheduleD {
  short: TermTotals;
  long: TermTotals;
  total: TermTotals;
}

/** One income receipt. */
export interface IncomeRow {
  eventId: string;
  date: string;
  asset: string;
  qty: string;
  value: string;
  incomeType: IncomeType;
}

/** The income of the year, by receipt and by type. */
export interface IncomeSummary {
  rows: IncomeRow[];
  byType: Partial<Record<IncomeType, string>>;
  total: string;
}

/** A lot still held. */
export interface OpenLot {
  lotId: string;
  asset: string;
  dateAcquired: string;
  /** Epoch ms of the acquisition. */
  acquiredAt: number;
  qty: string;
  costBasis: string;
  /** Basis per unit, `costBasis / qty`, at 8 decimals. */
  unitCost: string;
  /** Where the lot came from (its acquisition's kind, or `transfer` target wallet). */
  origin: LedgerEventKind;
}

/** One lot a disposal (or transfer) used, and why. */
export interface TrailMatch {
  lotId: string;
  qty: string;
  costBasis: string;
  proceeds: string;
  dateAcquired: string;
  term: HoldingTerm;
  /** Why this lot: "FIFO: the earliest lot held (acquired 2024-01-02)". */
  reason: string;
  /** "held 2024-01-02 to 2025-03-04: long-term from 2025-01-03". */
  holding: string;
  zeroBasis?: boolean;
}

/** One step of the lot-matching trail. */
export interface TrailStep {
  eventId: string;
  kind: LedgerEventKind;
  date: string;
  asset: string;
  qty: string;
  /** Net proceeds of the event (0 for a transfer). */
  proceeds: string;
  /** One line saying what happened ("sold 1.5 BTC for 90,000.00: 2 lots, FIFO"). */
  text: string;
  matches: TrailMatch[];
  /** The event's origin (file and line, account and seq). */
  source: string;
}

/** Realized gains of one month of the year (for the figure). */
export interface MonthGains {
  /** `YYYY-MM`. */
  month: string;
  short: string;
  long: string;
}

/** A whole report. */
export interface TaxReport {
  year: number;
  method: LotMethod;
  timeZone: string;
  currency: string;
  oversell: OversellPolicy;
  /** Disposals of the year, in time order. */
  form8949: Form8949Row[];
  scheduleD: ScheduleD;
  income: IncomeSummary;
  /** Lots held at the end of the year (local time), with their basis. */
  openLots: OpenLot[];
  /** The year's disposals and transfers, each with the lots it used. */
  trail: TrailStep[];
  gainsByMonth: MonthGains[];
  /** Flags the accountant must see (zero-basis lots, valuations from price data). */
  warnings: string[];
  /** What went in: events read per source, and the full history's first and last date. */
  inputs: { events: number; sources: string[]; from: string | null; to: string | null };
}
