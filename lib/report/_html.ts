// HTML building blocks for self-contained reports: escaping, the page shell with inline CSS, tables.

const ESCAPES: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" };

/** Escapes text for element content and attribute values. */
export function esc(s: unknown): string {
  return String(s).replace(/[&<>"']/g, (c) => ESCAPES[c]!);
}

/** Styles of the report's sections (the lab adds them to its own page style). */
export const SECTION_CSS = `
.meta{color:#57606a;margin:0 0 12px}.meta code{background:#f6f8fa;padding:1px 4px;border-radius:4px}
.warn{background:#fff8c5;border:1px solid #d4a72c;border-radius:6px;padding:8px 12px;margin:8px 0}
.warn li{margin:2px 0}
.grid{display:grid;grid-template-columns:repeat(auto-fill,minmax(300px,1fr));gap:0 24px}
.scroll{max-height:520px;overflow:auto;border:1px solid #eaeef2}
.scroll thead th{position:sticky;top:0;background:#f6f8fa}
.pos{color:#1a7f37}.neg{color:#cf222e}
figure.sentinel-figure{margin:12px 0}figure.sentinel-figure svg{max-width:100%;height:auto}
.note{color:#57606a;font-style:italic}
`;

const CSS = `
body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#1f2328;margin:0;background:#fff}
main{max-width:960px;margin:0 auto;padding:24px}
h1{font-size:22px;margin:0 0 4px}h2{font-size:17px;margin:28px 0 10px;border-bottom:1px solid #d0d7de;padding-bottom:4px}
.meta{color:#57606a;margin:0 0 12px}.meta code{background:#f6f8fa;padding:1px 4px;border-radius:4px}
.warn{background:#fff8c5;border:1px solid #d4a72c;border-radius:6px;padding:8px 12px;margin:8px 0}
.warn li{margin:2px 0}
table{border-collapse:collapse;font-variant-numeric:tabular-nums}
td,th{padding:3px 10px;border-bottom:1px solid #eaeef2;text-align:right;white-space:nowrap}
th{font-weight:600}td:first-child,th:first-child{text-align:left}
.grid{display:grid;grid-template-columns:repeat(auto-fill,minmax(300px,1fr));gap:0 24px}
.scroll{max-height:520px;overflow:auto;border:1px solid #eaeef2}
.scroll thead th{position:sticky;top:0;background:#f6f8fa}
.pos{color:#1a7f37}.neg{color:#cf222e}
figure.sentinel-figure{margin:12px 0}figure.sentinel-figure svg{max-width:100%;height:auto}
pre{background:#f6f8fa;padding:12px;overflow:auto;font-size:12px;max-height:600px}
.note{color:#57606a;font-style:italic}
footer{color:#57606a;font-size:12px;margin-top:32px}
`;

/** A complete HTML document: no scripts, no external links (it opens offline and in mail). */
export function page(title: string, body: string): string {
  return `<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">` +
    `<meta name="viewport" content="width=device-width,initial-scale=1">` +
    `<title>${esc(title)}</title><style>${CSS}</style></head>\n<body><main>\n${body}\n</main></body></html>\n`;
}

/** A table with a header row; cells are HTML already escaped by the caller. */
export function table(header: string[], rows: string[][], className = ""): string {
  const head = `<thead><tr>${header.map((h) => `<th>${h}</th>`).join("")}</tr></thead>`;
  const body = rows.map((r) => `<tr>${r.map((c) => `<td>${c}</td>`).join("")}</tr>`).join("\n");
  return `<table${className ? ` class="${className}"` : ""}>${head}<tbody>\n${body}\n</tbody></table>`;
}

/** ISO date-time (UTC, no milliseconds) of epoch ms, or "-". */
export function isoTime(ms: number | null | undefined): string {
  if (ms === null || ms === undefined || !Number.isFinite(ms)) return "-";
  return new Date(ms).toISOString().replace(".000Z", "Z").replace("T00:00:00Z", "");
}

/** A figure built by `make`, or a note saying why it could not be drawn (a report never fails on one figure). */
export function figureOrNote(name: string, make: () => { toHtml(): string }): string {
  try {
    return make().toHtml();
  } catch (e) {
    return `<p class="note">${esc(name)}: not drawn (${esc((e as Error).message)})</p>`;
  }
}

/** JSON with NaN and ±Infinity kept readable (JSON.stringify would print null). */
export function prettyJson(value: unknown): string {
  return JSON.stringify(value, (_k, v) => typeof v === "number" && !Number.isFinite(v) ? String(v) : v, 2);
}
