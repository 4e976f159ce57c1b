import type { Columns } from "./columns.ts";
import { columnsLength } from "./_columns.ts";

/** Options of {@link columnsToCsv}. */
export interface ColumnsToCsvOptions {
  /** Columns whose values are epoch ms written as ISO-8601 UTC text instead of numbers. */
  isoTime?: readonly string[];
}

/**
 * Writes columns as RFC 4180 CSV text with a header line. Numbers are written in full
 * (shortest round-trip form, so reading them back gives the same doubles); NaN and missing
 * text are empty fields; text with a comma, quote or line break is quoted.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { columnsToCsv } from "./columns_to_csv.ts";
 * const csv = columnsToCsv({ fast: Float64Array.of(5, 10), sharpe: Float64Array.of(1.25, NaN), note: ["a,b", null] });
 * assert.equal(csv, 'fast,sharpe,note\n5,1.25,"a,b"\n10,,\n');
 * ```
 */
export function columnsToCsv(columns: Columns, options: ColumnsToCsvOptions = {}): string {
  const n = columnsLength(columns);
  const names = Object.keys(columns);
  const iso = new Set(options.isoTime ?? []);
  const lines: string[] = [names.map(quote).join(",")];
  const cells = new Array<string>(names.length);
  for (let i = 0; i < n; i++) {
    for (let c = 0; c < names.length; c++) {
      const v = columns[names[c]!]![i];
      if (v === null || v === undefined) cells[c] = "";
      else if (typeof v === "string") cells[c] = quote(v);
      else if (typeof v === "bigint") cells[c] = iso.has(names[c]!) ? isoOf(Number(v)) : v.toString();
      else if (!Number.isFinite(v)) cells[c] = Number.isNaN(v) ? "" : String(v);
      else cells[c] = iso.has(names[c]!) ? isoOf(v) : String(v);
    }
    lines.push(cells.join(","));
  }
  return lines.join("\n") + "\n";
}

function quote(s: string): string {
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

function isoOf(ms: number): string {
  return Number.isFinite(ms) ? new Date(ms).toISOString() : "";
}
