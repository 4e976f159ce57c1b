// The rows of a CSV text with the line each starts on, through csv-parse (quoted fields, "" escapes, a UTF-8 BOM).
import { parse } from "csv-parse/sync";
import { TaxInputError } from "./tax_input_error.ts";

/** One CSV record and the 1-based line it starts on. */
export interface CsvRecord {
  line: number;
  fields: string[];
}

interface Info {
  /** The line the record ends on. */
  lines: number;
  /** Blank lines skipped so far. */
  empty_lines: number;
}

/**
 * Every non-blank record of `text`, the header first. CRLF endings become LF first: csv-parse counts the CR and the
 * LF of a CRLF inside a quoted field as two lines, which would put every later error on the wrong line. A record
 * starts on the line after the previous one ends, past the blank lines skipped in between (a quoted field may span
 * lines, so the end line alone is not the start).
 */
export function csvRecords(text: string, file: string): CsvRecord[] {
  const lf = text.includes("\r") ? text.replace(/\r\n?/g, "\n") : text;
  let rows: { record: string[]; info: Info }[];
  try {
    rows = parse(lf, {
      bom: true,
      info: true,
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
  const out = new Array<CsvRecord>(rows.length);
  let end = 0, empty = 0;
  for (let i = 0; i < rows.length; i++) {
    const { record, info } = rows[i]!;
    out[i] = { line: end + 1 + info.empty_lines - empty, fields: record };
    end = info.lines;
    empty = info.empty_lines;
  }
  return out;
}
