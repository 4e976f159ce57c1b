import assert from "node:assert/strict";
import { LocalCalendar } from "./local_calendar.ts";
import { localDays } from "./_local_days.ts";

Deno.test("localDays agrees with LocalCalendar.dayOf every 11 minutes through DST changes", () => {
  // New York (an hour at 2:00 local), Lord Howe (half an hour), Kathmandu (+5:45), Apia (skipped a whole day in 2011).
  for (const zone of ["America/New_York", "Australia/Lord_Howe", "Asia/Kathmandu", "Pacific/Apia", "UTC"]) {
    const cal = new LocalCalendar(zone);
    const dayOf = localDays(new LocalCalendar(zone));
    for (let ms = Date.UTC(2011, 0, 1); ms < Date.UTC(2013, 0, 1); ms += 11 * 60_000) {
      if (dayOf(ms) !== cal.dayOf(ms)) assert.fail(`${zone} ${new Date(ms).toISOString()}`);
    }
  }
});
