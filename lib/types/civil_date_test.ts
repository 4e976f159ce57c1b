import assert from "node:assert/strict";
import { civilFromDays, daysFromCivil, daysInMonth } from "./civil_date.ts";

Deno.test("civilFromDays and daysFromCivil agree with Date.UTC from 1600 to 2400", () => {
  for (let day = daysFromCivil(1600, 1, 1); day <= daysFromCivil(2400, 12, 31); day += 1) {
    const d = new Date(day * 86_400_000);
    const [y, m, dd] = civilFromDays(day);
    if (y !== d.getUTCFullYear() || m !== d.getUTCMonth() + 1 || dd !== d.getUTCDate()) {
      assert.fail(`day ${day}: ${y}-${m}-${dd} != ${d.toISOString()}`);
    }
    if (daysFromCivil(y, m, dd) !== day) assert.fail(`round trip of day ${day}`);
    if (dd === 1 && m === 2) assert.equal(daysInMonth(y, 2), new Date(Date.UTC(y, 2, 0)).getUTCDate(), `${y}-02`);
  }
  assert.equal(daysInMonth(2024, 2), 29);
  assert.equal(daysInMonth(1900, 2), 28);
  assert.equal(daysInMonth(2000, 2), 29);
  assert.equal(daysInMonth(2025, 4), 30);
});
