import { JUPYTER_DISPLAY, type MimeBundle } from "../types/mod.ts";
import { escapeHtml } from "./_format.ts";

/** One displayed stat. */
export interface StatRow {
  /** Registry key (or the caller's key). */
  key: string;
  /** Registry title, or the key for stats outside the registry. */
  title: string;
  /** The raw number. */
  value: number;
  /** `formatStat(key, value)`. */
  text: string;
}

/** Rows of formatted stats that display themselves in Jupyter (HTML table and plain text). */
export class StatsTableView {
  /** Registry stats in registry order, then other keys in the order given. */
  readonly rows: readonly StatRow[];

  /** Wraps rows built by `statsTable`. */
  constructor(rows: readonly StatRow[]) {
    this.rows = rows;
  }

  /** Aligned two-column plain text. */
  toString(): string {
    const w = Math.max(0, ...this.rows.map((r) => r.title.length));
    return this.rows.map((r) => `${r.title.padEnd(w)}  ${r.text}`).join("\n");
  }

  /** An HTML table (title, value). */
  toHtml(): string {
    const body = this.rows
      .map((r) =>
        `<tr><th style="text-align:left" title="${escapeHtml(r.key)}">${escapeHtml(r.title)}</th>` +
        `<td style="text-align:right">${escapeHtml(r.text)}</td></tr>`
      )
      .join("");
    return `<table class="sentinel-stats"><tbody>${body}</tbody></table>`;
  }

  /** Deno's Jupyter kernel calls this to display the table. */
  [JUPYTER_DISPLAY](): MimeBundle {
    return { "text/html": this.toHtml(), "text/plain": this.toString() };
  }
}
