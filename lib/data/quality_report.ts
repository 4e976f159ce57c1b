import { z } from "zod";
import type { Frame } from "../frame/mod.ts";
import { type Calendar, CalendarSchema, timeframeMs } from "../types/mod.ts";
import { closedTest, countOpen, DAY, HOUR, WEEK } from "./_calendar.ts";
import { guessCalendar } from "./guess_calendar.ts";

/** One run of missing bars. */
export interface Gap {
  /** Open time of the first missing bar that the calendar expects (epoch ms). */
  start: number;
  /** Open time of the next present bar (exclusive end, epoch ms). */
  end: number;
  /** Bars the calendar expected in [start, end). */
  missing: number;
  /**
   * `holiday`: on a `weekdays` or `fx` calendar, exactly one trading day is missing (one daily bar,
   * or 20 to 24 hours of intraday bars), which is what a market holiday looks like. `gap`: anything else.
   */
  kind: "gap" | "holiday";
}

/** Counts of bars with inconsistent OHLC values. */
export interface OhlcIssues {
  /** high < max(open, close). */
  highBelowOpenClose: number;
  /** low > min(open, close). */
  lowAboveOpenClose: number;
  /** high < low. */
  highBelowLow: number;
}

/** The quality of one series; JSON-serializable (see {@link QualityReportSchema}). */
export interface QualityReport {
  /** Series name used in the warnings (`samples:GOOG:1d`), or "the data". */
  label: string;
  timeframe: string;
  calendar: Calendar;
  /** True when the calendar came from {@link guessCalendar} rather than the caller. */
  calendarGuessed: boolean;
  /** Rows in the frame. */
  rows: number;
  /** First and last bar open time (epoch ms), null when there is no bar with a finite time. */
  first: number | null;
  last: number | null;
  /**
   * Bars the calendar expects from first to last: present on-calendar bars plus the bars missing in
   * gaps. Holidays are explained by the calendar, so their bars are not expected (see `holidayMissing`).
   */
  expected: number;
  /** Distinct bar times present. */
  present: number;
  /** Bars missing in gaps (holidays not included). */
  missing: number;
  /**
   * Number of gaps: runs of bars the calendar expects that are missing, holidays not included. This is
   * the one meaning of "gaps" on every surface (CLI, lab pages, API, warnings, reports). {@link gaps}
   * lists at most `maxListed` of them.
   */
  gapCount: number;
  /** Number of holidays (a `kind: "holiday"` run, counted apart from gaps); {@link holidays} lists them. */
  holidayCount: number;
  /** Bars missing on holidays. */
  holidayMissing: number;
  /**
   * Longest step between the two present bars around a gap, in ms (170 min for a 5m series
   * missing 33 bars in a row); 0 without gaps. Holidays not included.
   */
  maxStepMs: number;
  /** The gaps (all `kind: "gap"`), in time order, at most `maxListed`. */
  gaps: Gap[];
  /** The holidays (all `kind: "holiday"`), in time order, at most `maxListed`. */
  holidays: Gap[];
  /** Rows whose time equals another row's. */
  duplicates: number;
  /** Rows whose time is earlier than the previous row's, in frame order. */
  outOfOrder: number;
  /** Bars not starting on a timeframe boundary (UTC; weeks start on Monday). Not checked for months/years. */
  misaligned: number;
  /** Bars present when the calendar says the market is closed. */
  offCalendar: number;
  ohlc: OhlcIssues;
  /** Bars with volume exactly 0. */
  zeroVolume: number;
  /** Bars with volume NaN (unknown), including every bar of a frame without a volume column. */
  missingVolume: number;
  /** Bars with a NaN or infinite time, open, high, low or close, or an infinite volume. */
  nonFinite: number;
  /** Bars with open, high, low or close <= 0. */
  nonPositive: number;
  /** Up to 5 bar times (or row indices when the time is not finite) for each kind of issue, for a look. */
  examples: Record<string, number[]>;
  /** Human sentences, each saying what is wrong and how to fix it. Empty when the data is clean. */
  warnings: string[];
  /** `warnings.length === 0`. */
  ok: boolean;
}

const count = z.number().int().nonnegative();
const GapSchema = z.object({ start: z.number(), end: z.number(), missing: count, kind: z.enum(["gap", "holiday"]) });

/** Zod schema of a {@link QualityReport} (for the HTTP API, MCP and manifests). */
export const QualityReportSchema: z.ZodType<QualityReport> = z.object({
  label: z.string(),
  timeframe: z.string(),
  calendar: CalendarSchema,
  calendarGuessed: z.boolean(),
  rows: count,
  first: z.number().nullable(),
  last: z.number().nullable(),
  expected: count,
  present: count,
  missing: count,
  gapCount: count,
  holidayCount: count,
  holidayMissing: count,
  maxStepMs: z.number().nonnegative(),
  gaps: z.array(GapSchema),
  holidays: z.array(GapSchema),
  duplicates: count,
  outOfOrder: count,
  misaligned: count,
  offCalendar: count,
  ohlc: z.object({ highBelowOpenClose: count, lowAboveOpenClose: count, highBelowLow: count }),
  zeroVolume: count,
  missingVolume: count,
  nonFinite: count,
  nonPositive: count,
  examples: z.record(z.string(), z.array(z.number())),
  warnings: z.array(z.string()),
  ok: z.boolean(),
});

/** Options for {@link qualityReport}. */
export interface QualityReportOptions {
  /** ccxt timeframe of the bars (`5m`, `1h`, `1d`, `1M`). */
  timeframe: string;
  /** Trading calendar; default {@link guessCalendar}. */
  calendar?: Calendar;
  /** Series name for the warnings, e.g. `samples:ADA/BTC:5m`. Default "the data". */
  label?: string;
  /** Most gaps listed in {@link QualityReport.gaps}, and holidays in `holidays` (all are counted). Default 1000. */
  maxListed?: number;
}

const EXAMPLES = 5;
/** Integers below this stay exact for the few hundred thousand years of steps a series could add. */
const EXACT = 2 ** 52;

/**
 * Checks a series and reports everything suspicious; it never changes the data and never fills a gap.
 *
 * Gaps are calendar aware: on `24/7` every missing bar counts; on `weekdays` Saturday and Sunday
 * are closed; on `fx` Friday 21:00 to Sunday 22:00 UTC is closed. A missing trading day on those
 * calendars is a holiday (see {@link Gap}): counted in `holidayCount`/`holidayMissing`, never in
 * `gapCount`, `missing`, `expected` or the warnings.
 * Monthly and yearly timeframes (`1M`, `1y`) have no fixed length: a step longer than 1.5 bars
 * counts as a gap of `round(step / bar) - 1` bars, and the calendar is not used; weekly bars
 * ignore the calendar too. Unsorted frames are analysed on a sorted copy.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { Frame } from "../frame/mod.ts";
 * import { qualityReport } from "./quality_report.ts";
 * const m = 60_000;
 * const one = new Float64Array([1, 1, 1, 1]);
 * const f = new Frame(new Float64Array([0, m, 4 * m, 5 * m]), { open: one, high: one, low: one, close: one, volume: one });
 * const r = qualityReport(f, { timeframe: "1m", calendar: "24/7", label: "x:BTC/USDT:1m" });
 * assert.deepEqual(r.gaps, [{ start: 2 * m, end: 4 * m, missing: 2, kind: "gap" }]);
 * assert.equal(r.expected, 6);
 * assert.match(r.warnings[0]!, /^1 gap \(3 min max, 2 missing bars\) in x:BTC\/USDT:1m/);
 * ```
 */
export function qualityReport(frame: Frame, options: QualityReportOptions): QualityReport {
  const { timeframe } = options;
  const tfMs = timeframeMs(timeframe);
  const label = options.label ?? "the data";
  const maxListed = options.maxListed ?? 1000;
  if (!(Number.isInteger(maxListed) && maxListed >= 0)) {
    throw new RangeError(`Invalid maxListed ${maxListed}: use a whole number >= 0`);
  }
  if (options.calendar !== undefined && !CalendarSchema.safeParse(options.calendar).success) {
    throw new RangeError(`Invalid calendar ${JSON.stringify(options.calendar)}: use "24/7", "weekdays" or "fx"`);
  }
  const calendar = options.calendar ?? guessCalendar(frame, timeframe);
  const variable = /[My]$/.test(timeframe);
  const n = frame.length;
  const ts = frame.ts;
  const ex: Record<string, number[]> = {};
  // Each kind is noted from one place, right after its count goes up: callers skip the lookup past EXAMPLES.
  const note = (kind: string, i: number): void => {
    const list = (ex[kind] ??= []);
    if (list.length < EXAMPLES) list.push(Number.isFinite(ts[i]!) ? ts[i]! : i);
  };

  // Row-wise checks.
  let nanCol: Float64Array | undefined;
  const nan = (): Float64Array => nanCol ??= new Float64Array(n).fill(NaN);
  const open = frame.has("open") ? frame.open : nan(), high = frame.has("high") ? frame.high : nan();
  const low = frame.has("low") ? frame.low : nan(), close = frame.has("close") ? frame.close : nan();
  const volume = frame.has("volume") ? frame.volume : nan();
  const ohlc: OhlcIssues = { highBelowOpenClose: 0, lowAboveOpenClose: 0, highBelowLow: 0 };
  let zeroVolume = 0, missingVolume = 0, nonFinite = 0, nonPositive = 0, outOfOrder = 0, misaligned = 0;
  let finiteTs = 0;
  const alignOffset = tfMs % DAY === 0 && tfMs % WEEK === 0 ? 4 * DAY : 0; // weeks start on Monday
  const checkAlign = !variable && (DAY % tfMs === 0 || tfMs % WEEK === 0);
  // The float modulo below is most of this function's time on a million bars. For integer times
  // well inside the exact range, t and t + tfMs have the same residue, so the next bar of a regular
  // series takes the previous bar's verdict: `lastT` is the last time checked while it is such an
  // integer (NaN otherwise), `lastMisaligned` its verdict.
  let lastT = NaN, lastMisaligned = false;
  for (let i = 0; i < n; i++) {
    const t = ts[i]!, o = open[i]!, h = high[i]!, l = low[i]!, c = close[i]!, v = volume[i]!;
    if (Number.isFinite(t)) {
      finiteTs++;
      if (checkAlign) {
        if (t !== lastT + tfMs) {
          lastMisaligned = (((t - alignOffset) % tfMs) + tfMs) % tfMs !== 0;
          lastT = Number.isInteger(t) && Math.abs(t) < EXACT ? t : NaN;
        } else lastT = t;
        if (lastMisaligned) {
          misaligned++;
          if (misaligned <= EXAMPLES) note("misaligned", i);
        }
      }
    }
    if (i > 0 && t < ts[i - 1]!) {
      outOfOrder++;
      if (outOfOrder <= EXAMPLES) note("outOfOrder", i);
    }
    if (
      !(Number.isFinite(t) && Number.isFinite(o) && Number.isFinite(h) && Number.isFinite(l) && Number.isFinite(c)) ||
      v === Infinity || v === -Infinity
    ) {
      nonFinite++;
      if (nonFinite <= EXAMPLES) note("nonFinite", i);
    }
    if (o <= 0 || h <= 0 || l <= 0 || c <= 0) {
      nonPositive++;
      if (nonPositive <= EXAMPLES) note("nonPositive", i);
    }
    // h < max(o, c) and l > min(o, c), NaN included (a NaN close never counts, a NaN open compares
    // with the close), written so that each test is a predictable branch: picking max(o, c) first
    // was a coin-flip branch per bar, a third of this loop's time on a random walk.
    if ((h < o && c === c) || h < c) {
      if (++ohlc.highBelowOpenClose <= EXAMPLES) note("highBelowOpenClose", i);
    }
    if ((l > o && c === c) || l > c) {
      if (++ohlc.lowAboveOpenClose <= EXAMPLES) note("lowAboveOpenClose", i);
    }
    if (h < l) {
      if (++ohlc.highBelowLow <= EXAMPLES) note("highBelowLow", i);
    }
    if (v === 0) {
      zeroVolume++;
      if (zeroVolume <= EXAMPLES) note("zeroVolume", i);
    } else if (v !== v) missingVolume++;
  }

  // Time-wise checks on sorted finite times.
  let st = ts;
  if (outOfOrder > 0 || finiteTs < n) {
    st = new Float64Array(finiteTs);
    for (let i = 0, k = 0; i < n; i++) if (Number.isFinite(ts[i]!)) st[k++] = ts[i]!;
    st.sort();
  }
  const m = st.length;
  const gaps: Gap[] = [];
  const holidays: Gap[] = [];
  let duplicates = 0, present = 0, missing = 0, gapCount = 0, holidayCount = 0, maxStepMs = 0, offCalendar = 0;
  let holidayMissing = 0;
  const closedLoose = variable ? undefined : closedTest(calendar, tfMs, "loose");
  const closedStrict = variable ? undefined : closedTest(calendar, tfMs, "strict");
  for (let i = 0; i < m; i++) {
    const t = st[i]!;
    if (i > 0 && t === st[i - 1]) {
      duplicates++;
      if ((ex.duplicates ??= []).length < EXAMPLES) ex.duplicates.push(t);
      continue;
    }
    present++;
    if (closedStrict?.(t)) {
      offCalendar++;
      if ((ex.offCalendar ??= []).length < EXAMPLES) ex.offCalendar.push(t);
    }
    if (i === 0) continue;
    const prev = st[i - 1]!;
    const step = t - prev;
    let gapMissing: number, start: number;
    if (variable) {
      if (step <= 1.5 * tfMs) continue;
      gapMissing = Math.round(step / tfMs) - 1;
      start = prev + tfMs;
    } else {
      // A bar is missing only if it would have ended by the next present bar, so a time that is off
      // the grid by a few ms is reported as misaligned, not as a gap.
      if (step < 2 * tfMs) continue;
      const open = countOpen(prev + tfMs, t - tfMs + 1, tfMs, closedLoose);
      gapMissing = open.count;
      start = open.firstOpen;
    }
    if (gapMissing <= 0) continue;
    const kind = calendar !== "24/7" && !variable && tfMs < WEEK &&
        (tfMs >= DAY ? gapMissing * tfMs === tfMs : gapMissing * tfMs >= 20 * HOUR && gapMissing * tfMs <= DAY)
      ? "holiday"
      : "gap";
    if (kind === "holiday") {
      holidayCount++;
      holidayMissing += gapMissing;
      if (holidays.length < maxListed) holidays.push({ start, end: t, missing: gapMissing, kind });
      continue;
    }
    gapCount++;
    missing += gapMissing;
    if (step > maxStepMs) maxStepMs = step;
    if (gaps.length < maxListed) gaps.push({ start, end: t, missing: gapMissing, kind });
  }
  const first = m > 0 ? st[0]! : null;
  const last = m > 0 ? st[m - 1]! : null;
  const expected = present - offCalendar + missing;

  const report: QualityReport = {
    label,
    timeframe,
    calendar,
    calendarGuessed: options.calendar === undefined,
    rows: n,
    first,
    last,
    expected,
    present,
    missing,
    gapCount,
    holidayCount,
    holidayMissing,
    maxStepMs,
    gaps,
    holidays,
    duplicates,
    outOfOrder,
    misaligned,
    offCalendar,
    ohlc,
    zeroVolume,
    missingVolume,
    nonFinite,
    nonPositive,
    examples: ex,
    warnings: [],
    ok: true,
  };
  report.warnings = warningsFor(report);
  report.ok = report.warnings.length === 0;
  return report;
}

function warningsFor(r: QualityReport): string[] {
  const w: string[] = [];
  const { label } = r;
  const at = (kind: string): string => {
    const first = r.examples[kind]?.[0];
    return first === undefined ? "" : ` (first at ${iso(first)})`;
  };
  const pct = (k: number): string => `${((100 * k) / Math.max(1, r.rows)).toFixed(1)}%`;
  if (r.rows === 0) w.push(`${label} has no bars; import or download some first`);
  if (r.gapCount > 0) {
    w.push(
      `${plural(r.gapCount, "gap")} (${duration(r.maxStepMs)} max, ${plural(r.missing, "missing bar")}) in ${label}; ` +
        `re-download the range or accept them; nothing was filled`,
    );
  }
  if (r.duplicates > 0) {
    w.push(
      `${plural(r.duplicates, "duplicate bar time")} in ${label}${at("duplicates")}; ` +
        `re-import with dedupe: true (keeps the last row) or fix the source`,
    );
  }
  if (r.outOfOrder > 0) {
    w.push(
      `${plural(r.outOfOrder, "row")} out of time order in ${label}${at("outOfOrder")}; re-import with sort: true`,
    );
  }
  if (r.misaligned > 0) {
    w.push(
      `${plural(r.misaligned, "bar")} in ${label} do not start on a ${r.timeframe} boundary (UTC)${
        at("misaligned")
      }; ` +
        `check the timeframe and the source's time zone`,
    );
  }
  if (r.offCalendar > 0) {
    w.push(
      `${plural(r.offCalendar, "bar")} in ${label} fall when the "${r.calendar}" calendar is closed${
        at("offCalendar")
      }; ` +
        `pass the calendar that fits the market (crypto trades 24/7)`,
    );
  }
  const { highBelowOpenClose: hb, lowAboveOpenClose: la, highBelowLow: hl } = r.ohlc;
  if (hb + la + hl > 0) {
    const parts = [
      hb ? `${hb} with high < max(open, close)${at("highBelowOpenClose")}` : "",
      la ? `${la} with low > min(open, close)${at("lowAboveOpenClose")}` : "",
      hl ? `${hl} with high < low${at("highBelowLow")}` : "",
    ].filter(Boolean);
    w.push(`inconsistent OHLC in ${label}: ${parts.join(", ")}; fix the source or drop those bars`);
  }
  if (r.nonFinite > 0) {
    w.push(
      `${plural(r.nonFinite, "bar")} with NaN or infinite values in ${label}${
        at("nonFinite")
      }; re-download or drop them`,
    );
  }
  if (r.nonPositive > 0) {
    w.push(
      `${plural(r.nonPositive, "bar")} with a zero or negative price in ${label}${at("nonPositive")}; ` +
        `fix the source (returns and log prices are undefined there)`,
    );
  }
  if (r.zeroVolume > 0) {
    w.push(
      `${plural(r.zeroVolume, "zero-volume bar")} (${pct(r.zeroVolume)}) in ${label}${at("zeroVolume")}; ` +
        `the market was illiquid there: expect flat prices, and treat fills on those bars with care`,
    );
  }
  if (r.missingVolume > 0) {
    w.push(
      `volume is unknown (NaN) for ${plural(r.missingVolume, "bar")} in ${label}; ` +
        `volume-based indicators return NaN there; import a source with volume if you need it`,
    );
  }
  return w;
}

function plural(k: number, word: string): string {
  return `${k} ${word}${k === 1 ? "" : "s"}`;
}

function iso(t: number): string {
  return Math.abs(t) < 8.64e15 && t > 1e9 ? new Date(t).toISOString().replace(".000Z", "Z") : `row ${t}`;
}

/** `170 min`, `25 h`, `3 d`: the largest unit that keeps the number readable. */
function duration(ms: number): string {
  if (ms < 3 * HOUR) return `${Math.round(ms / 60_000)} min`;
  if (ms < 3 * DAY) return `${+(ms / HOUR).toFixed(1)} h`;
  return `${+(ms / DAY).toFixed(1)} d`;
}
