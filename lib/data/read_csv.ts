import type { CsvImport, ParseCsvOptions } from "./parse_csv.ts";
import { readCsvChunks } from "./_csv_file.ts";

/**
 * Reads an OHLCV CSV file and parses it with {@link parseCsv} (same rules, options and errors);
 * `name` defaults to the path so errors read `path:line: reason`.
 *
 * The file is read in chunks into one reused buffer and parsed row by row across chunk boundaries, so a
 * big file is never held whole in memory (touching fresh pages for all of it is what a whole-file read
 * costs most).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { readCsv } from "./read_csv.ts";
 * const r = await readCsv(new URL("../../data/samples/GOOG.raw.csv", import.meta.url));
 * assert.equal(r.rows, 2148);
 * assert.equal(r.frame.close[0], 100.34);
 * ```
 */
export function readCsv(path: string | URL, options: ParseCsvOptions = {}): Promise<CsvImport> {
  const name = options.name ?? (path instanceof URL ? (path.protocol === "file:" ? path.pathname : path.href) : path);
  return readCsvChunks(path, { ...options, name });
}
