import type { Frame } from "../frame/mod.ts";
import { type Calendar, timeframeMs } from "../types/mod.ts";
import { DAY, HOUR, WEEK, weekPhase } from "./_calendar.ts";

/**
 * Guesses the trading calendar of a series from where its bars fall (UTC):
 *
 * - any bar on the weekend (Saturday or Sunday for daily bars; for intraday bars Saturday or
 *   Sunday before 20:00, leaving room for Friday after-hours and the Sunday-evening FX open) →
 *   `24/7` (crypto);
 * - otherwise daily bars → `weekdays` (equities, indices);
 * - otherwise intraday bars with some on Sunday (the FX week opens Sunday evening) → `fx`, and
 *   without any Sunday bar → `weekdays`.
 *
 * Data too short to cover a whole weekend, weekly or longer bars, and empty frames give `24/7`,
 * the calendar that reports every gap.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { Frame } from "../frame/mod.ts";
 * import { guessCalendar } from "./guess_calendar.ts";
 * // Mon 2024-01-01 .. Mon 2024-01-08, weekdays only.
 * const days = [1, 2, 3, 4, 5, 8].map((d) => Date.UTC(2024, 0, d));
 * const f = new Frame(new Float64Array(days), {});
 * assert.equal(guessCalendar(f, "1d"), "weekdays");
 * ```
 */
export function guessCalendar(frame: Frame, timeframe: string): Calendar {
  const tfMs = timeframeMs(timeframe);
  if (/[My]$/.test(timeframe) || tfMs >= WEEK || frame.length === 0) return "24/7";
  const ts = frame.ts;
  // Weekend core, as offsets from Monday 00:00 UTC: no FX or equity session trades in it.
  const coreEnd = tfMs >= DAY ? 7 * DAY : 6 * DAY + 20 * HOUR;
  let min = Infinity, max = -Infinity, sunday = false;
  for (let i = 0; i < ts.length; i++) {
    const t = ts[i]!;
    if (!Number.isFinite(t)) continue;
    const p = weekPhase(t);
    if (p >= 5 * DAY && p < coreEnd) return "24/7";
    if (t < min) min = t;
    if (t > max) max = t;
    if (p >= 6 * DAY) sunday = true;
  }
  // Without a whole weekend inside the range, the absence of weekend bars proves nothing.
  if (!coversWeekend(min, max + tfMs)) return "24/7";
  if (tfMs >= DAY) return "weekdays";
  return sunday ? "fx" : "weekdays";
}

/** Whether [from, to) contains a whole Saturday (UTC). */
function coversWeekend(from: number, to: number): boolean {
  if (!(to > from)) return false;
  const p = weekPhase(from);
  const nextSaturday = p <= 5 * DAY ? from - p + 5 * DAY : from - p + 5 * DAY + WEEK;
  return nextSaturday + DAY <= to;
}
