import { z } from "zod";

/**
 * When a market trades, for gap detection:
 * - `24/7`: every bar exists (crypto).
 * - `weekdays`: no bars on Saturday or Sunday UTC (equities, indices); holidays appear as
 *   gaps of one day in the quality report, which flags them as such, not as data loss.
 * - `fx`: 24/5, closed from Friday 22:00 UTC to Sunday 21:00 UTC (approximately, ignoring DST).
 */
export type Calendar = "24/7" | "weekdays" | "fx";

/** Zod schema of a {@link Calendar}. */
export const CalendarSchema: z.ZodType<Calendar> = z.enum(["24/7", "weekdays", "fx"]);
