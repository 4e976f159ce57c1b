import assert from "node:assert/strict";
import { LocalCalendar } from "./local_calendar.ts";

// en-CA formats as YYYY-MM-DD: the reference the cached offsets must agree with.
const intl = (timeZone: string): Intl.DateTimeFormat =>
  new Intl.DateTimeFormat("en-CA", { timeZone, year: "numeric", month: "2-digit", day: "2-digit" });

Deno.test("LocalCalendar.date agrees with Intl around every DST change of several zones", () => {
  const zones = ["America/New_York", "Europe/London", "Asia/Kathmandu", "Australia/Lord_Howe", "UTC", "Pacific/Apia"];
  for (const zone of zones) {
    const cal = new LocalCalendar(zone);
    const ref = intl(zone);
    // Every 47 minutes through 2024 and 2025: every transition and midnight is crossed at shifting distances.
    for (let ms = Date.UTC(2024, 0, 1); ms < Date.UTC(2026, 0, 1); ms += 47 * 60_000) {
      const want = ref.format(ms);
      if (cal.date(ms) !== want) assert.fail(`${zone} ${new Date(ms).toISOString()}: ${cal.date(ms)} != ${want}`);
    }
  }
});

Deno.test("LocalCalendar: a late evening in New York is the next day in UTC", () => {
  const ny = new LocalCalendar("America/New_York");
  assert.equal(ny.date(Date.UTC(2025, 2, 9, 3, 59)), "2025-03-08"); // EST, 22:59
  assert.equal(ny.date(Date.UTC(2025, 2, 10, 3, 59)), "2025-03-09"); // EDT since 2025-03-09, 23:59
  assert.equal(ny.date(Date.UTC(2025, 2, 10, 4, 0)), "2025-03-10");
  // A minute either side of the spring-forward instant (07:00Z) and of midnight after the fall-back (05:00Z).
  assert.equal(ny.offsetMinutes(Date.UTC(2025, 2, 9, 6, 59)), -300);
  assert.equal(ny.offsetMinutes(Date.UTC(2025, 2, 9, 7, 0)), -240);
  assert.equal(ny.date(Date.UTC(2025, 10, 3, 4, 59)), "2025-11-02");
  assert.equal(ny.date(Date.UTC(2025, 10, 3, 5, 0)), "2025-11-03");
  assert.equal(ny.offsetMinutes(Date.UTC(2025, 0, 15)), -300);
  assert.equal(ny.offsetMinutes(Date.UTC(2025, 6, 15)), -240);
  assert.equal(new LocalCalendar("Asia/Kathmandu").offsetMinutes(Date.UTC(2025, 0, 1)), 345);
});

Deno.test("LocalCalendar.dayFromDate refuses what is not a calendar date, naming it", () => {
  for (const bad of ["2025-02-29", "2025-13-01", "2025-00-10", "2025-1-1", "20250101", "2025-04-31", ""]) {
    assert.throws(
      () => LocalCalendar.dayFromDate(bad),
      new RangeError(`date ${JSON.stringify(bad)} is not a calendar date; write it as YYYY-MM-DD`),
    );
  }
  assert.equal(LocalCalendar.dateFromDay(LocalCalendar.dayFromDate("2024-02-29")), "2024-02-29");
  assert.equal(LocalCalendar.dateFromDay(0), "1970-01-01");
  assert.equal(LocalCalendar.dateFromDay(-1), "1969-12-31");
});

Deno.test("LocalCalendar refuses an unknown zone with the fix", () => {
  assert.throws(
    () => new LocalCalendar("New York"),
    new RangeError('unknown time zone "New York"; pass an IANA name such as America/New_York or UTC'),
  );
});
