// Series ids to folders. Every id is validated with the shared zod schema before it touches a path,
// and every path is checked to stay inside the data dir.

import { isAbsolute, join, relative, resolve, sep } from "node:path";
import { formatSeries, type SeriesId, SeriesIdSchema } from "../types/mod.ts";

/** Validates an id (throws RangeError naming the bad field) and returns a clean copy. */
export function validateId(id: SeriesId): SeriesId {
  const parsed = SeriesIdSchema.safeParse(id);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    let text: string;
    try {
      text = JSON.stringify(id);
    } catch {
      text = String(id);
    }
    throw new RangeError(
      `Invalid series id ${text}: ${issue?.path.join(".") || "id"}: ${issue?.message}. ` +
        `Write it as exchange:SYMBOL:timeframe, e.g. binance:BTC/USDT:1h`,
    );
  }
  return { exchange: parsed.data.exchange, symbol: parsed.data.symbol, timeframe: parsed.data.timeframe };
}

/**
 * Folder name of a symbol: `encodeURIComponent`, so `/` and `:` become `%2F` and `%3A`. Reversible because
 * the symbol schema admits no `%`; and no folder can be `.` or `..` since a symbol starts with a letter or digit.
 */
export function encodeSymbol(symbol: string): string {
  return encodeURIComponent(symbol);
}

/** Inverse of {@link encodeSymbol}. */
export function decodeSymbol(segment: string): string {
  return decodeURIComponent(segment);
}

/**
 * Folder name of a timeframe. `1M` (month) becomes `1Mo` so it cannot collide with `1m` (minute) on a
 * case-insensitive file system.
 */
export function encodeTimeframe(timeframe: string): string {
  return timeframe.endsWith("M") ? `${timeframe}o` : timeframe;
}

/** Resolves and checks the data dir given by the caller. */
export function resolveRoot(dir: string): string {
  if (typeof dir !== "string" || dir.length === 0 || dir.includes("\0")) {
    throw new TypeError(`Invalid store dir ${JSON.stringify(dir)}: pass a non-empty path without NUL bytes`);
  }
  return resolve(dir);
}

/** `<root>/<exchange>/<symbol>/<timeframe>` for a validated id; throws if it would leave `root`. */
export function seriesDir(root: string, id: SeriesId): string {
  const dir = join(root, id.exchange, encodeSymbol(id.symbol), encodeTimeframe(id.timeframe));
  assertInside(root, dir, formatSeries(id));
  return dir;
}

/** Throws a RangeError unless `path` is strictly inside `root`. */
export function assertInside(root: string, path: string, what: string): void {
  const rel = relative(root, resolve(path));
  if (rel === "" || rel.startsWith("..") || isAbsolute(rel) || rel.split(sep).includes("..")) {
    throw new RangeError(`Path for ${JSON.stringify(what)} would leave the store dir ${root}`);
  }
}
