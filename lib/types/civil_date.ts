// Proleptic Gregorian dates as day numbers (days since 1970-01-01), without a Date per call: the CSV importer reads
// ISO timestamps with them and the tax calendar counts local days and holding periods (H. Hinnant's chrono-compatible
// date algorithms).

/**
 * The day number (days since 1970-01-01) of year `y`, month `m` (1-12), day `d`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { daysFromCivil } from "./civil_date.ts";
 * assert.equal(daysFromCivil(2024, 3, 1) * 86_400_000, Date.UTC(2024, 2, 1));
 * ```
 */
export function daysFromCivil(y: number, m: number, d: number): number {
  y -= m <= 2 ? 1 : 0;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const doy = Math.floor((153 * (m > 2 ? m - 3 : m + 9) + 2) / 5) + d - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

/**
 * [year, month 1-12, day] of a day number (days since 1970-01-01).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { civilFromDays } from "./civil_date.ts";
 * assert.deepEqual(civilFromDays(Date.UTC(2024, 1, 29) / 86_400_000), [2024, 2, 29]);
 * ```
 */
export function civilFromDays(z: number): [number, number, number] {
  z += 719468;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const d = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const m = mp < 10 ? mp + 3 : mp - 9;
  return [yoe + era * 400 + (m <= 2 ? 1 : 0), m, d];
}

/**
 * Days in month `m` (1-12) of year `y`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { daysInMonth } from "./civil_date.ts";
 * assert.deepEqual([daysInMonth(2024, 2), daysInMonth(1900, 2), daysInMonth(2025, 4)], [29, 28, 30]);
 * ```
 */
export function daysInMonth(y: number, m: number): number {
  if (m === 2) return (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0 ? 29 : 28;
  return m === 4 || m === 6 || m === 9 || m === 11 ? 30 : 31;
}
