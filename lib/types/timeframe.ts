import { z } from "zod";

const UNIT_MS = { s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 } as const;

/** A ccxt timeframe string: `1m`, `5m`, `1h`, `4h`, `1d`, `1w`, `1M` (calendar month), ... */
export type Timeframe = string;

/** Zod schema of a timeframe in ccxt form; rejects units ccxt does not know. */
export const TimeframeSchema: z.ZodType<Timeframe> = z.string().regex(
  /^[1-9][0-9]*[smhdwMy]$/,
  "a timeframe looks like 1m, 5m, 1h, 4h, 1d, 1w or 1M",
);

/**
 * Length of one bar of `timeframe` in milliseconds.
 *
 * Months (`1M`) and years (`1y`) have no fixed length; they return the average
 * (30.436875 and 365.2425 days) which is what gap detection on calendar data needs.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { timeframeMs } from "./timeframe.ts";
 * assert.equal(timeframeMs("5m"), 300_000);
 * assert.equal(timeframeMs("1d"), 86_400_000);
 * ```
 */
export function timeframeMs(timeframe: Timeframe): number {
  const m = /^([1-9][0-9]*)([smhdwMy])$/.exec(timeframe);
  if (!m) {
    throw new RangeError(
      `Invalid timeframe ${JSON.stringify(timeframe)}: use ccxt form such as 1m, 5m, 1h, 4h, 1d, 1w or 1M`,
    );
  }
  const n = Number(m[1]);
  const unit = m[2] as "s" | "m" | "h" | "d" | "w" | "M" | "y";
  if (unit === "M") return n * 30.436875 * 86_400_000;
  if (unit === "y") return n * 365.2425 * 86_400_000;
  return n * UNIT_MS[unit];
}
