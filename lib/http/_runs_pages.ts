// HTML pages under /runs: the list, the comparison of two runs, one run's page (the shared
// report renderer of lib/report plus the lab's extras) and its zoomable equity figure.
import { Hono } from "hono";
import { z } from "zod";
import type { Frame } from "../frame/mod.ts";
import { formatStat, STATS_BY_KEY } from "../metrics/mod.ts";
import { seriesFigure, type SeriesLine } from "../plots/mod.ts";
import {
  equityFiguresHtml,
  humanParams,
  ppText,
  renderRunReport,
  type RunReport,
  SECTION_CSS,
  utcTime,
} from "../report/mod.ts";
import type { RunRecord } from "../runs/mod.ts";
import type { Trade } from "../types/mod.ts";
import { fmtNum, fmtPct, fmtPrice, type Html, html, layout, raw, seriesPath, signClass } from "./_html.ts";
import type { Lab, RunView } from "./_lab.ts";
import { ListQuerySchema, listRuns, RUN_ID, runIdParam } from "./_runs_common.ts";
import { reportEquity, runReportView } from "./_run_view.ts";
import { sweepResultHtml } from "./_sweep_result.ts";
import { zv } from "./_validate.ts";

const TRADE_SORT = ["entry", "exit", "direction", "pnl", "return", "bars", "reason"] as const;
export const TradesQuerySchema = z.strictObject({
  page: z.coerce.number().int().min(1).max(1_000_000).optional(),
  sort: z.enum(TRADE_SORT).optional(),
  dir: z.enum(["asc", "desc"]).optional(),
  log: z.enum(["0", "1"]).optional(),
});

const RangeQuerySchema = z.strictObject({
  from: z.coerce.number().finite().optional(),
  to: z.coerce.number().finite().optional(),
  log: z.enum(["0", "1"]).optional(),
});

const PAGE = 50;

function statCell(stats: Record<string, number>, key: string): Html {
  const v = stats[key];
  if (v === undefined) return html`<td class="num" data-v="">—</td>`;
  const cls = key === "total_return" || key === "sharpe" ? signClass(v) : "";
  return html`<td class="num ${cls}" data-v="${Number.isFinite(v) ? v : ""}">${formatStat(key, v)}</td>`;
}

function sortTrades(trades: Trade[], sort: (typeof TRADE_SORT)[number] | undefined, dir: "asc" | "desc"): Trade[] {
  if (sort === undefined) return trades;
  const key: Record<(typeof TRADE_SORT)[number], (t: Trade) => number | string> = {
    entry: (t) => t.entryTs,
    exit: (t) => (Number.isFinite(t.exitTs) ? t.exitTs : Infinity),
    direction: (t) => t.direction,
    pnl: (t) => t.pnl,
    return: (t) => t.return,
    bars: (t) => t.bars,
    reason: (t) => t.exitReason,
  };
  const k = key[sort];
  const sign = dir === "asc" ? 1 : -1;
  return [...trades].sort((a, b) => {
    const x = k(a), y = k(b);
    return sign * (typeof x === "number" ? (x as number) - (y as number) : String(x).localeCompare(String(y)));
  });
}

function tradesTable(id: string, trades: Trade[], q: z.output<typeof TradesQuerySchema>): Html {
  if (trades.length === 0) return html`<p class="note">No trades.</p>`;
  const dir = q.dir ?? "asc";
  const sorted = sortTrades(trades, q.sort, dir);
  const pages = Math.max(1, Math.ceil(sorted.length / PAGE));
  const page = Math.min(q.page ?? 1, pages);
  const rows = sorted.slice((page - 1) * PAGE, page * PAGE);
  const link = (p: number, sort = q.sort, d = dir) =>
    `/runs/${id}?page=${p}${sort ? `&sort=${sort}&dir=${d}` : ""}#trades`;
  const head = (key: (typeof TRADE_SORT)[number], label: string, num = false) => {
    const next = q.sort === key && dir === "asc" ? "desc" : "asc";
    const mark = q.sort === key ? (dir === "asc" ? " ▲" : " ▼") : "";
    return html`<th class="${num ? "num" : ""}"><a href="${link(1, key, next)}">${label}${mark}</a></th>`;
  };
  return html`
    <table id="trades-table">
      <thead>
        <tr><th class="num">#</th>${head("entry", "Entry (UTC)")}${head("exit", "Exit (UTC)")}${head(
          "direction",
          "Side",
        )}
    <th class="num">Entry price</th><th class="num">Exit price</th><th class="num">Size</th>${head(
      "pnl",
      "P&L",
      true,
    )}${head("return", "Return", true)}${head("bars", "Bars", true)}${head("reason", "Exit reason")}</tr>
      </thead>
      <tbody>
    ${rows.map((t, i) =>
      html`
        <tr>
          <td class="num">${(page - 1) * PAGE + i + 1}</td>
          <td>${utcTime(t.entryTs).replace(" UTC", "")}</td>
          <td>${t.exitIndex < 0 ? "open" : utcTime(t.exitTs).replace(" UTC", "")}</td>
          <td>${t.direction}</td>
          <td class="num">${fmtPrice(t.entryPrice)}</td>
          <td class="num">${fmtPrice(t.exitPrice)}</td>
          <td class="num">${fmtNum(t.size, 6)}</td>
          <td class="num ${signClass(t.pnl)}">${fmtNum(t.pnl, 2)}</td>
          <td class="num ${signClass(t.return)}">${fmtPct(t.return)}</td>
          <td class="num">${t.bars}</td>
          <td>${t.exitReason}</td>
        </tr>
      `
    )}</tbody>
    </table>
    <p class="pager">${page > 1
      ? html`<a href="${link(page - 1)}">← previous</a>`
      : ""}<span>page ${page} of ${pages} · ${trades.length} trades</span>${page < pages
      ? html`<a href="${link(page + 1)}">next →</a>`
      : ""}</p>
  `;
}

async function sweepSection(lab: Lab, record: RunRecord): Promise<Html> {
  if (!record.files.includes("sweep.parquet")) return html``;
  const cols = await lab.runs.sweep(record.id);
  return sweepResultHtml(cols, Object.keys(record.params), "sharpe");
}

/** A fragment of a run's page, computed once per run (runs are immutable). */
function memo<T>(view: RunView, key: string, make: () => T | Promise<T>): Promise<T> {
  view.memo ??= new Map();
  let p = view.memo.get(key) as Promise<T> | undefined;
  if (p === undefined) {
    p = Promise.resolve().then(make);
    view.memo.set(key, p);
    p.catch(() => view.memo?.delete(key));
  }
  return p;
}

// The lab's interactivity on top of the report's static SVG: zoom (drag across the equity figure,
// or the buttons) and pan re-request the figure for that range from the server; a log-scale
// toggle; a hover read-out from the decimated equity JSON. Self-contained: nothing is loaded
// from outside the lab.
const RUN_PAGE_JS = `
document.addEventListener("DOMContentLoaded",()=>{
const box=document.getElementById("equity-zoom");if(!box)return;
const figs=box.querySelector(".zoom-figures"),tip=box.querySelector(".zoom-tip"),band=box.querySelector(".zoom-band");
const F=+box.dataset.fullFrom,T=+box.dataset.fullTo;let from=+box.dataset.from,to=+box.dataset.to;
let log=box.dataset.log==="1",pts=null,drag=null;const W=900,L=64,R=24;
const q=()=>"from="+Math.floor(from)+"&to="+Math.ceil(to);
async function points(){pts=null;const r=await fetch(box.dataset.api+"?"+q()+"&points=800");if(r.ok)pts=await r.json();}
async function load(){from=Math.max(F,from);to=Math.min(T,to);if(!(to>from)){from=F;to=T}
box.dataset.from=from;box.dataset.to=to;box.classList.add("loading");tip.hidden=true;
const r=await fetch(box.dataset.src+"?"+q()+"&log="+(log?1:0));if(r.ok)figs.innerHTML=await r.text();
box.classList.remove("loading");points();}
box.addEventListener("click",(e)=>{const b=e.target.closest("[data-zoom]");if(!b)return;const k=b.dataset.zoom,s=to-from;
if(k==="out"){from-=s/2;to+=s/2}else if(k==="left"){const d=Math.min(s/3,from-F);from-=d;to-=d}
else if(k==="right"){const d=Math.min(s/3,T-to);from+=d;to+=d}else if(k==="reset"){from=F;to=T}
else if(k==="log"){log=b.checked}else return;load()});
const svgOf=()=>figs.querySelector("svg");
const xOf=(svg,cx)=>{const r=svg.getBoundingClientRect();return (cx-r.left)*W/r.width};
const timeAt=(svg,cx)=>from+(xOf(svg,cx)-L)/(W-L-R)*(to-from);
figs.addEventListener("mousedown",(e)=>{const svg=svgOf();if(!svg||!svg.contains(e.target))return;drag={cx:e.clientX,svg};e.preventDefault()});
window.addEventListener("mousemove",(e)=>{if(!drag)return;const r=drag.svg.getBoundingClientRect(),b=box.getBoundingClientRect();
const a=Math.min(drag.cx,e.clientX),z=Math.max(drag.cx,e.clientX);band.hidden=false;band.style.left=(a-b.left)+"px";
band.style.width=(z-a)+"px";band.style.top=(r.top-b.top)+"px";band.style.height=r.height+"px"});
window.addEventListener("mouseup",(e)=>{if(!drag)return;band.hidden=true;const a=timeAt(drag.svg,drag.cx),z=timeAt(drag.svg,e.clientX);drag=null;
if(Math.abs(z-a)<(to-from)/200)return;from=Math.min(a,z);to=Math.max(a,z);load()});
figs.addEventListener("mousemove",(e)=>{const svg=svgOf();if(!svg||!pts||drag)return;const t=timeAt(svg,e.clientX),c=pts.columns,ts=c.ts;
if(!ts.length||t<from||t>to){tip.hidden=true;return}let lo=0,hi=ts.length-1;while(lo<hi){const m=(lo+hi)>>1;if(ts[m]<t)lo=m+1;else hi=m}
const f=(v,d)=>v==null?"n/a":v.toLocaleString("en-US",{maximumFractionDigits:d});
const iso=new Date(ts[lo]).toISOString();
tip.textContent=(iso.endsWith("T00:00:00.000Z")?iso.slice(0,10):iso.slice(0,16).replace("T"," "))+" UTC · equity "+f(c.equity[lo],2)+
" · drawdown "+(c.drawdown[lo]==null?"n/a":(c.drawdown[lo]*100).toFixed(2)+"%")+(c.benchmark?" · buy and hold "+f(c.benchmark[lo],2):"");tip.hidden=false});
figs.addEventListener("mouseleave",()=>{tip.hidden=true});
points()});
`;

const RUN_PAGE_CSS = `${SECTION_CSS}
.zoomable{position:relative}.zoomable.loading .zoom-figures{opacity:.5}
.zoom-controls{display:flex;gap:.4rem;align-items:center;flex-wrap:wrap;margin:.4rem 0}
.zoom-controls button{padding:.15rem .6rem;font-size:.85rem}
.zoom-tip[hidden],.zoom-band[hidden]{display:none}
.zoom-tip{position:sticky;bottom:0;background:#212529;color:#fff;font-size:.8rem;padding:.2rem .6rem;border-radius:4px;display:inline-block}
.zoom-band{position:absolute;background:rgba(11,98,196,.15);border:1px solid rgba(11,98,196,.5);pointer-events:none}
.zoom-figures svg{cursor:crosshair}
table.stats th{font-weight:500;color:var(--muted)}
`;

/** Denials listed on a run's page; the rest are in the run's JSON (detail.risk.denied). */
const DENIALS_SHOWN = 100;

/** A run with risk limits: the denied count and the denials (detail.risk, as the backtest CLI and form record it). */
function riskSection(r: RunRecord): Html | "" {
  const risk = (r.detail as { risk?: unknown }).risk as
    | { config_hash?: unknown; denied_count?: unknown; denied?: unknown }
    | undefined;
  if (risk === undefined || risk === null || typeof risk !== "object") return "";
  type Denial = {
    bar: number;
    ts: number;
    side: string;
    reduceOnly: boolean;
    code: string;
    level: string;
    detail: string;
  };
  const denied = (Array.isArray(risk.denied) ? risk.denied : []) as Denial[];
  const count = typeof risk.denied_count === "number" ? risk.denied_count : denied.length;
  const hash = typeof risk.config_hash === "string" ? risk.config_hash : "";
  const rows = denied.slice(0, DENIALS_SHOWN).map((d) =>
    html`
      <tr>
        <td>${String(d.bar)}</td>
        <td>${Number.isFinite(d.ts) ? new Date(d.ts).toISOString() : ""}</td>
        <td>${String(d.side)}${d.reduceOnly ? " (exit)" : ""}</td>
        <td><code>${String(d.code)}</code></td>
        <td>${String(d.level)}</td>
        <td>${String(d.detail)}</td>
      </tr>
    `
  );
  return html`
    <h2 id="risk">Risk limits</h2>
    <p id="risk-denied"><strong>${String(count)}</strong> order${count === 1 ? "" : "s"} denied by the risk limits${hash
      ? html`
        (config <code title="${hash}">${hash.slice(0, 12)}</code>)
      `
      : ""}.${count > DENIALS_SHOWN
      ? html`
        The first ${String(DENIALS_SHOWN)} are listed; all are in
          <a href="/api/runs/${r.id}">the run's JSON</a> (detail.risk.denied).
      `
      : ""}</p>
    ${rows.length > 0
      ? html`
        <table class="denied">
          <thead>
            <tr>
              <th>bar</th>
              <th>time</th>
              <th>side</th>
              <th>rule</th>
              <th>level</th>
              <th>detail</th>
            </tr>
          </thead>
          <tbody>${rows}</tbody>
        </table>
      `
      : ""}
  `;
}

/** Renders one run's page. Exported for the bench. */
export async function renderRunPage(lab: Lab, view: RunView, q: z.output<typeof TradesQuerySchema>): Promise<string> {
  const r = view.record;
  const series = r.series.join(", ");
  const log = q.log === "1";
  const report = await memo(
    view,
    `report:${log}`,
    async (): Promise<RunReport> =>
      renderRunReport(await runReportView(lab, view), { mode: "interactive", runId: r.id, log }),
  );
  const section = (s: RunReport["sections"][number]): Html => {
    if (s.id === "trades") {
      return html`<h2 id="trades">Trades</h2>${tradesTable(r.id, view.trades, q)}`;
    }
    return html`${s.title ? html`<h2 id="section-${s.id}">${s.title}</h2>` : ""}${raw(s.html)}`;
  };
  const sweep = r.kind === "sweep" ? html`<h2>Sweep</h2>${await memo(view, "sweep", () => sweepSection(lab, r))}` : "";
  const parts: Html[] = [];
  for (const s of report.sections) {
    parts.push(section(s));
    if (s.id === "stats") parts.push(html`${sweep}${riskSection(r)}`);
  }
  // Downloads go just before the manifest (the last section).
  const manifestAt = parts.length - 1;
  const downloads = html`
    <h2>Downloads</h2>
    <p><a href="/api/runs/${r.id}/stats.json">stats (JSON)</a> ·
    ${view.trades.length > 0
      ? html`
        <a href="/api/runs/${r.id}/trades.csv">trades (CSV)</a> ·
      `
      : ""}
    ${r.files.includes("equity.parquet")
      ? html`
        <a href="/api/runs/${r.id}/equity?format=parquet">equity (Parquet)</a> ·
        <a href="/api/runs/${r.id}/equity?format=arrow">equity (Arrow IPC)</a> ·
      `
      : ""}
    ${r.files.includes("report.html")
      ? html`
        <a href="/api/runs/${r.id}/report.html">report.html</a> ·
      `
      : ""}
    <a href="/api/runs/${r.id}">run (JSON)</a></p>
  `;
  parts.splice(manifestAt, 0, downloads);
  const body = html`
    <h1>${r.strategy} <span class="muted">on</span> ${series}</h1>
    <p class="lead">${r.kind} run <code>${r.id}</code> · ${r.source} · ${utcTime(Date.parse(r.created_at))}${r.label
      ? html`
        · ${r.label}
      `
      : ""}</p>
    <table class="kv">
      <tbody>
        <tr>
          <th>Parameters</th>
          <td>${humanParams(r.params)}</td>
        </tr>
        <tr>
          <th>Options</th>
          <td>${humanParams(r.options)}</td>
        </tr>
      </tbody>
    </table>
    <p><a class="button" href="/backtests/new?series=${seriesPath(r.series[0] ?? "")}&amp;strategy=${r
      .strategy}">New backtest like this</a>
    <a href="/runs/compare?a=${r.id}">Compare with another run…</a></p>
    ${parts}
  `;
  return layout({
    title: `${r.strategy} on ${series}`,
    head: html`
      <style>${raw(RUN_PAGE_CSS)}</style>
      <script>${raw(RUN_PAGE_JS)}</script>
    `,
  }, body);
}

function alignTo(ts: Float64Array, other: Frame): Float64Array {
  // Last value of `other` at or before each time of `ts` (NaN before it starts): a step overlay.
  const out = new Float64Array(ts.length);
  const ots = other.ts, oeq = other.col("equity");
  let j = -1;
  for (let i = 0; i < ts.length; i++) {
    while (j + 1 < ots.length && ots[j + 1]! <= ts[i]!) j++;
    out[i] = j >= 0 ? oeq[j]! : NaN;
  }
  return out;
}

/** Total return of a curve from its first to its last finite value. */
function curveReturn(values: Float64Array): number {
  let a = NaN, b = NaN;
  for (const v of values) {
    if (!Number.isFinite(v)) continue;
    if (Number.isNaN(a)) a = v;
    b = v;
  }
  return b / a - 1;
}

/** The two runs' equity (and A's buy and hold) over A's bars, in two run colours. */
export function compareFigureHtml(va: RunView, vb: RunView): Html {
  if (!va.equity || !vb.equity) return html`<p class="muted">One of the runs has no equity curve.</p>`;
  const ts = va.equity.ts;
  const a = va.equity.col("equity"), b = alignTo(ts, vb.equity);
  // Two run colours (the palette's first two); the benchmark grey is kept for buy and hold.
  const lines: SeriesLine[] = [
    { label: `A: ${va.record.strategy} ${humanParams(va.record.params)}`, values: a },
    { label: `B: ${vb.record.strategy} ${humanParams(vb.record.params)}`, values: b },
  ];
  const pct = (v: number) => fmtPct(v, 1);
  let subtitle = `A ${pct(curveReturn(a))} · B ${pct(curveReturn(vb.equity.col("equity")))}`;
  if (va.equity.has("benchmark")) {
    // Buy and hold of A's series, scaled to A's starting equity, as an optional third line.
    const bench = va.equity.col("benchmark");
    const k = a[0]! / bench[0]!;
    lines.push({
      label: `Buy and hold (${va.record.series[0] ?? "A"})`,
      values: Float64Array.from(bench, (v) => v * k),
      benchmark: true,
    });
    subtitle += ` · buy and hold ${pct(curveReturn(bench))}`;
  }
  subtitle += ` · ${utcTime(ts[0])} → ${utcTime(ts[ts.length - 1])}`;
  return raw(seriesFigure({ ts, lines, title: "Equity of A and B", subtitle, yLabel: "Equity" }).toHtml());
}

/** HTML pages under /runs. */
export function runsPages(lab: Lab): Hono {
  const app = new Hono();

  app.get("/", zv("query", ListQuerySchema), async (c) => {
    const q = c.req.valid("query");
    const runs = await listRuns(lab, q, 200);
    const all = q.strategy || q.series || q.kind || q.source ? await lab.runs.list({ limit: 1000 }) : runs;
    const strategies = [...new Set(all.map((r) => r.strategy))].sort();
    const seriesAll = [...new Set(all.flatMap((r) => r.series))].sort();
    const opt = (v: string, cur: string | undefined) => html`<option ${v === cur ? "selected" : ""}>${v}</option>`;
    const body = html`
      <h1>Runs</h1>
      <p
        class="lead">Every recorded run: from this lab, from <code>deno task backtest</code> and from scheduled jobs. Pick two to compare.</p>
      <form class="panel" method="get" action="/runs">
      <label>strategy<select name="strategy"><option value="">any</option>${strategies.map((s) =>
        opt(s, q.strategy)
      )}</select></label>
      <label>series<select name="series"><option value="">any</option>${seriesAll.map((s) =>
        opt(s, q.series)
      )}</select></label>
      <label>kind<select name="kind"><option value="">any</option>${["single", "sweep", "walk_forward"].map((s) =>
        opt(s, q.kind)
      )}</select></label>
      <label>source<select name="source"><option value="">any</option>${["web", "cli", "job"].map((s) =>
        opt(s, q.source)
      )}</select></label>
      <button type="submit" class="secondary">Filter</button></form>
      ${runs.length === 0 ? html`<p>No runs yet. <a href="/backtests/new">Run a backtest</a>.</p>` : html`
        <form method="get" action="/runs/compare">
        <table id="runs-table"><thead><tr><th>A</th><th>B</th><th data-sort="text">Created (UTC)</th><th data-sort="text">Kind</th><th data-sort="text">Source</th>
        <th data-sort="text">Strategy</th><th data-sort="text">Series</th><th>Params</th><th data-sort="num" class="num">Total return</th>
        <th data-sort="num" class="num">Sharpe</th><th data-sort="num" class="num">Max DD</th><th data-sort="num" class="num">Trades</th></tr></thead><tbody>
        ${runs.map((r, i) =>
          html`<tr><td><input type="radio" name="a" value="${r.id}" ${
            i === 1 ? "checked" : ""
          }></td><td><input type="radio" name="b" value="${r.id}" ${i === 0 ? "checked" : ""}></td>
<td><a href="/runs/${r.id}">${
            r.created_at.slice(0, 19).replace("T", " ")
          }</a></td><td>${r.kind}</td><td>${r.source}</td><td>${r.strategy}</td>
<td>${r.series.join(", ")}</td><td><code>${humanParams(r.params)}</code>${
            r.label
              ? html`
                <span class="muted">${r.label}</span>
              `
              : ""
          }</td>
${statCell(r.stats, "total_return")}${statCell(r.stats, "sharpe")}${statCell(r.stats, "max_drawdown")}${
            statCell(r.stats, "trades")
          }</tr>`
        )}</tbody></table><button type="submit">Compare A and B</button></form>
      `}
    `;
    return c.html(layout({ title: "Runs" }, body));
  });

  app.get("/compare", zv("query", z.strictObject({ a: RUN_ID.optional(), b: RUN_ID.optional() })), async (c) => {
    const { a, b } = c.req.valid("query");
    if (!a || !b) {
      const runs = await lab.runs.list({ limit: 200 });
      const opts = (cur?: string) =>
        runs.map((r) =>
          html`<option value="${r.id}" ${r.id === cur ? "selected" : ""}>${r.created_at.slice(0, 16)} ${r.strategy} ${
            r.series.join(",")
          } ${humanParams(r.params)}</option>`
        );
      return c.html(layout(
        { title: "Compare runs" },
        html`
          <h1>Compare two runs</h1>
          <form class="panel" method="get" action="/runs/compare">
          <label>run A<select name="a">${opts(a)}</select></label><label>run B<select name="b">${opts(
            b,
          )}</select></label>
          <button type="submit">Compare</button></form>
        `,
      ));
    }
    const [va, vb] = await Promise.all([lab.runView(a), lab.runView(b)]);
    const rows = await lab.runs.compare(a, b);
    const head = (v: RunView, tag: string) =>
      html`
        <tr>
          <th>${tag}</th>
          <td><a href="/runs/${v.record.id}">${v.record.strategy}</a> on ${v.record.series.join(", ")}</td>
          <td>${humanParams(v.record.params)}</td>
          <td>${utcTime(Date.parse(v.record.created_at))}</td>
        </tr>
      `;
    // Differences of fractions (returns, drawdowns, win rates) are percentage points.
    const diffText = (key: string, diff: number): string =>
      !Number.isFinite(diff) ? "—" : STATS_BY_KEY.get(key)?.unit === "fraction" ? ppText(diff) : formatStat(key, diff);
    const body = html`
      <h1>Run A vs run B</h1>
      <table class="kv">
        <tbody>${head(va, "A")}${head(vb, "B")}</tbody>
      </table>
      ${compareFigureHtml(va, vb)}
      <h2>Statistics</h2>
      <table id="compare-table">
        <thead>
          <tr>
            <th data-sort="text">Stat</th>
            <th class="num">A</th>
            <th class="num">B</th>
            <th data-sort="num" class="num">B − A</th>
            <th>Better</th>
          </tr>
        </thead>
        <tbody>
      ${rows.map((row) =>
        html`
          <tr>
            <td>${row.title}</td>
            <td class="num">${row.aText}</td>
            <td class="num">${row.bText}</td>
            <td class="num" data-v="${Number.isFinite(row.diff) ? row.diff : ""}">${diffText(row.key, row.diff)}</td>
            <td>${row.better === "a" ? "A" : row.better === "b" ? "B" : row.better === "same" ? "=" : ""}</td>
          </tr>
        `
      )}</tbody>
      </table>
      <p class="muted">pp: percentage points (B's value minus A's, both in percent).</p>
    `;
    return c.html(layout({ title: "Compare runs" }, body));
  });

  app.get("/:id/figures/equity", zv("query", RangeQuerySchema), async (c) => {
    const id = runIdParam(c.req.param("id"));
    const q = c.req.valid("query");
    const view = await lab.runView(id);
    const eq = reportEquity(view.equity, q.from, q.to);
    if (eq === undefined || eq.ts.length === 0) return c.html(`<p class="note">No equity in this range.</p>`);
    return c.html(equityFiguresHtml(eq, { log: q.log === "1", label: view.record.strategy }));
  });

  app.get("/:id", zv("query", TradesQuerySchema), async (c) => {
    const id = runIdParam(c.req.param("id"));
    const view = await lab.runView(id);
    return c.html(await renderRunPage(lab, view, c.req.valid("query")));
  });

  return app;
}
