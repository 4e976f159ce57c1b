import type { Frame } from "../frame/mod.ts";
import { guessCalendar } from "../data/mod.ts";
import { periodsPerYear as ppyOf } from "../metrics/mod.ts";
import { type Calendar, inferTimeframe, timeframeMs } from "../types/mod.ts";

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
