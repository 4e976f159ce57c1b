import assert from "node:assert/strict";
import { Frame } from "../frame/mod.ts";
import { guessCalendar } from "./guess_calendar.ts";
import { qualityReport, QualityReportSchema } from "./quality_report.ts";
import { readCsv } from "./read_csv.ts";

const SAMPLES = new URL("../../data/samples/", import.meta.url);
const load = async (name: string): Promise<Frame> => (await readCsv(new URL(name, SAMPLES))).frame;
const M = 60_000, H = 3_600_000, D = 86_400_000;
const iso = (t: number): string => new Date(t).toISOString();

Deno.test("ADA_BTC-5m: exactly 5 gaps at the hand-checked positions", async () => {
  const r = qualityReport(await load("ADA_BTC-5m.csv"), { timeframe: "5m", label: "samples:ADA/BTC:5m" });
  // Hand check (awk over the file, steps != 300000 ms between consecutive rows):
  // line 1505: 1516010700000 -> 1516011300000 (10 min), line 1508: 1516011900000 -> 1516012500000 (10 min),
  // line 1515: 1516014300000 -> 1516015800000 (25 min), line 1518: 1516016400000 -> 1516017000000 (10 min),
  // line 1520: 1516017300000 -> 1516027500000 (170 min). A step of s minutes misses s/5 - 1 bars.
  assert.equal(r.calendar, "24/7");
  assert.deepEqual(r.gaps, [
    { start: 1516011000000, end: 1516011300000, missing: 1, kind: "gap" },
    { start: 1516012200000, end: 1516012500000, missing: 1, kind: "gap" },
    { start: 1516014600000, end: 1516015800000, missing: 4, kind: "gap" },
    { start: 1516016700000, end: 1516017000000, missing: 1, kind: "gap" },
    { start: 1516017600000, end: 1516027500000, missing: 33, kind: "gap" },
  ]);
  assert.equal(r.maxStepMs, 170 * M);
  assert.equal(r.present, 5720);
  assert.equal(r.missing, 40);
  assert.equal(r.expected, 5760); // same range as ETH_BTC-5m, which has no gap
  assert.equal(r.first, 1515560100000);
  assert.equal(r.last, 1517287800000);
  assert.deepEqual(r.warnings, [
    "5 gaps (170 min max, 40 missing bars) in samples:ADA/BTC:5m; re-download the range or accept them; nothing was filled",
  ]);
  assert.equal(r.ok, false);
});

Deno.test("ETH_BTC-5m and LTC_BTC-5m: no gaps, clean", async () => {
  for (const f of ["ETH_BTC-5m.csv", "LTC_BTC-5m.csv"]) {
    const r = qualityReport(await load(f), { timeframe: "5m" });
    assert.equal(r.gapCount, 0, f);
    assert.equal(r.expected, 5760, f);
    assert.equal(r.present, 5760, f);
    assert.deepEqual(r.warnings, [], f);
    assert.equal(r.ok, true, f);
  }
});

Deno.test("XRP_ETH-1m: 1091 zero-volume rows (awk -F, '$6==0' counts 1091)", async () => {
  const r = qualityReport(await load("XRP_ETH-1m.csv"), { timeframe: "1m", label: "samples:XRP/ETH:1m" });
  assert.equal(r.zeroVolume, 1091);
  assert.equal(r.gapCount, 0);
  assert.match(r.warnings[0]!, /^1091 zero-volume bars \(30\.6%\) in samples:XRP\/ETH:1m/);
  assert.equal((await load("XRP_ETH-5m.csv")).volume.filter((v) => v === 0).length, 6);
});

Deno.test("GOOG daily: weekdays calendar; single-day closures are holidays, longer ones gaps", async () => {
  const f = await load("GOOG.raw.csv");
  assert.equal(guessCalendar(f, "1d"), "weekdays");
  const r = qualityReport(f, { timeframe: "1d", label: "samples:GOOG:1d" });
  assert.equal(r.calendar, "weekdays");
  assert.equal(r.calendarGuessed, true);
  assert.equal(r.offCalendar, 0);
  // NYSE closures (nyse.com holiday history): Labor Day 2004-09-06, Thanksgiving 2004-11-25,
  // Christmas observed 2004-12-24, Martin Luther King Day 2005-01-17.
  assert.deepEqual(r.holidays.slice(0, 4).map((g) => [iso(g.start).slice(0, 10), g.missing, g.kind]), [
    ["2004-09-06", 1, "holiday"],
    ["2004-11-25", 1, "holiday"],
    ["2004-12-24", 1, "holiday"],
    ["2005-01-17", 1, "holiday"],
  ]);
  // Two-day closures are gaps: New Year 2007-01-01 + President Ford's national day of mourning
  // 2007-01-02, and Hurricane Sandy 2012-10-29/30.
  assert.deepEqual(r.gaps.map((g) => [iso(g.start).slice(0, 10), g.missing, g.kind]), [
    ["2007-01-01", 2, "gap"],
    ["2012-10-29", 2, "gap"],
  ]);
  // One meaning of "gaps" everywhere: holidays are counted apart, in neither gapCount, missing nor expected.
  assert.equal(r.gapCount, 2);
  assert.equal(r.missing, 4);
  assert.equal(r.holidayCount, 75);
  assert.equal(r.holidayMissing, 75);
  assert.equal(r.holidays.length, 75);
  assert.equal(r.expected, r.present + r.missing);
  assert.deepEqual(r.warnings, [
    "2 gaps (5 d max, 4 missing bars) in samples:GOOG:1d; re-download the range or accept them; nothing was filled",
  ]);
  // On a 24/7 calendar every weekend would be a gap.
  assert.ok(qualityReport(f, { timeframe: "1d", calendar: "24/7" }).gapCount > 400);
});

Deno.test("EURUSD hourly: fx calendar, no weekend gaps; Christmas and New Year are holidays", async () => {
  const f = await load("EURUSD.raw.csv");
  assert.equal(guessCalendar(f, "1h"), "fx");
  const r = qualityReport(f, { timeframe: "1h" });
  assert.equal(r.calendar, "fx");
  assert.equal(r.offCalendar, 0);
  // The weekends in the file close Fri 20:00/21:00 UTC (last bar) and reopen Sun 21:00/22:00 (summer/winter).
  assert.deepEqual(r.gaps, []);
  assert.deepEqual(r.holidays, [
    { start: Date.UTC(2017, 11, 24, 22), end: Date.UTC(2017, 11, 25, 22), missing: 24, kind: "holiday" },
    { start: Date.UTC(2017, 11, 31, 22), end: Date.UTC(2018, 0, 1, 22), missing: 24, kind: "holiday" },
  ]);
  assert.deepEqual([r.gapCount, r.missing, r.holidayCount, r.holidayMissing], [0, 0, 2, 48]);
  assert.deepEqual(r.warnings, []);
});

Deno.test("SP500 daily: 9/11 closure is a 4-day gap", async () => {
  const r = qualityReport(await load("SP500-2000.csv"), { timeframe: "1d" });
  assert.deepEqual(r.gaps.map((g) => [iso(g.start).slice(0, 10), g.missing]), [
    ["2001-09-11", 4],
    ["2007-01-01", 2],
    ["2012-10-29", 2],
  ]);
});

Deno.test("BTCUSD monthly (month-end dates): no gaps, variable month length tolerated", async () => {
  const f = await load("BTCUSD.raw.csv");
  const r = qualityReport(f, { timeframe: "1M" });
  assert.equal(r.calendar, "24/7");
  assert.equal(r.gapCount, 0);
  assert.equal(r.misaligned, 0); // not checked for months
  // Drop 2 months: one gap of 2 bars.
  const cut = new Frame(new Float64Array([...f.ts.slice(0, 10), ...f.ts.slice(12)]), {});
  const g = qualityReport(cut, { timeframe: "1M" }).gaps;
  assert.equal(g.length, 1);
  assert.equal(g[0]!.missing, 2);
});

Deno.test("hand-made frame: duplicates, out-of-order, OHLC issues, NaN, non-positive, misaligned", () => {
  const t0 = Date.UTC(2024, 0, 1);
  // rows: ok, dup of row 0, out of order, high<close, low>open, high<low, NaN close, zero price, misaligned
  const ts = [t0 + 2 * M, t0 + 2 * M, t0, t0 + 3 * M, t0 + 4 * M, t0 + 5 * M, t0 + 6 * M, t0 + 7 * M, t0 + 8 * M + 1];
  const o = [1, 1, 1, 1, 1, 1, 1, 0, 1],
    h = [2, 2, 2, 1.5, 2, 0.5, 2, 2, 2],
    l = [0.5, 0.5, 0.5, 0.5, 1.2, 0.9, 0.5, 0.5, 0.5];
  const c = [1.5, 1.5, 1.5, 1.8, 1.5, 0.9, NaN, 1, 1.5], v = [1, 1, 0, 1, 1, 1, 1, 1, NaN];
  const f = new Frame(new Float64Array(ts), {
    open: new Float64Array(o),
    high: new Float64Array(h),
    low: new Float64Array(l),
    close: new Float64Array(c),
    volume: new Float64Array(v),
  });
  const r = qualityReport(f, { timeframe: "1m", calendar: "24/7", label: "t" });
  assert.equal(r.duplicates, 1);
  assert.equal(r.outOfOrder, 1);
  assert.deepEqual(r.ohlc, { highBelowOpenClose: 2, lowAboveOpenClose: 2, highBelowLow: 1 });
  // high < max(open, close): rows 3 (1.5 < 1.8) and 5 (0.5 < 1); low > min(open, close): rows 4 (1.2 > 1)
  // and 7 (0.5 > 0); high < low: row 5 (0.5 < 0.9).
  assert.deepEqual(r.examples.highBelowOpenClose, [t0 + 3 * M, t0 + 5 * M]);
  assert.deepEqual(r.examples.lowAboveOpenClose, [t0 + 4 * M, t0 + 7 * M]);
  assert.equal(r.nonFinite, 1);
  assert.equal(r.nonPositive, 1);
  assert.equal(r.zeroVolume, 1);
  assert.equal(r.missingVolume, 1);
  assert.equal(r.misaligned, 1);
  assert.deepEqual(r.gaps, [{ start: t0 + M, end: t0 + 2 * M, missing: 1, kind: "gap" }]);
  assert.equal(r.warnings.length, 9);
  for (const w of r.warnings) assert.match(w, /; /, "every warning says how to fix");
  // JSON-serializable and valid against the schema.
  const back = JSON.parse(JSON.stringify(r));
  assert.deepEqual(QualityReportSchema.parse(back), r);
});

Deno.test("empty frame and options validation", () => {
  const r = qualityReport(new Frame(new Float64Array(0), {}), { timeframe: "1h" });
  assert.equal(r.first, null);
  assert.equal(r.expected, 0);
  assert.match(r.warnings[0]!, /has no bars/);
  assert.throws(() => qualityReport(new Frame(new Float64Array(0), {}), { timeframe: "1x" }), RangeError);
  assert.throws(
    () => qualityReport(new Frame(new Float64Array(0), {}), { timeframe: "1h", calendar: "nyse" as "fx" }),
    /Invalid calendar "nyse"/,
  );
});

Deno.test("fx calendar on 24/7 data flags weekend bars as off-calendar; long gaps count weeks fast", () => {
  const t0 = Date.UTC(2024, 0, 1); // a Monday
  const ts = new Float64Array(Array.from({ length: 7 * 24 }, (_, i) => t0 + i * H));
  const r = qualityReport(new Frame(ts, {}), { timeframe: "1h", calendar: "fx" });
  // Strict fx closure Fri 22:00 .. Sun 21:00 holds 47 hourly bars.
  assert.equal(r.offCalendar, 47);
  // A 1m weekdays series with a 10-year hole: expected counts only weekday minutes.
  const long = new Frame(new Float64Array([t0, t0 + 3653 * D]), {});
  const q = qualityReport(long, { timeframe: "1m", calendar: "weekdays" });
  assert.equal(q.gapCount, 1);
  let weekdays = 0;
  for (let d = 0; d < 3653; d++) if (![0, 6].includes(new Date(t0 + d * D).getUTCDay())) weekdays++;
  assert.equal(weekdays, 2610); // 521 weeks (2605) + Mon..Sat (5)
  assert.equal(q.missing, weekdays * 1440 - 1); // every weekday minute but the first bar's
});

Deno.test("misaligned bars of regular series (the modulo shortcut): counted and listed as each bar's own check", () => {
  const series = (first: number, n: number, step = M): Frame => {
    const ts = Float64Array.from({ length: n }, (_, i) => first + i * step);
    const c = new Float64Array(n).fill(1);
    return new Frame(ts, { open: c, high: c, low: c, close: c, volume: c });
  };
  // 30 s off the grid, every bar: all misaligned, the first 5 listed.
  const off = qualityReport(series(Date.UTC(2024, 0, 1) + 30_000, 1000), { timeframe: "1m", calendar: "24/7" });
  assert.equal(off.misaligned, 1000);
  assert.deepEqual(off.examples.misaligned, [0, 1, 2, 3, 4].map((i) => Date.UTC(2024, 0, 1) + 30_000 + i * M));
  // Before 1970 (negative times) and on the grid: none.
  assert.equal(qualityReport(series(-100 * D, 1000), { timeframe: "1m", calendar: "24/7" }).misaligned, 0);
  assert.equal(qualityReport(series(-100 * D + 1, 1000), { timeframe: "1m", calendar: "24/7" }).misaligned, 1000);
  // A fractional-ms start stays misaligned all along; one bar pushed off the grid mid-series is one.
  assert.equal(qualityReport(series(0.5, 100), { timeframe: "1m", calendar: "24/7" }).misaligned, 100);
  const f = series(0, 100);
  f.ts[50] = 50 * M + 1;
  const r = qualityReport(f, { timeframe: "1m", calendar: "24/7" });
  assert.equal(r.misaligned, 1);
  assert.deepEqual(r.examples.misaligned, [50 * M + 1]);
  // Weekly bars start on Monday (1970-01-05 is a Monday).
  assert.equal(qualityReport(series(4 * D, 50, 7 * D), { timeframe: "1w", calendar: "24/7" }).misaligned, 0);
  assert.equal(qualityReport(series(0, 50, 7 * D), { timeframe: "1w", calendar: "24/7" }).misaligned, 50);
});
