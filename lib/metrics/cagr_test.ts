import assert from "node:assert/strict";
import { cagr } from "./cagr.ts";
import { assertClose, EMPYRICAL } from "./_testdata.ts";

// Expected values: empyrical test_stats.py `test_cagr` and `test_annual_ret`.
Deno.test("cagr matches empyrical's published values", () => {
  assertClose(cagr(EMPYRICAL.mixed, { periodsPerYear: 252 }), 1.9135925373194231);
  assertClose(cagr(EMPYRICAL.mixed, { periodsPerYear: 52 }), 0.24690830513998208);
  assertClose(cagr(EMPYRICAL.mixed, { periodsPerYear: 12 }), 0.052242061386048144);
  assertClose(cagr(EMPYRICAL.one, { periodsPerYear: 252 }), 11.274002099240244);
  assertClose(cagr(new Float64Array([0.03, 0.03, 0.03]), { periodsPerYear: 1 }), 0.03, 1e-12);
  assert.ok(Number.isNaN(cagr(EMPYRICAL.empty, { periodsPerYear: 252 })));
});

Deno.test("cagr: NaN is a flat period that still counts in n; wipe-outs", () => {
  // 1.21 over 4 bars at 2 bars a year = 2 years: 1.21 ** 0.5 - 1 = 0.1
  assertClose(cagr(new Float64Array([0.1, NaN, 0.1, NaN]), { periodsPerYear: 2 }), 0.1, 1e-12);
  assert.equal(cagr(new Float64Array([0.5, -1]), { periodsPerYear: 1 }), -1);
  assert.ok(Number.isNaN(cagr(new Float64Array([0.5, -1.5]), { periodsPerYear: 1 })));
});

Deno.test("cagr by calendar (ts): years from the equity curve's span, 365-day years (quantstats)", () => {
  const DAY = 86_400_000;
  // Gap-free daily crypto bars at 365 a year: calendar and bars agree.
  const r = new Float64Array([0.01, -0.02, 0.03, 0.005]);
  const daily = new Float64Array([0, 1, 2, 3, 4].map((d) => d * DAY));
  assertClose(cagr(r, { periodsPerYear: 365, ts: daily }), cagr(r, { periodsPerYear: 365 }), 1e-12);
  // 252 trading bars spanning 364 calendar days: +10 % is 0.1 a year by bars, a bit more by calendar.
  const r252 = new Float64Array(252);
  r252[0] = 0.1;
  const ts = Float64Array.from({ length: 253 }, (_, i) => Math.round((i * 364) / 252) * DAY);
  assertClose(cagr(r252, { periodsPerYear: 252 }), 0.1, 1e-12);
  assertClose(cagr(r252, { periodsPerYear: 252, ts }), Math.pow(1.1, 365 / 364) - 1, 1e-12);
  // A weekly gap: two daily returns over 8 days.
  const gap = new Float64Array([0, DAY, 8 * DAY]);
  assertClose(cagr(new Float64Array([0.01, 0.01]), { periodsPerYear: 365, ts: gap }), 1.0201 ** (365 / 8) - 1, 1e-9);
  assert.ok(Number.isNaN(cagr(new Float64Array([0.1]), { periodsPerYear: 1, ts: new Float64Array([5, 5]) })));
  assert.throws(
    () => cagr(r, { periodsPerYear: 365, ts: daily.subarray(1) }),
    /cagr: ts must hold the 5 bar times of the equity curve behind 4 returns, got 4/,
  );
});
