import { drawdownFigure, equityFigure } from "../plots/mod.ts";
import { figureOrNote } from "./_html.ts";
import type { ReportEquity } from "./run_report_view.ts";

/** Options of {@link equityFiguresHtml}. */
export interface EquityFiguresOptions {
  /** Logarithmic equity axis. Default false. */
  log?: boolean;
  /** Legend label of the strategy line. */
  label?: string;
}

/**
 * The equity figure (with buy and hold) and the drawdown figure of a report, as HTML; the lab
 * re-renders them for a zoomed range.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { equityFiguresHtml } from "./equity_figures_html.ts";
 * const ts = Float64Array.from([0, 1, 2], (d) => Date.UTC(2024, 0, 1 + d));
 * const equity = Float64Array.from([100, 90, 110]);
 * const html = equityFiguresHtml({ ts, equity, drawdown: Float64Array.from([0, -0.1, 0]) }, { log: true });
 * assert.match(html, /Equity \(log scale\)/);
 * assert.match(html, /Max drawdown/);
 * ```
 */
export function equityFiguresHtml(eq: ReportEquity, options: EquityFiguresOptions = {}): string {
  const e = figureOrNote("Equity", () =>
    equityFigure({
      ts: eq.ts,
      equity: eq.equity,
      ...(eq.benchmark ? { benchmark: eq.benchmark, benchmarkLabel: "Buy and hold" } : {}),
      ...(options.label ? { label: options.label } : {}),
      log: options.log ?? false,
      title: `Equity${options.log ? " (log scale)" : ""}`,
    }));
  const dd = figureOrNote("Drawdown", () =>
    drawdownFigure({
      ts: eq.ts,
      ...(eq.drawdown ? { drawdown: eq.drawdown } : { equity: eq.equity }),
      height: 160,
    }));
  return e + dd;
}
