import type { Frame } from "../frame/mod.ts";
import { guessCalendar } from "../data/mod.ts";
import { periodsPerYear as ppyOf } from "../metrics/mod.ts";
import { type Calendar, timeframeMs } from "../types/mod.ts";

/** How returns are annualized in a run, as recorded in its manifest. */
export interface Annualization {
  /** ccxt timeframe of the bars (given, from `series`, or inferred from the bar spacing). */
  timeframe: string;
  calendar: Calendar;
  periodsPerYear: number;
  /** `option` when `periodsPerYear` was passed, else `timeframe` (derived from timeframe + calendar). */
  source: "timeframe" | "option";
}

/** The annualization inputs callers pass to runBacktest, runSweep and walkForward. */
export interface AnnualizationInput {
  timeframe?: string;
  calendar?: Calendar;
  periodsPerYear?: number;
  series?: { timeframe: string };
}

const UNITS: ReadonlyArray<readonly [string, number]> = [
  ["w", 604_800_000],
  ["d", 86_400_000],
  ["h", 3_600_000],
  ["m", 60_000],
  ["s", 1000],
];

/**
 * The timeframe of a frame from its most common bar step (gaps and the odd duplicate do not
 * move it); month-like steps (28 to 31 days) give `1M`. Null when there are fewer than 2 bars.
 */
export function inferTimeframe(ts: Float64Array): string | null {
  const counts = new Map<number, number>();
  const n = Math.min(ts.length, 20_001);
  for (let i = 1; i < n; i++) {
    const d = ts[i]! - ts[i - 1]!;
    if (d > 0) counts.set(d, (counts.get(d) ?? 0) + 1);
  }
  let step = 0, best = 0;
  for (const [d, c] of counts) if (c > best || (c === best && d < step)) (step = d), (best = c);
  if (step === 0) return null;
  const day = 86_400_000;
  if (step >= 28 * day && step <= 31 * day) return "1M";
  for (const [unit, ms] of UNITS) if (step % ms === 0) return `${step / ms}${unit}`;
  return null;
}

/** Resolves timeframe, calendar and periods per year for a run over `frame`. */
export function resolveAnnualization(frame: Frame, input: AnnualizationInput): Annualization {
  const timeframe = input.timeframe ?? input.series?.timeframe ?? inferTimeframe(frame.ts);
  if (timeframe === null) {
    throw new RangeError(
      `cannot infer the timeframe from ${frame.length} bar(s) without a regular step; pass timeframe (e.g. "1d")`,
    );
  }
  timeframeMs(timeframe); // validates, with its own message
  const calendar = input.calendar ?? guessCalendar(frame, timeframe);
  if (input.periodsPerYear !== undefined) {
    return {
      timeframe,
      calendar,
      periodsPerYear: ppyOf(timeframe, { periodsPerYear: input.periodsPerYear }),
      source: "option",
    };
  }
  let ppy: number;
  try {
    ppy = ppyOf(timeframe, { calendar });
  } catch (e) {
    throw new RangeError(`${(e as Error).message}; or pass periodsPerYear to runBacktest`);
  }
  return { timeframe, calendar, periodsPerYear: ppy, source: "timeframe" };
}
