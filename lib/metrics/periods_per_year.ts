import { type Calendar, type Timeframe, timeframeMs } from "../types/mod.ts";

/** Options of {@link periodsPerYear}. */
export interface PeriodsPerYearOptions {
  /** When the market trades; default `"24/7"` (crypto). */
  calendar?: Calendar;
  /**
   * Hours of one trading session, for intraday bars on a `"weekdays"` calendar (6.5 for NYSE
   * regular hours). Required there: the bar count per session is not knowable from the timeframe.
   */
  sessionHours?: number;
  /** An explicit value; returned as is (after validation) and overrides everything else. */
  periodsPerYear?: number;
}

const DAY_MS = 86_400_000;

/**
 * Bars per year for a timeframe, the annualization factor every metric takes explicitly.
 *
 * - `1M`, `1y` (calendar units): 12 / n and 1 / n, whatever the calendar.
 * - `1w`: 52 / n (empyrical's `WEEKS_PER_YEAR`), whatever the calendar.
 * - `24/7` (crypto): 365 days a year, so `1d` is 365 and `1h` is 8760 (quantstats users pass 365
 *   for crypto too).
 * - `weekdays` (equities): 252 trading days a year (empyrical's `APPROX_BDAYS_PER_YEAR`), so `1d`
 *   is 252. Intraday needs `sessionHours`: 252 × sessionHours × 1h / timeframe.
 * - `fx` (24/5): 260 trading days (52 weeks × 5) of 24 hours, so `1d` is 260 and `1h` is 6240.
 *
 * An explicit `periodsPerYear` option always wins.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { periodsPerYear } from "./periods_per_year.ts";
 * assert.equal(periodsPerYear("1d"), 365);
 * assert.equal(periodsPerYear("1h", { calendar: "24/7" }), 8760);
 * assert.equal(periodsPerYear("1d", { calendar: "weekdays" }), 252);
 * assert.equal(periodsPerYear("5m", { calendar: "weekdays", sessionHours: 6.5 }), 252 * 78);
 * assert.equal(periodsPerYear("1d", { periodsPerYear: 360 }), 360);
 * ```
 */
export function periodsPerYear(timeframe: Timeframe, options: PeriodsPerYearOptions = {}): number {
  if (options.periodsPerYear !== undefined) {
    const p = options.periodsPerYear;
    if (!Number.isFinite(p) || p <= 0) {
      throw new RangeError(`periodsPerYear: the explicit periodsPerYear must be a finite number > 0, got ${p}`);
    }
    return p;
  }
  const tfMs = timeframeMs(timeframe);
  const m = /^([1-9][0-9]*)([smhdwMy])$/.exec(timeframe)!;
  const n = Number(m[1]);
  const unit = m[2];
  if (unit === "M") return 12 / n;
  if (unit === "y") return 1 / n;
  if (unit === "w") return 52 / n;
  const calendar = options.calendar ?? "24/7";
  if (calendar === "24/7") return 365 * DAY_MS / tfMs;
  if (calendar === "fx") return 260 * DAY_MS / tfMs;
  if (calendar !== "weekdays") {
    throw new RangeError(
      `periodsPerYear: unknown calendar ${JSON.stringify(calendar)}; use "24/7", "weekdays" or "fx"`,
    );
  }
  if (tfMs >= DAY_MS) return 252 * DAY_MS / tfMs;
  const h = options.sessionHours;
  if (h === undefined) {
    throw new RangeError(
      `periodsPerYear: intraday timeframe ${timeframe} on a "weekdays" calendar needs sessionHours ` +
        `(6.5 for NYSE regular hours) or an explicit periodsPerYear`,
    );
  }
  if (!Number.isFinite(h) || h <= 0 || h > 24) {
    throw new RangeError(`periodsPerYear: sessionHours must be in (0, 24], got ${h}`);
  }
  return 252 * h * 3_600_000 / tfMs;
}
