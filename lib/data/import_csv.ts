import { type Calendar, DataError, formatSeries, type SeriesId } from "../types/mod.ts";
import type { BarSink, OnConflict, SinkAppendResult } from "./bar_sink.ts";
import { guessCalendar } from "./guess_calendar.ts";
import { type QualityReport, qualityReport } from "./quality_report.ts";
import type { CsvImport, ParseCsvOptions } from "./parse_csv.ts";
import { readCsv } from "./read_csv.ts";

/** Options for {@link importCsv}: a file, the series it becomes, the sink, and CSV options. */
export interface ImportCsvOptions extends ParseCsvOptions {
  path: string | URL;
  id: SeriesId;
  sink: BarSink;
  /** Trading calendar; default {@link guessCalendar}. */
  calendar?: Calendar;
  /**
   * A file row whose time is stored with other values (a revised price): `fail` (default, nothing
   * stored, the error names the first such bar), `keep` the stored bars, or `replace` them.
   */
  onConflict?: OnConflict;
}

/** What {@link importCsv} did. */
export interface ImportCsvResult {
  csv: Omit<CsvImport, "frame">;
  report: QualityReport;
  /** What the sink did, counted under its lock: new bars, bars equal to stored ones, differing bars. */
  stored: SinkAppendResult;
}

/**
 * Reads a CSV file ({@link readCsv}: a bad row rejects the whole file and nothing is stored),
 * reports its quality, and appends the bars to the sink in one call. Out-of-order or duplicate
 * rows are stored only when `sort`/`dedupe` fixed them; otherwise the import is refused with the
 * report's advice, because a store keeps one sorted bar per time. Rows whose time is already stored
 * with other values are handled by `onConflict` (default `fail`: nothing is stored).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { importCsv } from "./import_csv.ts";
 * import { MemorySink } from "./memory_sink.ts";
 * const sink = new MemorySink();
 * const id = { exchange: "samples", symbol: "GOOG", timeframe: "1d" };
 * const path = new URL("../../data/samples/GOOG.raw.csv", import.meta.url);
 * const { report, stored } = await importCsv({ path, id, sink });
 * assert.equal(report.calendar, "weekdays");
 * assert.equal(stored.inserted, 2148);
 * assert.equal((await importCsv({ path, id, sink })).stored.identical, 2148); // again: nothing new
 * assert.equal(sink.get(id)!.length, 2148);
 * ```
 */
export async function importCsv(options: ImportCsvOptions): Promise<ImportCsvResult> {
  const { path, id, sink, calendar: given, onConflict, ...csvOptions } = options;
  const { frame, ...csv } = await readCsv(path, csvOptions);
  const calendar = given ?? guessCalendar(frame, id.timeframe);
  const report = qualityReport(frame, { timeframe: id.timeframe, calendar, label: formatSeries(id) });
  if (report.outOfOrder > 0 || report.duplicates > 0) {
    throw new DataError(
      `${csv.source}: ${report.outOfOrder} out-of-order and ${report.duplicates} duplicate rows; ` +
        `import with sort: true (and dedupe: true to keep the last row of each time). Nothing was stored`,
    );
  }
  const stored = await sink.append(id, frame, { calendar, source: csv.source, onConflict: onConflict ?? "fail" });
  return { csv, report, stored };
}
