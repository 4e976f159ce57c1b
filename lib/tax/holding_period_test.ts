import assert from "node:assert/strict";
import { holdingTerm, longTermFrom } from "./holding_period.ts";
import { daysFromCivil } from "../types/mod.ts";
import { LocalCalendar } from "./local_calendar.ts";

const day = LocalCalendar.dayFromDate;
const date = LocalCalendar.dateFromDay;

Deno.test("holding period: the day before, on and after the anniversary (IRS Pub. 544's example)", () => {
  // Bought 2024-02-05: sold 2025-02-05 is exactly one year (short); 2025-02-06 is more than one year.
  assert.equal(holdingTerm(day("2024-02-05"), day("2025-02-04")), "short");
  assert.equal(holdingTerm(day("2024-02-05"), day("2025-02-05")), "short");
  assert.equal(holdingTerm(day("2024-02-05"), day("2025-02-06")), "long");
  assert.equal(holdingTerm(day("2024-02-05"), day("2024-02-05")), "short");
});

Deno.test("holding period: February 29 and the last days of February", () => {
  // Bought on Feb 29 (the last day of the month): long-term from the first day of the 13th month after.
  assert.equal(date(longTermFrom(day("2024-02-29"))), "2025-03-01");
  assert.equal(holdingTerm(day("2024-02-29"), day("2025-02-28")), "short");
  assert.equal(holdingTerm(day("2024-02-29"), day("2025-03-01")), "long");
  // Bought Feb 28 of a leap year: the period starts Feb 29, so its year runs through Feb 28 2025.
  assert.equal(date(longTermFrom(day("2024-02-28"))), "2025-03-01");
  // Bought Feb 28 of a common year (the month's last day): 2024-02-29 is exactly one year.
  assert.equal(holdingTerm(day("2023-02-28"), day("2024-02-29")), "short");
  assert.equal(holdingTerm(day("2023-02-28"), day("2024-03-01")), "long");
  // Bought Feb 29 2028, sold on Feb 29 2032 (a leap year four years later): long.
  assert.equal(holdingTerm(day("2028-02-29"), day("2032-02-29")), "long");
  // Year ends and month ends.
  assert.equal(date(longTermFrom(day("2024-12-31"))), "2026-01-01");
  assert.equal(date(longTermFrom(day("2025-01-31"))), "2026-02-01");
});

Deno.test("longTermFrom agrees with a reference built on Date.UTC's month overflow, 1990 to 2060", () => {
  // Reference: the holding period starts the day after acquisition (S); long-term from S's date one year later,
  // where Date.UTC rolls a missing Feb 29 to Mar 1.
  for (let a = daysFromCivil(1990, 1, 1); a <= daysFromCivil(2060, 12, 31); a++) {
    const s = new Date((a + 1) * 86_400_000);
    const ref = Date.UTC(s.getUTCFullYear() + 1, s.getUTCMonth(), s.getUTCDate()) / 86_400_000;
    if (longTermFrom(a) !== ref) assert.fail(`acquired ${date(a)}: ${date(longTermFrom(a))} != ${date(ref)}`);
    // Monotone: every later sale is long, every earlier one short.
    if (holdingTerm(a, ref - 1) !== "short" || holdingTerm(a, ref) !== "long") assert.fail(`edge at ${date(a)}`);
  }
});
