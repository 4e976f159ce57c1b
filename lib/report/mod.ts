/**
 * Self-contained HTML reports (inline SVG figures and CSS, no scripts, no external resources):
 * {@link backtestReport} for one backtest, written as `report.html` by `deno task backtest --out`,
 * stored with each recorded run, and reusable by the web lab.
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
