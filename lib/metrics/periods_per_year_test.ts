import assert from "node:assert/strict";
import { periodsPerYear } from "./periods_per_year.ts";

Deno.test("periodsPerYear: crypto (24/7) counts 365 days", () => {
  assert.equal(periodsPerYear("1d"), 365);
  assert.equal(periodsPerYear("1h"), 8760); // 365 * 24
  assert.equal(periodsPerYear("4h"), 2190); // 365 * 6
  assert.equal(periodsPerYear("1m"), 525_600); // 365 * 1440
  assert.equal(periodsPerYear("2d"), 182.5);
});

Deno.test("periodsPerYear: weekdays (252), fx (260), weeks and months", () => {
  assert.equal(periodsPerYear("1d", { calendar: "weekdays" }), 252);
  assert.equal(periodsPerYear("1h", { calendar: "weekdays", sessionHours: 6.5 }), 1638); // 252 * 6.5
  assert.equal(periodsPerYear("1d", { calendar: "fx" }), 260);
  assert.equal(periodsPerYear("1h", { calendar: "fx" }), 6240); // 260 * 24
  assert.equal(periodsPerYear("1w", { calendar: "weekdays" }), 52);
  assert.equal(periodsPerYear("2w"), 26);
  assert.equal(periodsPerYear("1M"), 12);
  assert.equal(periodsPerYear("3M", { calendar: "fx" }), 4);
  assert.equal(periodsPerYear("1y"), 1);
});

Deno.test("periodsPerYear: an explicit value overrides; bad input throws with the fix", () => {
  assert.equal(periodsPerYear("1h", { calendar: "weekdays", periodsPerYear: 1000 }), 1000);
  assert.throws(() => periodsPerYear("1h", { calendar: "weekdays" }), /sessionHours/);
  assert.throws(() => periodsPerYear("1h", { calendar: "weekdays", sessionHours: 30 }), RangeError);
  assert.throws(() => periodsPerYear("1d", { periodsPerYear: 0 }), RangeError);
  assert.throws(() => periodsPerYear("daily"), /ccxt form/);
});
