// Server-side HTML: an escaping template tag, the shared page layout, and small formatting helpers.
import { formatFixed, MINUS } from "../metrics/mod.ts";
import { utcTime } from "../report/mod.ts";

/** HTML text that is already safe (escaped or trusted markup such as our own SVG figures). */
export class Html {
  constructor(readonly value: string) {}
  toString(): string {
    return this.value;
  }
}

const ESC: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" };

/** Escapes text for HTML content and quoted attribute values. */
export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ESC[c]!);
}

/** Marks trusted markup (our own SVG figures and fragments) as safe. */
export function raw(s: string): Html {
  return new Html(s);
}

type Part = Html | string | number | boolean | null | undefined | readonly Part[];

function append(out: string[], v: Part): void {
  if (v === null || v === undefined || v === false || v === true) return;
  if (v instanceof Html) out.push(v.value);
  else if (typeof v === "number") out.push(String(v));
  else if (typeof v === "string") out.push(escapeHtml(v));
  else for (const x of v) append(out, x);
}

/** Template tag: interpolated strings are escaped, {@link Html} values and arrays of them are inserted as is. */
export function html(strings: TemplateStringsArray, ...values: Part[]): Html {
  const out: string[] = [strings[0]!];
  for (let i = 0; i < values.length; i++) {
    append(out, values[i]!);
    out.push(strings[i + 1]!);
  }
  return new Html(out.join(""));
}

const CSS = `
:root{--fg:#1f2328;--muted:#59636e;--line:#d1d9e0;--bg:#fff;--panel:#f6f8fa;--accent:#0b62c4;--bad:#b42318;--good:#1a7f37}
*{box-sizing:border-box}
body{margin:0;font:15px/1.55 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:var(--fg);background:var(--bg)}
header{border-bottom:1px solid var(--line);background:var(--panel)}
header nav{max-width:1040px;margin:0 auto;padding:.6rem 1.2rem;display:flex;gap:1.1rem;align-items:baseline;flex-wrap:wrap}
header nav a{color:var(--fg);text-decoration:none}
header nav a.brand{font-weight:700;margin-right:.6rem}
header nav a:hover{color:var(--accent)}
main{max-width:1040px;margin:0 auto;padding:1rem 1.2rem 3rem}
h1{font:600 1.7rem/1.25 Georgia,"Times New Roman",serif;margin:1.2rem 0 .4rem}
h2{font:600 1.25rem/1.3 Georgia,"Times New Roman",serif;margin:2rem 0 .5rem;padding-bottom:.2rem;border-bottom:1px solid var(--line)}
h3{font-size:1rem;margin:1.2rem 0 .4rem}
p.lead{color:var(--muted);margin-top:0}
a{color:var(--accent)}
code,.mono{font-family:ui-monospace,SFMono-Regular,Menlo,monospace;font-size:.88em}
table{border-collapse:collapse;margin:.5rem 0 1rem;font-variant-numeric:tabular-nums}
th,td{padding:.25rem .7rem;border-bottom:1px solid var(--line);text-align:left;vertical-align:top}
thead th{background:var(--panel);font-weight:600;white-space:nowrap}
td.num,th.num{text-align:right}
table.stats th{font-weight:500;color:var(--muted)}
table.stats td{text-align:right}
th[data-sort]{cursor:pointer}
th[data-sort]::after{content:" \\2195";color:var(--muted);font-size:.8em}
.pos{color:var(--good)}.neg{color:var(--bad)}
.muted{color:var(--muted)}
.grid2{display:grid;grid-template-columns:repeat(auto-fit,minmax(300px,1fr));gap:0 2rem}
figure.sentinel-figure{margin:.8rem 0}
figure.sentinel-figure svg{max-width:100%;height:auto}
form.panel{background:var(--panel);border:1px solid var(--line);border-radius:6px;padding:1rem 1.2rem;margin:1rem 0}
fieldset{border:0;padding:0;margin:0 0 1rem}
legend{font-weight:600;margin-bottom:.4rem}
label{display:inline-flex;flex-direction:column;margin:0 1rem .6rem 0;font-size:.9rem;color:var(--muted)}
label input,label select{margin-top:.15rem;font:inherit;color:var(--fg);padding:.25rem .4rem;border:1px solid var(--line);border-radius:4px;min-width:9rem;background:#fff}
label.check{flex-direction:row;align-items:center;gap:.4rem}
label.check input{min-width:0}
button,.button{font:inherit;padding:.4rem 1rem;border-radius:5px;border:1px solid var(--accent);background:var(--accent);color:#fff;cursor:pointer;text-decoration:none;display:inline-block}
button.secondary{background:#fff;color:var(--accent)}
button.danger{background:#fff;color:var(--bad);border-color:var(--bad)}
.errors{border:1px solid var(--bad);background:#fff5f5;border-radius:6px;padding:.6rem 1rem;margin:1rem 0}
.errors li{color:var(--bad)}
.warn{border-left:3px solid #d4a72c;background:#fff8e5;padding:.4rem .8rem;margin:.4rem 0}
progress{width:100%;height:1.2rem}
.pager a,.pager span{margin-right:.6rem}
.kv th{color:var(--muted);font-weight:500;white-space:nowrap}
details{margin:.5rem 0}
`;

// Sortable tables: click a header with data-sort to sort the tbody rows by that column (data-v or text).
const SORT_JS = `
document.addEventListener("click",(e)=>{const th=e.target.closest("th[data-sort]");if(!th)return;
const table=th.closest("table"),body=table.tBodies[0],i=[...th.parentNode.children].indexOf(th);
const dir=th.dataset.dir==="asc"?"desc":"asc";th.dataset.dir=dir;const num=th.dataset.sort==="num";
const key=(r)=>{const c=r.children[i];const v=c?.dataset.v??c?.textContent??"";return num?Number(v):v};
const rows=[...body.rows].sort((a,b)=>{const x=key(a),y=key(b);const c=num?(x-y||0):String(x).localeCompare(String(y));return dir==="asc"?c:-c});
body.append(...rows)});
`;

/** What {@link layout} needs besides the body. */
export interface PageOptions {
  title: string;
  /** Extra markup in <head> (rarely needed). */
  head?: Html;
}

/** The shared page: navigation, notebook-like typography, sortable tables. */
export function layout(options: PageOptions, body: Html): string {
  return html`
    <!DOCTYPE html>
    <html lang="en">
      <head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
    <title>${options.title} · Sentinel lab</title><style>${raw(CSS)}</style>${options.head}</head>
      <body>
        <header>
          <nav><a class="brand" href="/">Sentinel lab</a><a href="/datasets">Datasets</a>
    <a href="/backtests/new">New backtest</a><a href="/sweeps/new">New sweep</a><a href="/runs">Runs</a>
    <a href="/strategies">Strategies</a><a href="/accounts">Accounts</a><a href="/agents">Agents</a><a href="/tax">Tax</a><a href="/cluster">Cluster</a><a href="/api/openapi.json">API</a></nav>
        </header>
        <main>${body}</main>
        <script>${raw(SORT_JS)}</script>
      </body>
    </html>
  `.value;
}

/**
 * The lab's one time format, as the run report's: `2024-03-01 UTC` at midnight, `2024-03-01 14:05 UTC`
 * otherwise, an em dash when missing.
 */
export function fmtTs(ms: number | null | undefined): string {
  return utcTime(ms);
}

/** A number with thousands separators and at most `digits` decimals; minus sign U+2212, as `formatStat`. */
export function fmtNum(x: number, digits = 2): string {
  if (!Number.isFinite(x)) return Number.isNaN(x) ? "n/a" : x > 0 ? "inf" : `${MINUS}inf`;
  const body = Math.abs(x).toLocaleString("en-US", { maximumFractionDigits: digits });
  return x < 0 && /[1-9]/.test(body) ? MINUS + body : body;
}

/** A price-like number: enough significant digits for small quotes (0.00002345 BTC). */
export function fmtPrice(x: number): string {
  if (!Number.isFinite(x)) return fmtNum(x);
  const a = Math.abs(x);
  return a >= 1000 ? fmtNum(x, 2) : a >= 1 ? fmtNum(x, 4) : Number(x.toPrecision(5)).toString();
}

/** Percent with sign, from a fraction. */
export function fmtPct(x: number, digits = 2): string {
  if (!Number.isFinite(x)) return fmtNum(x);
  return formatFixed(x, digits, { scale: 100, suffix: "%", signed: true });
}

/** `pos`/`neg` class for a signed number. */
export function signClass(x: number): string {
  return x > 0 ? "pos" : x < 0 ? "neg" : "";
}

/** Encodes a series text for a path segment (`samples:BTC/USD:1M` -> `samples%3ABTC%2FUSD%3A1M`). */
export function seriesPath(series: string): string {
  return encodeURIComponent(series);
}
