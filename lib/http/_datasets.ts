// /datasets pages and /api/datasets: the stored series, their quality, and downloads.
import { Hono } from "hono";
import { tableToIPC } from "apache-arrow";
import { basename, isAbsolute, relative, sep } from "node:path";
import { fileURLToPath } from "node:url";
import { z } from "zod";
import { priceFigure, qualityTimelineFigure } from "../plots/mod.ts";
import type { QualityReport } from "../data/mod.ts";
import { type SeriesId, timeframeMs } from "../types/mod.ts";
import type { SeriesInfo } from "../store/mod.ts";
import { HttpError } from "./_errors.ts";
import { fmtNum, fmtTs, type Html, html, layout, raw, seriesPath } from "./_html.ts";
import type { Lab } from "./_lab.ts";
import { seriesParam, seriesText, TimeQuerySchema } from "./_series.ts";
import { zv } from "./_validate.ts";

/** Media type of an Arrow IPC stream. */
export const ARROW_STREAM = "application/vnd.apache.arrow.stream";

const BarsQuerySchema = z.strictObject({
  format: z.enum(["csv", "parquet", "arrow", "json"]).optional(),
  from: TimeQuerySchema.optional(),
  to: TimeQuerySchema.optional(),
});

/** Looks a series up, 404 when it is not stored. */
export async function requireSeries(lab: Lab, text: string | undefined): Promise<{ id: SeriesId; info: SeriesInfo }> {
  const id = seriesParam(text);
  const info = await lab.store.info(id);
  if (info === undefined) {
    throw new HttpError(404, `no stored series ${seriesText(id)}; see /datasets for the stored ones`);
  }
  return { id, info };
}

/** A JSON summary of a quality report (the full one is at /api/datasets/:id/quality). */
export function qualitySummary(q: QualityReport): Record<string, unknown> {
  return {
    ok: q.ok,
    expected: q.expected,
    present: q.present,
    missing: q.missing,
    gaps: q.gapCount,
    holidays: q.holidayCount,
    holiday_missing: q.holidayMissing,
    duplicates: q.duplicates,
    ohlc_issues: q.ohlc.highBelowLow + q.ohlc.highBelowOpenClose + q.ohlc.lowAboveOpenClose,
    zero_volume: q.zeroVolume,
    non_finite: q.nonFinite,
    warnings: q.warnings,
  };
}

const PROJECT_ROOT = fileURLToPath(new URL("../../", import.meta.url));

/**
 * A series' source as the lab shows it: a file path relative to the project (`data/samples/x.csv`),
 * or just its file name when it lies elsewhere, so answers never reveal the server's directory
 * layout; other sources (`ccxt:binance`) unchanged.
 */
export function sourceLabel(source: string): string {
  if (!isAbsolute(source)) return source;
  const rel = relative(PROJECT_ROOT, source);
  return rel !== "" && !rel.startsWith("..") && !isAbsolute(rel) ? rel.split(sep).join("/") : basename(source);
}

function infoJson(info: SeriesInfo): Record<string, unknown> {
  return {
    id: seriesText(info),
    exchange: info.exchange,
    symbol: info.symbol,
    timeframe: info.timeframe,
    calendar: info.calendar,
    first: info.first,
    last: info.last,
    bars: info.bars,
    source: sourceLabel(info.source),
    updated: info.updated,
  };
}

function coverage(q: QualityReport): string {
  return q.expected > 0 ? `${((100 * q.present) / Math.max(q.expected, q.present)).toFixed(2)}%` : "—";
}

function gapTable(gaps: QualityReport["gaps"], empty: string): Html {
  if (gaps.length === 0) return html`<p class="muted">${empty}</p>`;
  return html`
    <table class="gaps">
      <thead>
        <tr>
          <th>From</th>
          <th>To (next bar)</th>
          <th class="num">Missing bars</th>
          <th>Kind</th>
        </tr>
      </thead>
      <tbody>
    ${gaps.map((g) =>
      html`
        <tr>
          <td>${fmtTs(g.start)}</td>
          <td>${fmtTs(g.end)}</td>
          <td class="num">${g.missing}</td>
          <td>${g.kind}</td>
        </tr>
      `
    )}</tbody>
    </table>
  `;
}

/** The HTML pages under /datasets. */
export function datasetsPages(lab: Lab): Hono {
  const app = new Hono();

  app.get("/", async (c) => {
    const list = await lab.store.list();
    const rows: Html[] = [];
    for (const info of list) {
      const q = await lab.quality(info);
      const text = seriesText(info);
      rows.push(html`
        <tr>
          <td><a href="/datasets/${seriesPath(text)}">${text}</a></td>
          <td>${info.calendar}</td>
          <td data-v="${info.first}">${fmtTs(info.first)}</td>
          <td data-v="${info.last}">${fmtTs(info.last)}</td>
          <td class="num" data-v="${info.bars}">${fmtNum(info.bars, 0)}</td>
          <td class="num" data-v="${q.gapCount}">${q.gapCount}</td>
          <td class="num" data-v="${q.holidayCount}">${q.holidayCount}</td>
          <td class="num" data-v="${q.missing}">${fmtNum(q.missing, 0)}</td>
          <td class="num">${coverage(q)}</td>
          <td>${q.ok
            ? html`<span class="pos">clean</span>`
            : html`<span class="neg">${q.warnings.length} warning${q.warnings.length === 1 ? "" : "s"}</span>`}</td>
        </tr>
      `);
    }
    const body = html`
      <h1>Datasets</h1>
      <p
        class="lead">Every stored series with its range and a data-quality summary. A gap is a run of bars the series' trading calendar expects that are missing; a single missing trading day is a holiday, counted apart. Missing counts the bars in gaps. Nothing is filled in.</p>
      ${list.length === 0
        ? html`<p>The store is empty. Run <code>deno task data import-samples</code> or restart the lab to import the bundled samples.</p>`
        : html`
          <table>
            <thead>
              <tr>
                <th data-sort="text">Series</th>
                <th data-sort="text">Calendar</th>
                <th data-sort="num">First bar</th>
                <th data-sort="num">Last bar</th>
                <th data-sort="num" class="num">Bars</th>
                <th data-sort="num" class="num">Gaps</th>
                <th data-sort="num" class="num">Holidays</th>
                <th data-sort="num" class="num">Missing</th>
                <th class="num">Coverage</th>
                <th>Quality</th>
              </tr>
            </thead>
            <tbody>${rows}</tbody>
          </table>
        `}
    `;
    return c.html(layout({ title: "Datasets" }, body));
  });

  app.get("/:id", async (c) => {
    const { id, info } = await requireSeries(lab, c.req.param("id"));
    const frame = await lab.store.read(id);
    const q = await lab.quality(info);
    const text = seriesText(id);
    const price = priceFigure({
      ts: frame.ts,
      open: frame.open,
      high: frame.high,
      low: frame.low,
      close: frame.close,
      title: `${text} close`,
      height: 320,
    });
    const timeline = qualityTimelineFigure({
      ts: frame.ts,
      gaps: [...q.gaps, ...q.holidays],
      first: info.first,
      last: info.last,
      missing: q.missing,
      gapCount: q.gapCount,
      holidayCount: q.holidayCount,
      timeframeMs: /[My]$/.test(id.timeframe) ? undefined : timeframeMs(id.timeframe),
      height: 140,
    });
    const holidays = q.holidays;
    const enc = seriesPath(text);
    const body = html`
      <h1>${text}</h1>
      <p
        class="lead">${fmtNum(info.bars, 0)} bars from ${fmtTs(info.first)} to ${fmtTs(info.last)} · calendar ${info
          .calendar} · source <code>${sourceLabel(info.source) || "unknown"}</code></p>
      <p><a class="button" href="/backtests/new?series=${enc}">Backtest this series</a>
      <a class="button" href="/sweeps/new?series=${enc}">Sweep on it</a></p>
      <h2>Price</h2>${raw(price.toHtml())}
      <h2>Data quality</h2>
      ${q.warnings.map((w) => html`<p class="warn">${w}</p>`)}
      ${q.ok ? html`<p class="pos">No issue found: every bar the calendar expects is present and consistent.</p>` : ""}
      ${raw(timeline.toHtml())}
      <table class="kv">
        <tbody>
          <tr>
            <th>Expected bars</th>
            <td class="num">${fmtNum(q.expected, 0)}</td>
          </tr>
          <tr>
            <th>Present</th>
            <td class="num">${fmtNum(q.present, 0)}</td>
          </tr>
          <tr>
            <th>Missing (in ${q.gapCount} gaps)</th>
            <td class="num">${fmtNum(q.missing, 0)}</td>
          </tr>
          <tr>
            <th>Holidays (bars)</th>
            <td class="num">${q.holidayCount} (${fmtNum(q.holidayMissing, 0)})</td>
          </tr>
          <tr>
            <th>Duplicates / out of order</th>
            <td class="num">${q.duplicates} / ${q.outOfOrder}</td>
          </tr>
          <tr>
            <th>OHLC inconsistencies</th>
            <td class="num">${q.ohlc.highBelowOpenClose + q.ohlc.lowAboveOpenClose + q.ohlc.highBelowLow}</td>
          </tr>
          <tr>
            <th>Zero-volume bars</th>
            <td class="num">${q.zeroVolume}</td>
          </tr>
          <tr>
            <th>Non-finite values</th>
            <td class="num">${q.nonFinite}</td>
          </tr>
        </tbody>
      </table>
      <h3>Gaps${q.gapCount > Math.min(q.gaps.length, 200)
        ? html`
          (the first ${Math.min(q.gaps.length, 200)} of ${q.gapCount} listed)
        `
        : ""}</h3>
      ${gapTable(q.gaps.slice(0, 200), "No gap outside market holidays.")}
      ${holidays.length > 0
        ? html`<details><summary>${q.holidayCount} market holidays (one trading day missing each)</summary>${
          gapTable(holidays.slice(0, 500), "")
        }</details>`
        : ""}
      <h2>Downloads</h2>
      <p><a href="/api/datasets/${enc}/bars?format=csv">CSV</a> · <a href="/api/datasets/${enc}/bars?format=parquet">Parquet</a> ·
      <a href="/api/datasets/${enc}/bars?format=arrow">Arrow IPC</a> · <a href="/api/datasets/${enc}/quality">quality report (JSON)</a></p>
    `;
    return c.html(layout({ title: text }, body));
  });

  return app;
}

/** The JSON/Arrow API under /api/datasets. */
export function datasetsApi(lab: Lab): Hono {
  const app = new Hono();

  app.get("/", async (c) => {
    const list = await lab.store.list();
    const out = [];
    for (const info of list) out.push({ ...infoJson(info), quality: qualitySummary(await lab.quality(info)) });
    return c.json({ datasets: out });
  });

  app.get("/:id", async (c) => {
    const { info } = await requireSeries(lab, c.req.param("id"));
    return c.json({ ...infoJson(info), quality: qualitySummary(await lab.quality(info)) });
  });

  app.get("/:id/quality", async (c) => {
    const { info } = await requireSeries(lab, c.req.param("id"));
    return c.json(await lab.quality(info));
  });

  app.get("/:id/bars", zv("query", BarsQuerySchema), async (c) => {
    const { id } = await requireSeries(lab, c.req.param("id"));
    const q = c.req.valid("query");
    const range = { ...(q.from !== undefined ? { from: q.from } : {}), ...(q.to !== undefined ? { to: q.to } : {}) };
    const accept = c.req.header("accept") ?? "";
    const format = q.format ?? (accept.includes(ARROW_STREAM) ? "arrow" : "csv");
    const base = `${id.exchange}_${id.symbol}_${id.timeframe}`.replace(/[^A-Za-z0-9._-]+/g, "-");
    if (format === "arrow") {
      const table = await lab.store.readArrow(id, range);
      return c.body(tableToIPC(table, "stream") as Uint8Array<ArrayBuffer>, 200, {
        "Content-Type": ARROW_STREAM,
        "Content-Disposition": `attachment; filename="${base}.arrows"`,
      });
    }
    if (format === "json") {
      const f = await lab.store.read(id, range);
      return c.json({ series: seriesText(id), bars: f.toBars() });
    }
    // CSV and Parquet come from the store's own exporter (exact number printing, zstd Parquet).
    const dir = await Deno.makeTempDir({ prefix: "sentinel-export-" });
    try {
      const out = `${dir}/bars.${format}`;
      await lab.store.export(id, { format, out, range });
      const bytes = await Deno.readFile(out);
      return c.body(bytes, 200, {
        "Content-Type": format === "csv" ? "text/csv; charset=utf-8" : "application/vnd.apache.parquet",
        "Content-Disposition": `attachment; filename="${base}.${format}"`,
      });
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  });

  return app;
}
