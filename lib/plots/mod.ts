/**
 * Figures for research and reports, rendered server-side with Observable Plot (over a linkedom
 * document) to standalone SVG. Each figure takes already-computed series (typed arrays or plain
 * objects; the metrics and backtest modules compute drawdowns, monthly returns and rolling
 * Sharpe) and returns a {@link Figure}: SVG text that displays itself in Jupyter
 * (`image/svg+xml`, and `text/html` with the SVG inline so nbconvert's HTML export keeps it),
 * embeds in HTML (`toHtml()`), or is written to a file (`String(fig)`).
 *
 * Conventions: times are epoch ms and axes are UTC; returns and drawdowns are fractions shown
 * as percentages; the title and legends are drawn by this module (not by Plot), so the output is
 * always one `<svg>` root with the SVG namespace. Long series are decimated for drawing only
 * ({@link decimate}, M4: first, last, min and max per pixel column), never before computing,
 * so a million-bar equity curve renders in tens of milliseconds and keeps every extreme.
 *
 * The point budget of a figure over a long series: at most 4 points per pixel column per line
 * (3,248 at the default 900 px width; an area draws two such edges), one volume rule per pixel
 * column, at most `candleLimit` candles (250) and `maxTrades` trade markers (2,000, thinned evenly
 * with "k of n trades shown" in the subtitle). A series of 4 points per column or fewer is drawn
 * whole, exactly as given.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { drawdownFigure, equityFigure } from "./mod.ts";
 * import { JUPYTER_DISPLAY } from "../types/mod.ts";
 * const ts = Array.from({ length: 5 }, (_, i) => Date.UTC(2024, 0, 1 + i));
 * const fig = equityFigure({ ts, equity: [100, 102, 99, 105, 108], title: "My strategy" });
 * assert.equal(fig[JUPYTER_DISPLAY]()["text/plain"], "My strategy");
 * assert.ok(fig.svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"'));
 * const dd = drawdownFigure({ ts, drawdown: [0, 0, -0.0294, 0, 0] });
 * assert.match(dd.toHtml(), /Max drawdown −2\.9%/);
 * ```
 * @module
 */
export * from "./decimate.ts";
export * from "./drawdown_figure.ts";
export * from "./equity_figure.ts";
export * from "./figure.ts";
export * from "./monthly_heatmap_figure.ts";
export * from "./price_figure.ts";
export * from "./quality_timeline_figure.ts";
export * from "./realized_gains_figure.ts";
export * from "./reliability_figure.ts";
export * from "./returns_histogram_figure.ts";
export * from "./rolling_sharpe_figure.ts";
export * from "./series_decimator.ts";
export * from "./series_figure.ts";
export * from "./sweep_heatmap_figure.ts";
export * from "./walk_forward_figure.ts";
