/** A year × month table of compounded returns; see {@link monthlyReturns}. */
export interface MonthlyReturns {
  /** Calendar years (UTC) covered, ascending. */
  years: number[];
  /** One row per year, 12 columns January..December; NaN for months without data. */
  months: Float64Array[];
  /** Compounded return of each year over the months present. */
  annual: Float64Array;
}

/**
 * Monthly returns of an equity curve as a year × month table (UTC calendar months), as in the
 * monthly heatmaps of quantstats and pyfolio. A month's return is its last equity over the last
 * equity of the previous month with data (the first month starts from the first bar) minus one,
 * so the months of a year compound to the year's return. NaN equity values are skipped.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { monthlyReturns } from "./monthly_returns.ts";
 * const ts = new Float64Array([Date.UTC(2024, 0, 1), Date.UTC(2024, 0, 31), Date.UTC(2024, 1, 29), Date.UTC(2025, 0, 2)]);
 * const m = monthlyReturns(ts, new Float64Array([100, 110, 99, 108.9]));
 * assert.deepEqual(m.years, [2024, 2025]);
 * assert.ok(Math.abs(m.months[0]![0]! - 0.1) < 1e-12); // Jan 2024: 110 / 100 - 1
 * assert.ok(Math.abs(m.months[0]![1]! - -0.1) < 1e-12); // Feb 2024: 99 / 110 - 1
 * assert.ok(Number.isNaN(m.months[0]![2]!)); // no March data
 * assert.ok(Math.abs(m.annual[1]! - 0.1) < 1e-12); // 2025: 108.9 / 99 - 1
 * ```
 */
export function monthlyReturns(ts: Float64Array, equity: Float64Array): MonthlyReturns {
  if (ts.length !== equity.length) {
    throw new RangeError(`monthlyReturns: ts (${ts.length}) and equity (${equity.length}) must have the same length`);
  }
  const years: number[] = [];
  const months: Float64Array[] = [];
  const annualList: number[] = [];
  let prevEnd = NaN; // equity at the end of the previous month with data
  let yearStart = NaN;
  let curKey = -1;
  let curEnd = NaN;
  let row: Float64Array | undefined;
  // Month boundaries as epoch ms, so the loop compares numbers instead of making a Date per bar.
  let monthStart = Infinity;
  let nextMonthStart = -Infinity;
  for (let i = 0; i < ts.length; i++) {
    const e = equity[i]!;
    const t = ts[i]!;
    if (e !== e || t !== t) continue;
    if (prevEnd !== prevEnd) prevEnd = e;
    if (t < monthStart || t >= nextMonthStart) {
      const d = new Date(t);
      const y = d.getUTCFullYear();
      const mo = d.getUTCMonth();
      // An invalid date (|t| past the Date range) keeps the bounds open, so its next bar looks again.
      monthStart = y === y ? Date.UTC(y, mo, 1) : Infinity;
      nextMonthStart = y === y ? Date.UTC(y, mo + 1, 1) : -Infinity;
      const key = y * 12 + mo;
      if (key === curKey) {
        curEnd = e;
        continue;
      }
      // Close the month before (inline: a closure would keep this loop's variables in a heap context).
      if (curKey >= 0 && row !== undefined) {
        row[curKey % 12] = curEnd / prevEnd - 1;
        annualList[annualList.length - 1] = curEnd / yearStart - 1;
        prevEnd = curEnd;
      }
      if (curKey < 0 || Math.floor(curKey / 12) !== y) {
        years.push(y);
        row = new Float64Array(12).fill(NaN);
        months.push(row);
        annualList.push(NaN);
        yearStart = prevEnd;
      }
      curKey = key;
    }
    curEnd = e;
  }
  if (curKey >= 0 && row !== undefined) {
    row[curKey % 12] = curEnd / prevEnd - 1;
    annualList[annualList.length - 1] = curEnd / yearStart - 1;
  }
  return { years, months, annual: Float64Array.from(annualList) };
}
