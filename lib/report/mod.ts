/**
 * Run reports: one renderer ({@link renderRunReport}) of a run's results into sections, used by
 * the CLI's self-contained `report.html` ({@link backtestReport}: inline SVG figures and CSS, no
 * scripts, no external resources) and by the web lab's run page (the same sections plus zoom,
 * pan and hover read-outs). {@link runReportViewFromBacktest} builds the input from a backtest;
 * {@link walkForwardFolds} reads the folds of a recorded walk-forward.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { Frame } from "../frame/mod.ts";
 * import { runBacktest } from "../backtest/mod.ts";
 * import { backtestReport } from "./mod.ts";
 * const close = Float64Array.from({ length: 40 }, (_, i) => 50 + 5 * Math.cos(i / 3));
 * const ts = Float64Array.from(close, (_, i) => Date.UTC(2024, 0, 1) + i * 3_600_000);
 * const frame = new Frame(ts, { open: close, high: close, low: close, close, volume: close });
 * const r = await runBacktest({ frame, strategy: "sma_cross", params: { fast: 2, slow: 4 } });
 * assert.match(backtestReport(r, { frame, title: "demo" }), /<title>demo<\/title>/);
 * ```
 * @module
 */
export * from "./backtest_report.ts";
export * from "./equity_figures_html.ts";
export * from "./render_run_report.ts";
export * from "./run_report_view.ts";
export * from "./walk_forward_folds.ts";
export { SECTION_CSS } from "./_html.ts";
export { humanParams, ppText, utcTime } from "./_format.ts";
export * from "./strategy_overlays.ts";
export * from "./batch_report.ts";
