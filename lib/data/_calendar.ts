// Market-closure tests used by the quality report and guessCalendar. All times are UTC.
import type { Calendar } from "../types/mod.ts";

export const HOUR = 3_600_000;
export const DAY = 86_400_000;
export const WEEK = 7 * DAY;

/** Milliseconds since the Monday 00:00 UTC before `t` (1970-01-01 was a Thursday). */
export function weekPhase(t: number): number {
  const p = (t - 4 * DAY) % WEEK;
  return p < 0 ? p + WEEK : p;
}

/**
 * Closed windows, as [start, end) offsets from Monday 00:00 UTC.
 *
 * fx has two: `loose` (Fri 21:00 to Sun 22:00, the union of the summer and winter closures around
 * New York 17:00) decides whether a *missing* bar counts as a gap, so neither DST regime produces
 * false gaps; `strict` (Fri 22:00 to Sun 21:00, the intersection) decides whether a *present* bar
 * is off-calendar, so Sunday 21:00 summer bars are not flagged.
 */
const WINDOWS = {
  weekdays: { loose: [5 * DAY, 7 * DAY], strict: [5 * DAY, 7 * DAY] },
  fx: { loose: [4 * DAY + 21 * HOUR, 6 * DAY + 22 * HOUR], strict: [4 * DAY + 22 * HOUR, 6 * DAY + 21 * HOUR] },
} as const;

/**
 * A test "is the bar starting at `t` (lasting `tfMs`) entirely inside a closure", or undefined
 * when nothing is ever closed (`24/7`, and weekly or longer bars).
 *
 * Daily bars (1d..6d) are closed on Saturday and Sunday by their UTC date, for both `weekdays` and
 * `fx`, so bars stamped at a local midnight (05:00 UTC) still count by their trading date.
 * Intraday bars are closed when the whole bar lies inside the closed window.
 */
export function closedTest(
  calendar: Calendar,
  tfMs: number,
  mode: "loose" | "strict",
): ((t: number) => boolean) | undefined {
  if (calendar === "24/7" || tfMs >= WEEK) return undefined;
  if (tfMs >= DAY) {
    return (t) => weekPhase(t) >= 5 * DAY;
  }
  const [start, end] = WINDOWS[calendar][mode];
  return (t) => {
    const p = weekPhase(t);
    return p >= start && p + tfMs <= end;
  };
}

/**
 * Open slots among `from, from + tf, ...` strictly before `end`, and the first of them (NaN if none).
 * Long ranges are counted a week at a time when the timeframe divides a week.
 */
export function countOpen(
  from: number,
  end: number,
  tfMs: number,
  closed: ((t: number) => boolean) | undefined,
): { count: number; firstOpen: number } {
  if (end <= from) return { count: 0, firstOpen: NaN };
  const slots = Math.ceil((end - from) / tfMs);
  if (!closed) return { count: slots, firstOpen: from };
  let count = 0, firstOpen = NaN;
  let t = from;
  const perWeek = WEEK / tfMs;
  if (Number.isInteger(perWeek) && slots > 2 * perWeek) {
    let weekCount = 0;
    for (let k = 0; k < perWeek; k++, t += tfMs) {
      if (!closed(t)) {
        weekCount++;
        if (firstOpen !== firstOpen) firstOpen = t;
      }
    }
    const fullWeeks = Math.floor(slots / perWeek);
    count = weekCount * fullWeeks;
    t = from + fullWeeks * WEEK;
  }
  for (; t < end; t += tfMs) {
    if (!closed(t)) {
      count++;
      if (firstOpen !== firstOpen) firstOpen = t;
    }
  }
  return { count, firstOpen };
}
