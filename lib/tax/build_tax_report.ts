import { CENTS_DP, formatFixed, MONEY_DP, mulDiv, rescale } from "./fixed.ts";
import type { IncomeType, LedgerEvent } from "./ledger_event.ts";
import { civilFromDays, daysFromCivil } from "../types/mod.ts";
import { LocalCalendar } from "./local_calendar.ts";
import type {
  Form8949Row,
  IncomeRow,
  MonthGains,
  TaxReport,
  TaxReportOptions,
  TermTotals,
  TrailMatch,
  TrailStep,
} from "./tax_report.ts";
import { runMatch } from "./_match.ts";
import { assertMethod, assertOversell } from "./_checks.ts";
import { DayText, holdingText, qtyText, reasonText, stepText } from "./_report_text.ts";
import { openLotRow } from "./_open_lot_row.ts";
import { sourceText } from "./_source_text.ts";

const MAX_NOTE_WARNINGS = 20;

function cents(x: bigint): string {
  return formatFixed(x, CENTS_DP);
}

function totals(proceeds: bigint, basis: bigint, rows: number): TermTotals {
  return { proceeds: cents(proceeds), costBasis: cents(basis), gain: cents(proceeds - basis), rows };
}

/**
 * The tax report of one year: the Form 8949-style rows, Schedule D totals, the income summary, the lots held at
 * the year's end and the lot-matching trail, from the ledger's whole history (lots bought in earlier years are
 * carried over and matched in this one). See `matchLots` for the matching rules.
 *
 * Rounding (issue 12, "amounts rounded to cents per event, half to even"): a disposal's net proceeds are rounded
 * to cents once, then shared over its parts by quantity (the last part takes the rest, so its rows add up to the
 * event's cents exactly); each part's basis is rounded to cents; a row's gain is its proceeds minus its basis,
 * and the Schedule D totals and monthly gains are sums of the rounded rows.
 *
 * One row per lot used and term. Under average cost a row still names its FIFO lot and that lot's date (so the
 * term split is exact) with the pooled unit cost as its basis, rather than one `VARIOUS` row per sale: the
 * accountant sees which dates made the long-term part.
 *
 * The year is the calendar year in `timeZone` (default America/New_York): a sale at 2026-01-01T03:00Z is 2025's.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { buildTaxReport, type LedgerEvent, MONEY_DP, parseFixed, QTY_DP } from "./mod.ts";
 * const ev = (id: string, kind: "buy" | "sell", date: string, qty: string, value: string): LedgerEvent => ({
 *   id, kind, time: Date.parse(`${date}T15:00:00Z`), asset: "BTC", qty: parseFixed(qty, QTY_DP),
 *   value: parseFixed(value, MONEY_DP), fee: 0n, source: { file: "trades.csv" },
 * });
 * const ledger = [
 *   ev("b1", "buy", "2023-01-10", "1", "20000"),
 *   ev("b2", "buy", "2024-06-10", "1", "60000"),
 *   ev("s1", "sell", "2025-03-01", "1.5", "90000"),
 * ];
 * const report = buildTaxReport(ledger, { year: 2025, method: "fifo" });
 * assert.deepEqual(report.form8949.map((r) => [r.lotId, r.proceeds, r.costBasis, r.gain, r.term]), [
 *   ["b1", "60000.00", "20000.00", "40000.00", "long"],
 *   ["b2", "30000.00", "30000.00", "0.00", "short"],
 * ]);
 * assert.equal(report.scheduleD.total.gain, "40000.00");
 * assert.deepEqual(report.openLots.map((l) => [l.lotId, l.qty, l.costBasis]), [["b2", "0.5", "30000.00"]]);
 * assert.equal(report.trail[0]!.text, "sold 1.5 BTC for 90,000.00: 2 lots, FIFO");
 * ```
 */
export function buildTaxReport(events: readonly LedgerEvent[], options: TaxReportOptions): TaxReport {
  const { year, method } = options;
  if (!Number.isInteger(year) || year < 1970 || year > 9999) {
    throw new RangeError(`tax year ${String(year)} is not a year from 1970 to 9999; pass it like 2025`);
  }
  assertMethod(method);
  const oversell = options.oversell ?? "error";
  assertOversell(oversell);
  const currency = options.currency ?? "USD";
  const cal = new LocalCalendar(options.timeZone ?? "America/New_York");
  const fromDay = daysFromCivil(year, 1, 1);
  const toDay = daysFromCivil(year, 12, 31);
  const matching = runMatch(events, {
    method,
    calendar: cal,
    oversell,
    untilMs: Infinity,
    untilDay: toDay,
    recordFromDay: fromDay,
  });

  const form8949: Form8949Row[] = [];
  const trail: TrailStep[] = [];
  const sum = { shortP: 0n, shortB: 0n, shortN: 0, longP: 0n, longB: 0n, longN: 0 };
  const monthShort = new Array<bigint>(12).fill(0n);
  const monthLong = new Array<bigint>(12).fill(0n);

  const days = new DayText();
  for (const step of matching.steps) {
    const e = step.event;
    const disposal = e.kind !== "transfer";
    const net = rescale(step.proceeds, MONEY_DP, CENTS_DP);
    const dateSold = days.of(step.day);
    const month = civilFromDays(step.day)[1] - 1;
    const matches: TrailMatch[] = [];
    let left = net;
    for (let i = 0; i < step.parts.length; i++) {
      const part = step.parts[i]!;
      const proceeds = !disposal ? 0n : i === step.parts.length - 1 ? left : mulDiv(net, part.qty, e.qty);
      left -= proceeds;
      const basis = rescale(part.basis, MONEY_DP, CENTS_DP);
      const qty = qtyText(part.qty);
      const dateAcquired = days.of(part.acquiredDay);
      const basisText = cents(basis), proceedsText = cents(proceeds);
      const match: TrailMatch = {
        lotId: part.lotId,
        qty,
        costBasis: basisText,
        proceeds: proceedsText,
        dateAcquired,
        term: part.term,
        reason: reasonText(method, part, e.asset, days),
        holding: holdingText(part, step, days),
      };
      if (part.zeroBasis) match.zeroBasis = true;
      matches.push(match);
      if (!disposal) continue;
      const row: Form8949Row = {
        eventId: e.id,
        lotId: part.lotId,
        description: `${qty} ${e.asset}`,
        asset: e.asset,
        qty,
        dateAcquired,
        dateSold,
        proceeds: proceedsText,
        costBasis: basisText,
        gain: cents(proceeds - basis),
        term: part.term,
        kind: e.kind,
      };
      if (part.zeroBasis) row.zeroBasis = true;
      form8949.push(row);
      if (part.term === "long") {
        sum.longP += proceeds;
        sum.longB += basis;
        sum.longN++;
        monthLong[month]! += proceeds - basis;
      } else {
        sum.shortP += proceeds;
        sum.shortB += basis;
        sum.shortN++;
        monthShort[month]! += proceeds - basis;
      }
    }
    trail.push({
      eventId: e.id,
      kind: e.kind,
      date: dateSold,
      asset: e.asset,
      qty: qtyText(e.qty),
      proceeds: cents(disposal ? net : 0n),
      text: stepText(method, step, net),
      matches,
      source: sourceText(e),
    });
  }

  // Income of the year, and the events valued from price data (the accountant must see those).
  const incomeRows: IncomeRow[] = [];
  const byType = new Map<IncomeType, bigint>();
  let incomeTotal = 0n;
  const noted: LedgerEvent[] = [];
  const sorted = matching.events;
  for (let i = 0; i < matching.processed; i++) {
    const e = sorted[i]!;
    if (e.kind !== "income" && e.note === undefined) continue;
    const day = cal.dayOf(e.time);
    if (day < fromDay) continue;
    if (e.note !== undefined) noted.push(e);
    if (e.kind !== "income") continue;
    const value = rescale(e.value, MONEY_DP, CENTS_DP);
    const type = e.incomeType ?? "income";
    incomeRows.push({
      eventId: e.id,
      date: days.of(day),
      asset: e.asset,
      qty: qtyText(e.qty),
      value: cents(value),
      incomeType: type,
    });
    byType.set(type, (byType.get(type) ?? 0n) + value);
    incomeTotal += value;
  }

  const warnings: string[] = [];
  if (method === "average") {
    warnings.push(
      "average cost: US rules allow it for mutual-fund shares, not for crypto; use it only where the jurisdiction " +
        "does (rows keep their FIFO lot's date with the pooled unit cost)",
    );
  }
  let earlierZero = 0;
  for (const w of matching.warnings) {
    if (w.day >= fromDay) warnings.push(w.text);
    else earlierZero++;
  }
  if (earlierZero > 0) {
    warnings.push(
      `${earlierZero} disposal${earlierZero === 1 ? "" : "s"} or transfer${earlierZero === 1 ? "" : "s"} before ` +
        `${year} exceeded the lots held (zero-basis policy): the lots carried into ${year} reflect that; see those ` +
        `years' reports`,
    );
  }
  for (const e of noted.slice(0, MAX_NOTE_WARNINGS)) warnings.push(`${e.kind} ${e.id} (${sourceText(e)}): ${e.note}`);
  if (noted.length > MAX_NOTE_WARNINGS) {
    warnings.push(
      `and ${noted.length - MAX_NOTE_WARNINGS} more events of ${year} valued by their reader (see each event's note)`,
    );
  }

  const gainsByMonth: MonthGains[] = monthShort.map((s, i) => ({
    month: `${year}-${i < 9 ? "0" : ""}${i + 1}`,
    short: cents(s),
    long: cents(monthLong[i]!),
  }));

  // What went in: the whole ledger, by source.
  const bySource = new Map<string, number>();
  for (const e of sorted) {
    const s = e.source;
    const key = s.file ?? (s.account !== undefined ? `account ${s.account}` : "(no source)");
    bySource.set(key, (bySource.get(key) ?? 0) + 1);
  }
  const first = sorted[0], last = sorted[sorted.length - 1];
  const dateOf = (e: LedgerEvent | undefined): string | null =>
    e === undefined || !Number.isFinite(e.time) ? null : cal.date(e.time);

  const incomeByType: Partial<Record<IncomeType, string>> = {};
  for (const [type, v] of byType) incomeByType[type] = cents(v);

  return {
    year,
    method,
    timeZone: cal.timeZone,
    currency,
    oversell,
    form8949,
    scheduleD: {
      short: totals(sum.shortP, sum.shortB, sum.shortN),
      long: totals(sum.longP, sum.longB, sum.longN),
      total: totals(sum.shortP + sum.longP, sum.shortB + sum.longB, sum.shortN + sum.longN),
    },
    income: { rows: incomeRows, byType: incomeByType, total: cents(incomeTotal) },
    openLots: matching.openLots.map(openLotRow),
    trail,
    gainsByMonth,
    warnings,
    inputs: {
      events: sorted.length,
      sources: [...bySource].map(([k, n]) => `${k}: ${n} event${n === 1 ? "" : "s"}`),
      from: dateOf(first),
      to: dateOf(last),
    },
  };
}
