import type { BacktestResult, PortfolioResult, SimResult } from "../backtest/mod.ts";
import type { Frame } from "../frame/mod.ts";
import { formatStat, monthlyReturns, returnsFromEquity, statsTable } from "../metrics/mod.ts";
import {
  drawdownFigure,
  equityFigure,
  monthlyHeatmapFigure,
  priceFigure,
  type PriceOverlay,
  returnsHistogramFigure,
} from "../plots/mod.ts";
import type { Trade } from "../types/mod.ts";
import { esc, figureOrNote, isoTime, page, prettyJson, table } from "./_html.ts";

/** Options of {@link backtestReport}. */
export interface BacktestReportOptions {
  /** Page title. Default: `<strategy> on <series>`. */
  title?: string;
  /** The bars the run used, for the price figure with the trades; without it that figure is left out. */
  frame?: Frame;
  /** Lines drawn over the price (the strategy's indicators, e.g. the two SMAs), aligned to `frame`. */
  overlays?: PriceOverlay[];
  /** Most trades listed in the table (all are in trades.csv). Default 500. */
  maxTrades?: number;
  /** Extra text lines shown under the title (where the data came from, the command line). */
  notes?: string[];
}

/**
 * A self-contained HTML report of one backtest: title and run facts, data quality warnings,
 * figures as inline SVG (equity with the buy-and-hold benchmark, drawdown, price with trades,
 * monthly returns heatmap, histogram of bar returns), the stats table from the metrics
 * registry, the trades table and the manifest. No scripts and no external resources, so the
 * file opens offline, attaches to mail, and the web lab can serve it as is.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { Frame } from "../frame/mod.ts";
 * import { runBacktest } from "../backtest/mod.ts";
 * import { backtestReport } from "./backtest_report.ts";
 * const close = Float64Array.from({ length: 60 }, (_, i) => 100 + 10 * Math.sin(i / 5));
 * const ts = Float64Array.from(close, (_, i) => Date.UTC(2024, 0, 1) + i * 86_400_000);
 * const frame = new Frame(ts, { open: close, high: close, low: close, close, volume: close });
 * const r = await runBacktest({ frame, strategy: "sma_cross", params: { fast: 2, slow: 5 }, options: { fill: "close" } });
 * const html = backtestReport(r, { frame });
 * assert.ok(html.startsWith("<!DOCTYPE html>"));
 * assert.equal((html.match(/<figure class="sentinel-figure"/g) ?? []).length, 5);
 * assert.ok(!html.includes("not drawn"));
 * assert.ok(!/<script|src="http/.test(html));
 * ```
 */
export function backtestReport(
  result: BacktestResult<SimResult | PortfolioResult>,
  options: BacktestReportOptions = {},
): string {
  const m = result.manifest;
  const series = m.data.map((d) => d.series ?? "(unnamed data)").join(", ");
  const title = options.title ?? `${m.strategy.name} on ${series}`;
  const maxTrades = options.maxTrades ?? 500;
  if (!Number.isSafeInteger(maxTrades) || maxTrades < 0) {
    throw new RangeError(`backtestReport: maxTrades must be a whole number >= 0, got ${maxTrades}`);
  }
  const eqTable = result.equityTable();
  const ts = Float64Array.from(eqTable.getChild("ts")!.toArray() as BigInt64Array, Number);
  const equity = eqTable.getChild("equity")!.toArray() as Float64Array;
  const drawdown = eqTable.getChild("drawdown")!.toArray() as Float64Array;
  const benchmark = result.benchmark;
  const parts: string[] = [];

  const first = m.data[0]?.first ?? null, last = m.data[0]?.last ?? null;
  parts.push(`<h1>${esc(title)}</h1>`);
  parts.push(
    `<p class="meta">Strategy <code>${esc(m.strategy.name)}</code> with <code>${esc(JSON.stringify(m.params))}</code>` +
      ` on <code>${esc(series)}</code>, ${esc(isoTime(first))} to ${esc(isoTime(last))}` +
      ` (${m.data[0]?.bars ?? 0} bars, ${esc(m.timeframe)}, ${esc(m.calendar)}). Final equity ` +
      `<b>${esc(formatStat("final_equity", result.stats.final_equity ?? NaN))}</b>, total return ` +
      `<b>${esc(formatStat("total_return", result.stats.total_return ?? NaN))}</b>, ` +
      `${result.trades.length} trades.</p>`,
  );
  for (const note of options.notes ?? []) parts.push(`<p class="meta">${esc(note)}</p>`);
  const warnings = m.data.flatMap((d) => d.quality?.warnings ?? []);
  if (warnings.length > 0) {
    parts.push(
      `<div class="warn"><b>Data quality</b><ul>${warnings.map((w) => `<li>${esc(w)}</li>`).join("")}</ul></div>`,
    );
  }

  parts.push(`<h2>Equity</h2>`);
  parts.push(figureOrNote("Equity", () =>
    equityFigure({
      ts,
      equity,
      ...(benchmark ? { benchmark, benchmarkLabel: "Buy and hold" } : {}),
      title: "Equity",
    })));
  parts.push(figureOrNote("Drawdown", () => drawdownFigure({ ts, drawdown, title: "Drawdown" })));
  if (options.frame) {
    const f = options.frame;
    parts.push(`<h2>Price and trades</h2>`);
    parts.push(figureOrNote("Price", () =>
      priceFigure({
        ts: f.ts,
        close: f.close,
        ...(f.has("open") && f.has("high") && f.has("low") ? { open: f.open, high: f.high, low: f.low } : {}),
        trades: result.trades.map(priceTrade),
        ...(options.overlays ? { overlays: options.overlays } : {}),
        title: "Price with trades (▲ entry, ▼ exit)",
      })));
  }
  parts.push(`<h2>Returns</h2>`);
  parts.push(figureOrNote("Monthly returns", () => {
    const mr = monthlyReturns(ts, equity);
    const rows = mr.years.flatMap((year, y) =>
      Array.from(mr.months[y]!, (value, k) => ({ year, month: k + 1, value })).filter((r) => !Number.isNaN(r.value))
    );
    return monthlyHeatmapFigure({ rows, title: "Monthly returns" });
  }));
  parts.push(
    figureOrNote(
      "Returns histogram",
      () => returnsHistogramFigure({ returns: returnsFromEquity(equity), title: `Bar returns (${m.timeframe})` }),
    ),
  );

  parts.push(`<h2>Statistics</h2>`);
  const rows = statsTable(result.stats).rows;
  const half = Math.ceil(rows.length / 2);
  const statTable = (rs: typeof rows) =>
    table(["Stat", "Value"], rs.map((r) => [`<span title="${esc(r.key)}">${esc(r.title)}</span>`, esc(r.text)]));
  parts.push(`<div class="grid">${statTable(rows.slice(0, half))}${statTable(rows.slice(half))}</div>`);

  parts.push(`<h2>Trades</h2>`);
  parts.push(tradesTable(result.trades, maxTrades));

  parts.push(`<h2>Manifest</h2>`);
  parts.push(
    `<p class="meta">Manifest id <code>${esc(m.id)}</code>, engine ${esc(m.engine_version)}, strategy code ` +
      `<code>${esc(m.strategy.code_hash.slice(0, 16))}</code>. The same manifest reproduces this result exactly.</p>`,
  );
  parts.push(`<details><summary>Full manifest (JSON)</summary><pre>${esc(prettyJson(m))}</pre></details>`);
  parts.push(`<footer>Sentinel backtest report${m.created_at ? `, made ${esc(m.created_at)}` : ""}.</footer>`);
  return page(title, parts.join("\n"));
}

function priceTrade(t: Trade) {
  return {
    entryTs: t.entryTs,
    entryPrice: t.entryPrice,
    exitTs: t.exitIndex < 0 ? NaN : t.exitTs,
    exitPrice: t.exitPrice,
    direction: t.direction,
    pnl: t.pnl,
  };
}

function tradesTable(trades: readonly Trade[], max: number): string {
  if (trades.length === 0) return `<p class="note">No trades.</p>`;
  const shown = trades.slice(0, max);
  const num = (v: number, digits = 4) => Number.isFinite(v) ? esc(Number(v.toPrecision(digits + 3))) : "-";
  const signed = (v: number, text: string) => `<span class="${v > 0 ? "pos" : v < 0 ? "neg" : ""}">${text}</span>`;
  const rows = shown.map((t, i) => [
    String(i + 1),
    esc(t.direction),
    esc(isoTime(t.entryTs)),
    num(t.entryPrice),
    esc(t.exitIndex < 0 ? "open" : isoTime(t.exitTs)),
    num(t.exitPrice),
    num(t.size),
    signed(t.pnl, esc(formatStat("final_equity", t.pnl))),
    signed(t.return, esc(formatStat("total_return", t.return))),
    esc(String(t.bars)),
    esc(t.exitReason),
  ]);
  const more = trades.length > max
    ? `<p class="note">Showing the first ${max} of ${trades.length} trades; trades.csv has all of them.</p>`
    : "";
  return `<div class="scroll">${
    table(
      ["#", "Side", "Entry", "Entry price", "Exit", "Exit price", "Size", "P&amp;L", "Return", "Bars", "Reason"],
      rows,
    )
  }</div>${more}`;
}
