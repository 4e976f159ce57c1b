/** One calendar year's compounded return; see {@link yearlyReturns}. */
export interface YearlyReturn {
  /** UTC calendar year. */
  year: number;
  /** Compounded return over the year, a fraction (0.12 = 12 %). */
  ret: number;
}

/**
 * Compounded return of each UTC calendar year of an equity curve (quantstats'
 * `monthly_returns(...)["EOY"]` / pyfolio's annual returns bar chart): a year's return is its last
 * equity over the last equity of the previous year with data, minus one; the first year starts
 * from the first equity value, so a run starting mid-year reports only the part it covers. The
 * years compound to the total return. Years without data are absent; NaN equity (or ts) values
 * are skipped. Same figures as `monthlyReturns(ts, equity).annual`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { yearlyReturns } from "./yearly_returns.ts";
 * const ts = new Float64Array([Date.UTC(2023, 5, 1), Date.UTC(2023, 11, 31), Date.UTC(2024, 6, 1), Date.UTC(2024, 11, 31)]);
 * const out = yearlyReturns(new Float64Array([100, 120, 100, 90]), ts);
 * assert.deepEqual(out.map((y) => y.year), [2023, 2024]);
 * assert.ok(Math.abs(out[0]!.ret - 0.2) < 1e-12); // 120 / 100 - 1 (from the first bar, June 2023)
 * assert.ok(Math.abs(out[1]!.ret - -0.25) < 1e-12); // 90 / 120 - 1
 * ```
 */
export function yearlyReturns(equity: Float64Array, ts: Float64Array): YearlyReturn[] {
  if (ts.length !== equity.length) {
    throw new RangeError(
      `yearlyReturns: ts has length ${ts.length} but equity has ${equity.length}; pass the bar times of the equity curve`,
    );
  }
  const out: YearlyReturn[] = [];
  let base = NaN; // equity at the end of the previous year with data (or the first value)
  let year = NaN;
  let last = NaN;
  // Year boundaries as epoch ms, so the loop compares numbers instead of making a Date per bar.
  let yearStart = Infinity;
  let nextYearStart = -Infinity;
  for (let i = 0; i < equity.length; i++) {
    const e = equity[i]!;
    const t = ts[i]!;
    if (e !== e || t !== t) continue;
    if (base !== base) base = e;
    if (t >= nextYearStart || t < yearStart) {
      const y = new Date(t).getUTCFullYear();
      if (y !== year) {
        if (year === year) {
          out.push({ year, ret: last / base - 1 });
          base = last;
        }
        year = y;
      }
      yearStart = Date.UTC(y, 0, 1);
      nextYearStart = Date.UTC(y + 1, 0, 1);
    }
    last = e;
  }
  if (year === year) out.push({ year, ret: last / base - 1 });
  return out;
}
