// The rows of a CSV text with the line each starts on, through csv-parse (quoted fields, "" escapes, a UTF-8 BOM).
import { parse } from "csv-parse/sync";
import { TaxInputError } from "./tax_input_error.ts";

/** One CSV record and the 1-based line it starts on. */
export interface CsvRecord {
  line: number;
  fields: string[];
}

/**
 * Every non-blank record of `text`, the header first. CRLF endings become LF first: csv-parse counts the CR and the
 * LF of a CRLF inside a quoted field as two lines, which would put every later error on the wrong line.
 */
export function csvRecords(text: string, file: string): CsvRecord[] {
  const lf = text.replace(/\r\n?/g, "\n");
  let rows: { record: string[]; info: { lines: number }; raw: string }[];
  try {
    rows = parse(lf, {
      bom: true,
      info: true,
      raw: true,
      relax_column_count: true,
      skip_empty_lines: true,
    }) as unknown as typeof rows;
  } catch (e) {
    const line = typeof (e as { lines?: unknown }).lines === "number" ? (e as { lines: number }).lines : 0;
    const msg = (e as Error).message.replace(/^[^:]*: /, "");
    throw new TaxInputError(file, line, `not valid CSV: ${msg}; quote a field with "..." and double a quote inside`, {
      cause: e,
    });
  }
  return rows.map(({ record, info, raw }) => {
    // info.lines is the line the record ends on; a quoted field may span lines.
    const body = raw.replace(/^\n+/, "").replace(/\n$/, "");
    let inner = 0;
    for (let i = body.indexOf("\n"); i >= 0; i = body.indexOf("\n", i + 1)) inner++;
    return { line: info.lines - inner, fields: record };
  });
}
