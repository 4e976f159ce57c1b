import type { Frame } from "../frame/mod.ts";
import { CsvParser } from "./_csv_parser.ts";

/** How numeric time values are read. `auto` decides from the first data row's magnitude. */
export type TimeUnit = "auto" | "s" | "ms" | "us" | "ns";

/** Options for {@link parseCsv} and {@link readCsv}. */
export interface ParseCsvOptions {
  /** Name used in error messages and in {@link CsvImport.source} (the file path). Default `"<csv>"`. */
  name?: string;
  /** Field delimiter. Default `","`. */
  delimiter?: "," | ";" | "\t" | "|";
  /**
   * `"required"` (default): a file without a volume column is rejected. `"optional"`: it loads
   * with volume NaN ("unknown", never 0, so zero-volume checks and volume-weighted indicators do
   * not mistake it for a bar without trades).
   */
  volume?: "required" | "optional";
  /** Unit of numeric time values. Default `"auto"` (see {@link parseCsv}). Ignored for ISO dates. */
  timeUnit?: TimeUnit;
  /** Name of the time column when it is not one of the recognised names. Case-insensitive. */
  timeColumn?: string;
  /** Sort rows by time (stable) when they are out of order. Default false: rows keep file order. */
  sort?: boolean;
  /** Drop rows with a repeated time, keeping the last one in file order. Implies `sort`. Default false. */
  dedupe?: boolean;
}

/** What {@link parseCsv} returns: the bars plus what it did to get them. */
export interface CsvImport {
  /** Columns `open, high, low, close, volume`; `ts` epoch ms UTC. */
  frame: Frame;
  /** The `name` option (file path for {@link readCsv}). */
  source: string;
  /** Data rows read from the file (before any de-duplication). */
  rows: number;
  /** Header name of the time column (`""` for the unnamed first column). */
  timeColumn: string;
  /** How the time column was read. */
  timeFormat: "iso" | "epoch_s" | "epoch_ms" | "epoch_us" | "epoch_ns";
  /** Header names that were ignored (`adjclose`, ...). */
  ignoredColumns: string[];
  /** Rows whose time was earlier than the row before, in file order. */
  outOfOrder: number;
  /** Whether the importer reordered rows (only with `sort` or `dedupe`). */
  sorted: boolean;
  /** Rows removed because another row had the same time (only with `dedupe`). */
  duplicatesDropped: number;
  /** Sentences describing anything the importer decided (sorting, missing volume). */
  notes: string[];
}

/**
 * Parses OHLCV CSV text or bytes into a {@link Frame}, validating every row.
 *
 * - Header names are case-insensitive. The time column is the first of `timestamp`, `ts`,
 *   `datetime`, `open_time`, `date`, `time` found, or an unnamed first column (backtesting.py's
 *   `,Open,High,Low,Close,Volume`), or `timeColumn`. `open`, `high`, `low`, `close` are required;
 *   `volume` too unless `volume: "optional"`. Other columns (`adjclose`) are ignored.
 * - Times are ISO dates or date-times (`2004-08-19`, `2017-04-19 09:00:00`, `...T09:00:00Z`,
 *   `...+02:00`); **a time without zone is UTC**. Numeric times are epoch values whose unit is
 *   decided once, from the first data row: below 1e11 seconds (up to year 5138), below 1e14
 *   milliseconds (from 1973-03-03), below 1e17 microseconds, else nanoseconds. They are rounded
 *   to whole milliseconds. Pass `timeUnit` to force a unit.
 * - Numbers parse exactly as `Number()` would. Blank lines are skipped; `\r\n` endings, a UTF-8
 *   BOM and double-quoted fields are accepted.
 * - A bad row rejects the whole file with a {@link DataError} naming the source, line, column,
 *   reason and value: unparseable number or date, NaN or infinite value, negative price or volume,
 *   high < low, wrong column count. Nothing is returned then.
 * - Out-of-order and duplicate times are not errors (the quality report lists them). Rows keep
 *   file order unless `sort` (stable sort by time) or `dedupe` (sort, then keep the last row of
 *   each time) is set; {@link CsvImport.notes} says what was done.
 * - The columns of a file read in order lie in SharedArrayBuffers, so sweep workers read them
 *   without a copy; they behave as any Float64Array otherwise.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { parseCsv } from "./parse_csv.ts";
 * const csv = ",Open,High,Low,Close,Volume\n2004-08-19,100,104.06,95.96,100.34,22351900\n";
 * const { frame, timeFormat } = parseCsv(csv);
 * assert.equal(timeFormat, "iso");
 * assert.equal(frame.ts[0], Date.UTC(2004, 7, 19));
 * assert.equal(frame.close[0], 100.34);
 * assert.throws(() => parseCsv("ts,open,high,low,close,volume\n1,2,1,3,2,5\n", { name: "x.csv" }), /x\.csv:2: high < low/);
 * ```
 */
export function parseCsv(input: string | Uint8Array, options: ParseCsvOptions = {}): CsvImport {
  const b = typeof input === "string" ? new TextEncoder().encode(input) : input;
  const parser = new CsvParser(options, b.length);
  parser.readRows(b, parser.readHeader(b, true), true);
  return parser.finish();
}
