/**
 * Shared domain types and zod schemas: bars, series ids, timeframes, calendars, errors.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { parseSeries, timeframeMs } from "./mod.ts";
 * const id = parseSeries("binance:BTC/USDT:1h");
 * assert.equal(timeframeMs(id.timeframe), 3_600_000);
 * ```
 * @module
 */
export * from "./bar.ts";
export * from "./calendar.ts";
export * from "./canonical_json.ts";
export * from "./civil_date.ts";
export * from "./display.ts";
export * from "./errors.ts";
export * from "./fill_base_fee.ts";
export * from "./format_zod_issues.ts";
export * from "./infer_timeframe.ts";
export * from "./series.ts";
export * from "./signals.ts";
export * from "./timeframe.ts";
export * from "./trading.ts";
export * from "./trade.ts";
