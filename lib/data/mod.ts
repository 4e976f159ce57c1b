/**
 * Data sources: CSV import (fast, validated, all-or-nothing), quality reports (calendar-aware
 * gaps, duplicates, OHLC consistency, zero volume) and ccxt downloads (paged, rate-limited,
 * retried, resumable) into any {@link BarSink}.
 *
 * Gaps have one meaning: bars the calendar expects that are missing. A single missing trading day
 * on a `weekdays` or `fx` calendar is a holiday, counted apart (`holidayCount`), never a gap.
 * Bars whose time is already stored with other values (revised prices) are refused by default;
 * `onConflict: "keep" | "replace"` on imports and downloads says what to do instead.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { parseCsv, qualityReport } from "./mod.ts";
 * const csv = "timestamp,open,high,low,close,volume\n" +
 *   "1515560100000,1,2,0.5,1.5,10\n1515560400000,1.5,2,1,1.8,0\n1515561000000,1.8,2,1.7,1.9,4\n";
 * const { frame } = parseCsv(csv, { name: "x.csv" });
 * const report = qualityReport(frame, { timeframe: "5m", calendar: "24/7", label: "x:ADA/BTC:5m" });
 * assert.equal(report.gapCount, 1);
 * assert.equal(report.zeroVolume, 1);
 * assert.equal(report.warnings.length, 2);
 * ```
 * @module
 */
export * from "./bar_sink.ts";
export * from "./download_ohlcv.ts";
export * from "./guess_calendar.ts";
export * from "./import_csv.ts";
export * from "./import_samples.ts";
export * from "./interrupt_signal.ts";
export * from "./memory_sink.ts";
export * from "./parse_csv.ts";
export * from "./progress_bar.ts";
export * from "./quality_report.ts";
export * from "./read_csv.ts";
