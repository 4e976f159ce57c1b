import { civilFromDays, daysFromCivil, daysInMonth } from "../types/mod.ts";

/** Short-term or long-term, by the US rule. */
export type HoldingTerm = "short" | "long";

/**
 * The first local day (days since 1970-01-01) on which a sale of a lot acquired on local day `acquiredDay` is
 * long-term under US rules: held **more than one year**. The holding period starts the day after acquisition
 * (IRS Pub. 544), so a sale on the anniversary of the acquisition has been held exactly one year (short-term) and
 * long-term starts on the anniversary of that start day. A start on February 29 (a buy on February 28 of a leap
 * year) has no anniversary, so its year ends on February 28 and long-term starts March 1; this matches Rev. Rul.
 * 66-7 (a lot bought on the last day of a month is long-term from the first day of the 13th month after).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { LocalCalendar } from "./local_calendar.ts";
 * import { holdingTerm, longTermFrom } from "./holding_period.ts";
 * const day = LocalCalendar.dayFromDate;
 * assert.equal(LocalCalendar.dateFromDay(longTermFrom(day("2024-03-15"))), "2025-03-16");
 * assert.equal(holdingTerm(day("2024-03-15"), day("2025-03-15")), "short"); // on the anniversary: one year
 * assert.equal(holdingTerm(day("2024-03-15"), day("2025-03-16")), "long");
 * assert.equal(LocalCalendar.dateFromDay(longTermFrom(day("2024-02-29"))), "2025-03-01");
 * assert.equal(LocalCalendar.dateFromDay(longTermFrom(day("2024-02-28"))), "2025-03-01");
 * assert.equal(LocalCalendar.dateFromDay(longTermFrom(day("2023-02-28"))), "2024-03-01"); // 2024-02-29 is short
 * ```
 */
export function longTermFrom(acquiredDay: number): number {
  const [y, m, d] = civilFromDays(acquiredDay + 1);
  const next = y + 1;
  // Only a Feb 29 start lacks its day next year: the one-year period then runs through Feb 28.
  if (d > daysInMonth(next, m)) return daysFromCivil(next, 3, 1);
  return daysFromCivil(next, m, d);
}

/** The term of a sale on local day `soldDay` of a lot acquired on local day `acquiredDay` (see {@link longTermFrom}). */
export function holdingTerm(acquiredDay: number, soldDay: number): HoldingTerm {
  return soldDay >= longTermFrom(acquiredDay) ? "long" : "short";
}
