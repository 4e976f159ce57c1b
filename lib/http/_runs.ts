// /runs (list, filter, compare, one run) and /api/runs (JSON, Arrow, downloads).
import { Hono } from "hono";
import { tableFromArrays, tableToIPC } from "apache-arrow";
import { z } from "zod";
import type { Frame } from "../frame/mod.ts";
import { formatStat, monthlyReturns, statsTable } from "../metrics/mod.ts";
import {
  drawdownFigure,
  equityFigure,
  monthlyHeatmapFigure,
  priceFigure,
  sweepHeatmapFigure,
  walkForwardFigure,
  type WalkForwardFold,
} from "../plots/mod.ts";
import { columnsToCsv, type RunRecord, tradeColumns } from "../runs/mod.ts";
import { parseSeries, type Trade } from "../types/mod.ts";
import { ARROW_STREAM } from "./_datasets.ts";
import { HttpError } from "./_errors.ts";
import { fmtNum, fmtPct, fmtPrice, fmtTs, type Html, html, layout, raw, seriesPath, signClass } from "./_html.ts";
import type { Lab, RunView } from "./_lab.ts";
import { zv } from "./_validate.ts";

const RUN_ID = z.string().max(80).regex(/^[A-Za-z0-9_-]+$/, "a run id is letters, digits, _ and - (see /runs)");

const ListQuerySchema = z.strictObject({
  strategy: z.string().max(64).optional(),
  series: z.string().max(160).optional(),
  kind: z.enum(["single", "sweep", "walk_forward", ""]).optional(),
  source: z.enum(["cli", "web", "job", ""]).optional(),
  limit: z.coerce.number().int().min(1).max(1000).optional(),
});

const TRADE_SORT = ["entry", "exit", "direction", "pnl", "return", "bars", "reason"] as const;
const TradesQuerySchema = z.strictObject({
  page: z.coerce.number().int().min(1).max(1_000_000).optional(),
  sort: z.enum(TRADE_SORT).optional(),
  dir: z.enum(["asc", "desc"]).optional(),
});

const PAGE = 50;

function runIdParam(id: string | undefined): string {
  const r = RUN_ID.safeParse(id ?? "");
  if (!r.success) {
    throw new HttpError(400, "invalid run id", r.error.issues.map((i) => ({ path: ["id"], message: i.message })));
  }
  return r.data;
}

function paramsText(p: Record<string, unknown>): string {
  return Object.entries(p).map(([k, v]) => `${k}=${typeof v === "object" ? JSON.stringify(v) : String(v)}`).join(" ");
}

function statCell(stats: Record<string, number>, key: string): Html {
  const v = stats[key];
  if (v === undefined) return html`<td class="num" data-v="">—</td>`;
  const cls = key === "total_return" || key === "sharpe" ? signClass(v) : "";
  return html`<td class="num ${cls}" data-v="${Number.isFinite(v) ? v : ""}">${formatStat(key, v)}</td>`;
}

function runSummaryJson(r: RunRecord): Record<string, unknown> {
  return {
    id: r.id,
    kind: r.kind,
    created_at: r.created_at,
    source: r.source,
    label: r.label,
    series: r.series,
    strategy: r.strategy,
    params: r.params,
    stats: r.stats,
    url: `/runs/${r.id}`,
  };
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
        <tr><th class="num">#</th>${head("entry", "Entry")}${head("exit", "Exit")}${head("direction", "Side")}
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
          <td>${fmtTs(t.entryTs)}</td>
          <td>${fmtTs(t.exitTs)}</td>
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

async function priceWithTrades(lab: Lab, record: RunRecord, trades: Trade[]): Promise<Html> {
  const data = (record.manifest as { data?: { series?: string | null; first?: number | null; last?: number | null }[] })
    .data?.[0];
  const text = data?.series ?? record.series[0];
  if (!text) return html``;
  let frame: Frame;
  try {
    const id = parseSeries(text);
    if ((await lab.store.info(id)) === undefined) {
      return html`<p class="muted">The price of ${text} is not in the store.</p>`;
    }
    const range = {
      ...(typeof data?.first === "number" ? { from: data.first } : {}),
      ...(typeof data?.last === "number" ? { to: data.last + 1 } : {}),
    };
    frame = await lab.store.read(id, range);
  } catch {
    return html`<p class="muted">The price of ${text} is not in the store.</p>`;
  }
  if (frame.length === 0) return html``;
  const fig = priceFigure({
    ts: frame.ts,
    close: frame.close,
    trades: trades.length <= 2000 ? trades : trades.slice(-2000),
    style: "line",
    title: `${text} with trades`,
    height: 300,
  });
  return raw(fig.toHtml());
}

function monthlyFigure(equity: Frame): Html {
  const m = monthlyReturns(equity.ts, equity.col("equity"));
  const rows = [];
  for (let y = 0; y < m.years.length; y++) {
    for (let mo = 0; mo < 12; mo++) {
      const v = m.months[y]![mo]!;
      if (!Number.isNaN(v)) rows.push({ year: m.years[y]!, month: mo + 1, value: v });
    }
  }
  if (rows.length === 0) return html`<p class="muted">Less than a month of data.</p>`;
  return raw(monthlyHeatmapFigure({ rows, title: "Monthly returns" }).toHtml());
}

function equityFigures(view: RunView): Html {
  const eq = view.equity;
  if (eq === undefined) return html`<p class="muted">This run recorded no equity curve.</p>`;
  const bench = eq.has("benchmark") ? eq.col("benchmark") : undefined;
  const title = `${view.record.strategy} ${paramsText(view.record.params)}`;
  const e = equityFigure({
    ts: eq.ts,
    equity: eq.col("equity"),
    ...(bench ? { benchmark: bench, benchmarkLabel: "Buy and hold" } : {}),
    title,
    height: 300,
  });
  const dd = drawdownFigure({ ts: eq.ts, drawdown: eq.col("drawdown"), height: 160 });
  return html`${raw(e.toHtml())}${raw(dd.toHtml())}`;
}

async function sweepSection(lab: Lab, record: RunRecord): Promise<Html> {
  if (!record.files.includes("sweep.parquet")) return html``;
  const cols = await lab.runs.sweep(record.id);
  return sweepResultHtml(cols, Object.keys(record.params), "sharpe");
}

/** The heatmap (two numeric params) and the top combos of a sweep table. */
export function sweepResultHtml(
  cols: Record<string, ArrayLike<unknown>>,
  paramNames: string[],
  metric: string,
  top = 20,
): Html {
  const numeric = Object.entries(cols).filter(([, v]) => v instanceof Float64Array) as [string, Float64Array][];
  const n = numeric[0]?.[1].length ?? 0;
  const params = paramNames.filter((p) => cols[p] instanceof Float64Array);
  const m = cols[metric] instanceof Float64Array
    ? metric
    : cols.final_equity instanceof Float64Array
    ? "final_equity"
    : undefined;
  if (n === 0 || m === undefined) return html`<p class="muted">The sweep table is empty.</p>`;
  const metricCol = cols[m] as Float64Array;
  const order = Array.from({ length: n }, (_, i) => i)
    .filter((i) => !Number.isNaN(metricCol[i]!))
    .sort((a, b) => metricCol[b]! - metricCol[a]!);
  let heat: Html = html``;
  if (params.length >= 2) {
    const [x, y] = params as [string, string];
    const rows: Record<string, number>[] = [];
    for (let i = 0; i < n; i++) {
      const v = metricCol[i]!;
      if (Number.isFinite(v)) {
        rows.push({ [x]: (cols[x] as Float64Array)[i]!, [y]: (cols[y] as Float64Array)[i]!, [m]: v });
      }
    }
    if (rows.length > 0) {
      heat = raw(sweepHeatmapFigure({ rows, x, y, metric: m, title: `${m} by ${x} and ${y}` }).toHtml());
    }
  }
  const statKeys = ["final_equity", "total_return", "sharpe", "max_drawdown", "trades"].filter((k) =>
    cols[k] instanceof Float64Array
  );
  const table = html`
    <table id="top-combos">
      <thead>
        <tr><th class="num">Rank</th>${params.map((p) => html`<th class="num">${p}</th>`)}${statKeys.map((k) =>
          html`<th class="num">${k}</th>`
        )}</tr>
      </thead>
      <tbody>${order.slice(0, top).map((i, r) =>
        html`<tr><td class="num">${r + 1}</td>${
          params.map((p) => html`<td class="num">${fmtNum((cols[p] as Float64Array)[i]!, 6)}</td>`)
        }${statKeys.map((k) => html`<td class="num">${formatStat(k, (cols[k] as Float64Array)[i]!)}</td>`)}</tr>`
      )}</tbody>
    </table>
  `;
  return html`<div id="sweep-result">${heat}<h3>Top ${
    Math.min(top, order.length)
  } of ${n} combinations by ${m}</h3>${table}</div>`;
}

function walkForwardSection(record: RunRecord): Html {
  // Folds as lib/backtest's walkForward returns them (WalkForwardFoldResult), recorded in `detail`.
  const folds = (record.detail as { folds?: unknown }).folds;
  const metric = String((record.detail as { metric?: unknown }).metric ?? "sharpe");
  if (!Array.isArray(folds) || folds.length === 0) return html``;
  const fs = folds as (WalkForwardFold & { params?: Record<string, unknown>; trials?: number })[];
  let fig: Html = html``;
  try {
    fig = raw(walkForwardFigure({ folds: fs, metric }).toHtml());
  } catch {
    // A run recorded by another tool may lack the figure's fields; the table below still shows.
  }
  return html`
    <h2>Walk-forward folds</h2>${fig}<table id="folds">
      <thead>
        <tr>
          <th class="num">Fold</th>
          <th>Train</th>
          <th>Test</th>
          <th>Best params in-sample</th>
          <th class="num">${metric} in</th>
          <th class="num">${metric} out</th>
        </tr>
      </thead>
      <tbody>${fs.map((f) =>
        html`
          <tr>
            <td class="num">${f.fold}</td>
            <td>${fmtTs(f.trainStart)} – ${fmtTs(f.trainEnd)}</td>
            <td>${fmtTs(f.testStart)} – ${fmtTs(f.testEnd)}</td>
            <td><code>${paramsText(f.params ?? {})}</code></td>
            <td class="num">${formatStat(metric, f.inSample)}</td>
            <td class="num">${formatStat(metric, f.outOfSample)}</td>
          </tr>
        `
      )}</tbody>
    </table>
  `;
}

/** The registry stats in two side-by-side tables (registry order, formatted by lib/metrics). */
function statsTables(stats: Record<string, number>): Html {
  const rows = statsTable(stats).rows;
  const half = Math.ceil(rows.length / 2);
  const table = (part: typeof rows) =>
    html`
      <table class="stats">
        <tbody>${part.map((row) =>
          html`
            <tr>
              <th title="${row.key}">${row.title}</th>
              <td>${row.text}</td>
            </tr>
          `
        )}</tbody>
      </table>
    `;
  return html`<div class="grid2" id="stats">${table(rows.slice(0, half))}${table(rows.slice(half))}</div>`;
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

/** Renders one run's page. Exported for the bench. */
export async function renderRunPage(lab: Lab, view: RunView, q: z.output<typeof TradesQuerySchema>): Promise<string> {
  const r = view.record;
  const series = r.series.join(", ");
  const body = html`
    <h1>${r.strategy} <span class="muted">on</span> ${series}</h1>
    <p class="lead">${r.kind} run <code>${r.id}</code> · ${r.source} · ${new Date(r.created_at).toISOString().slice(
      0,
      19,
    ).replace("T", " ")} UTC${r.label
      ? html`
        · ${r.label}
      `
      : ""}</p>
    <table class="kv">
      <tbody>
        <tr>
          <th>Parameters</th>
          <td><code>${paramsText(r.params)}</code></td>
        </tr>
        <tr>
          <th>Options</th>
          <td><code>${paramsText(r.options)}</code></td>
        </tr>
      </tbody>
    </table>
    <p><a class="button" href="/backtests/new?series=${seriesPath(r.series[0] ?? "")}&amp;strategy=${r
      .strategy}">New backtest like this</a>
    <a href="/runs/compare?a=${r.id}">Compare with another run…</a></p>
    <h2>Equity and drawdown</h2>${await memo(view, "equity", () => equityFigures(view))}
    <h2>Statistics</h2>${statsTables(r.stats)}
    ${r.kind === "single"
      ? html`<h2>Price and trades</h2>${await memo(view, "price", () => priceWithTrades(lab, r, view.trades))}`
      : ""}
    ${view.equity && view.equity.length > 1
      ? html`<h2>Monthly returns</h2>${await memo(view, "monthly", () => monthlyFigure(view.equity!))}`
      : ""}
    ${r.kind === "sweep" ? html`<h2>Sweep</h2>${await memo(view, "sweep", () => sweepSection(lab, r))}` : ""}
    ${r.kind === "walk_forward" ? walkForwardSection(r) : ""}
    ${view.trades.length > 0 ? html`<h2 id="trades">Trades</h2>${tradesTable(r.id, view.trades, q)}` : ""}
    <h2>Downloads</h2>
    <p><a href="/api/runs/${r.id}/stats.json">stats (JSON)</a> ·
    ${view.trades.length > 0
      ? html`
        <a href="/api/runs/${r.id}/trades.csv">trades (CSV)</a> ·
      `
      : ""}
    ${r.files.includes("equity.parquet")
      ? html`
        <a href="/api/runs/${r.id}/equity.parquet">equity (Parquet)</a> ·
      `
      : ""}
    <a href="/api/runs/${r.id}">run (JSON)</a></p>
    <h2>Manifest</h2><p class="muted">Everything that determines this result; the same manifest gives the same result.</p>
    <details>
      <summary>manifest <code>${r.manifest_id.slice(0, 16)}…</code></summary>
      <pre class="mono">${JSON.stringify(r.manifest, null, 1)}</pre>
    </details>
  `;
  return layout({ title: `${r.strategy} on ${series}` }, body);
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

/** The runs matching the list filters (only the ones given), newest first. */
function listRuns(lab: Lab, q: z.infer<typeof ListQuerySchema>, defaultLimit: number): Promise<RunRecord[]> {
  return lab.runs.list({
    ...(q.strategy ? { strategy: q.strategy } : {}),
    ...(q.series ? { series: q.series } : {}),
    ...(q.kind ? { kind: q.kind } : {}),
    ...(q.source ? { source: q.source } : {}),
    limit: q.limit ?? defaultLimit,
  });
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
        <table id="runs-table"><thead><tr><th>A</th><th>B</th><th data-sort="text">Created</th><th data-sort="text">Kind</th><th data-sort="text">Source</th>
        <th data-sort="text">Strategy</th><th data-sort="text">Series</th><th>Params</th><th data-sort="num" class="num">Total return</th>
        <th data-sort="num" class="num">Sharpe</th><th data-sort="num" class="num">Max DD</th><th data-sort="num" class="num">Trades</th></tr></thead><tbody>
        ${runs.map((r, i) =>
          html`<tr><td><input type="radio" name="a" value="${r.id}" ${
            i === 1 ? "checked" : ""
          }></td><td><input type="radio" name="b" value="${r.id}" ${i === 0 ? "checked" : ""}></td>
<td><a href="/runs/${r.id}">${
            r.created_at.slice(0, 19).replace("T", " ")
          }</a></td><td>${r.kind}</td><td>${r.source}</td><td>${r.strategy}</td>
<td>${r.series.join(", ")}</td><td><code>${paramsText(r.params)}</code>${
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
          } ${paramsText(r.params)}</option>`
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
    let fig: Html = html`<p class="muted">One of the runs has no equity curve.</p>`;
    if (va.equity && vb.equity) {
      fig = raw(
        equityFigure({
          ts: va.equity.ts,
          equity: va.equity.col("equity"),
          benchmark: alignTo(va.equity.ts, vb.equity),
          rebaseBenchmark: false,
          label: `A: ${va.record.strategy} ${paramsText(va.record.params)}`,
          benchmarkLabel: `B: ${vb.record.strategy} ${paramsText(vb.record.params)}`,
          title: "Equity of A and B",
        }).toHtml(),
      );
    }
    const head = (v: RunView, tag: string) =>
      html`
        <tr>
          <th>${tag}</th>
          <td><a href="/runs/${v.record.id}">${v.record.strategy}</a> on ${v.record.series.join(", ")}</td>
          <td><code>${paramsText(v.record.params)}</code></td>
          <td>${v.record.created_at.slice(0, 19)}</td>
        </tr>
      `;
    const body = html`
      <h1>Run A vs run B</h1>
      <table class="kv">
        <tbody>${head(va, "A")}${head(vb, "B")}</tbody>
      </table>
      ${fig}
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
            <td class="num" data-v="${Number.isFinite(row.diff) ? row.diff : ""}">${Number.isFinite(row.diff)
              ? formatStat(row.key, row.diff)
              : "—"}</td>
            <td>${row.better === "a" ? "A" : row.better === "b" ? "B" : row.better === "same" ? "=" : ""}</td>
          </tr>
        `
      )}</tbody>
      </table>
    `;
    return c.html(layout({ title: "Compare runs" }, body));
  });

  app.get("/:id", zv("query", TradesQuerySchema), async (c) => {
    const id = runIdParam(c.req.param("id"));
    const view = await lab.runView(id);
    return c.html(await renderRunPage(lab, view, c.req.valid("query")));
  });

  return app;
}

/** JSON/Arrow/downloads under /api/runs. */
export function runsApi(lab: Lab): Hono {
  const app = new Hono();

  app.get("/", zv("query", ListQuerySchema), async (c) => {
    const q = c.req.valid("query");
    const runs = await listRuns(lab, q, 100);
    return c.json({ runs: runs.map(runSummaryJson) });
  });

  app.get("/compare", zv("query", z.strictObject({ a: RUN_ID, b: RUN_ID })), async (c) => {
    const { a, b } = c.req.valid("query");
    await Promise.all([lab.runView(a), lab.runView(b)]);
    return c.json({ a, b, rows: await lab.runs.compare(a, b) });
  });

  app.get("/:id", async (c) => {
    const view = await lab.runView(runIdParam(c.req.param("id")));
    return c.json({ ...view.record, url: `/runs/${view.record.id}` });
  });

  app.get("/:id/stats.json", async (c) => {
    const view = await lab.runView(runIdParam(c.req.param("id")));
    c.header("Content-Disposition", `attachment; filename="${view.record.id}-stats.json"`);
    return c.json(view.record.stats);
  });

  app.get("/:id/trades.csv", async (c) => {
    const view = await lab.runView(runIdParam(c.req.param("id")));
    return c.body(columnsToCsv(tradeColumns(view.trades)), 200, {
      "Content-Type": "text/csv; charset=utf-8",
      "Content-Disposition": `attachment; filename="${view.record.id}-trades.csv"`,
    });
  });

  app.get("/:id/equity.parquet", async (c) => {
    const id = runIdParam(c.req.param("id"));
    const view = await lab.runView(id);
    if (!view.record.files.includes("equity.parquet")) throw new HttpError(404, `run ${id} has no equity curve`);
    // The recorded file as it is: nothing to convert.
    const bytes = await Deno.readFile(lab.runs.path(id, "equity.parquet"));
    return c.body(bytes, 200, {
      "Content-Type": "application/vnd.apache.parquet",
      "Content-Disposition": `attachment; filename="${id}-equity.parquet"`,
    });
  });

  app.get("/:id/equity", async (c) => {
    const id = runIdParam(c.req.param("id"));
    const view = await lab.runView(id);
    if (view.equity === undefined) throw new HttpError(404, `run ${id} has no equity curve`);
    const eq = view.equity;
    if ((c.req.header("accept") ?? "").includes(ARROW_STREAM)) {
      const ts64 = BigInt64Array.from(eq.ts, (t) => BigInt(t));
      const table = tableFromArrays({ ts: ts64, ...eq.columns });
      return c.body(tableToIPC(table, "stream") as Uint8Array<ArrayBuffer>, 200, { "Content-Type": ARROW_STREAM });
    }
    const cols: Record<string, (number | null)[]> = { ts: Array.from(eq.ts) };
    for (const [k, v] of Object.entries(eq.columns)) cols[k] = Array.from(v, (x) => (Number.isFinite(x) ? x : null));
    return c.json({ run_id: id, columns: cols });
  });

  app.get("/:id/trades", async (c) => {
    const view = await lab.runView(runIdParam(c.req.param("id")));
    return c.json({ run_id: view.record.id, trades: view.trades });
  });

  return app;
}

export { TradesQuerySchema };
