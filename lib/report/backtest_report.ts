import type { BacktestResult, PortfolioResult, SimResult } from "../backtest/mod.ts";
import type { Frame } from "../frame/mod.ts";
import type { PriceOverlay } from "../plots/mod.ts";
import type { AfterTaxResult } from "../tax/mod.ts";
import { afterTaxHtml } from "./_after_tax_html.ts";
import { esc, page } from "./_html.ts";
import { renderRunReport } from "./render_run_report.ts";
import { runReportViewFromBacktest } from "./run_report_view.ts";

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
  /** After-tax figures of the run (`deno task backtest --after-tax`): an "After tax" section after the stats. */
  afterTax?: AfterTaxResult;
}

/**
 * A self-contained HTML report of one backtest, `report.html` of `deno task backtest --out`:
 * the sections of {@link renderRunReport} (the renderer the web lab's run page uses too) as
 * inline SVG and CSS. No scripts and no external resources, so the file opens offline and
 * attaches to mail.
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
 * assert.ok((html.match(/<figure class="sentinel-figure"/g) ?? []).length >= 5);
 * assert.ok(!/<script|src="http/.test(html));
 * ```
 */
export function backtestReport(
  result: BacktestResult<SimResult | PortfolioResult>,
  options: BacktestReportOptions = {},
): string {
  const view = runReportViewFromBacktest(result, {
    ...(options.title !== undefined ? { title: options.title } : {}),
    ...(options.frame ? { frame: options.frame } : {}),
    ...(options.overlays ? { overlays: options.overlays } : {}),
  });
  const report = renderRunReport(view, {
    mode: "static",
    ...(options.maxTrades !== undefined ? { maxTrades: options.maxTrades } : {}),
    ...(options.notes ? { notes: options.notes } : {}),
  });
  const m = result.manifest;
  const parts = [`<h1>${esc(report.title)}</h1>`];
  const sections = [...report.sections];
  if (options.afterTax) {
    const at = sections.findIndex((s) => s.id === "stats") + 1 || sections.length;
    sections.splice(at, 0, { id: "after-tax", title: "After tax", html: afterTaxHtml(options.afterTax) });
  }
  for (const s of sections) {
    if (s.title) parts.push(`<h2 id="section-${esc(s.id)}">${esc(s.title)}</h2>`);
    parts.push(s.html);
  }
  parts.push(`<footer>Sentinel backtest report${m.created_at ? `, made ${esc(m.created_at)}` : ""}.</footer>`);
  return page(report.title, parts.join("\n"));
}
