// The refusal of an append that meets stored bars with other values (MemorySink; lib/store words it the same).
import { DataError, formatSeries, type SeriesId } from "../types/mod.ts";

const NAMES = ["open", "high", "low", "close", "volume"] as const;

/** Bit-exact equality except that every NaN equals every NaN (so 0 and -0 differ). */
export function sameValue(a: number, b: number): boolean {
  return a === b ? a !== 0 || 1 / a === 1 / b : a !== a && b !== b;
}

/** The DataError of `onConflict: "fail"`: series, count, first differing bar with both values, the fix. */
export function conflictError(
  id: SeriesId,
  differing: number,
  incoming: number,
  ts: number,
  stored: readonly number[],
  given: readonly number[],
): DataError {
  const values = (v: readonly number[]): string => NAMES.map((n, c) => `${n} ${v[c]}`).join(" ");
  return new DataError(
    `${formatSeries(id)}: ${differing} of ${incoming} incoming bars differ from the stored ones ` +
      `(first at ${new Date(ts).toISOString().replace(".000Z", "Z")}: stored ${values(stored)}, ` +
      `incoming ${values(given)}); nothing was written. ` +
      `Pass onConflict: "replace" to store the incoming values or "keep" to keep the stored ones ` +
      `(command line: --on-conflict replace|keep)`,
  );
}
