import { type CsvImport, parseCsv, type ParseCsvOptions } from "./parse_csv.ts";

/**
 * Reads an OHLCV CSV file and parses it with {@link parseCsv} (same rules, options and errors);
 * `name` defaults to the path so errors read `path:line: reason`.
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
export async function readCsv(path: string | URL, options: ParseCsvOptions = {}): Promise<CsvImport> {
  const bytes = await Deno.readFile(path);
  const name = options.name ?? (path instanceof URL ? (path.protocol === "file:" ? path.pathname : path.href) : path);
  return parseCsv(bytes, { ...options, name });
}
