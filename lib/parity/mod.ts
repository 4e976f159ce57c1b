/**
 * The parity check: the paper runner, fed the same bars one at a time, must trade exactly as the vectorized
 * backtest of the same strategy, params and options (every fill's bar, side, size and price, and the final equity,
 * compared without tolerance). A difference is reported with the first differing order; a strategy whose signals
 * depend on later bars (look-ahead) is named as the likely cause. `deno task parity` runs it from the command line.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { Frame } from "../frame/mod.ts";
 * import { checkParity, formatParityReport } from "./mod.ts";
 * const close = Float64Array.from({ length: 60 }, (_, i) => 100 + 10 * Math.sin(i / 4));
 * const ts = Float64Array.from(close, (_, i) => i * 3_600_000);
 * const frame = new Frame(ts, { open: close, high: close, low: close, close, volume: close });
 * const report = await checkParity({ strategy: "sma_cross", params: { fast: 3, slow: 8 }, frame, options: { fee: 0.001 } });
 * assert.equal(report.ok, true);
 * assert.ok(report.orders.backtest > 0);
 * assert.match(formatParityReport(report), /OK/);
 * ```
 * @module
 */
export * from "./check_parity.ts";
export * from "./format_parity_report.ts";
export type { LookAhead } from "./_look_ahead.ts";
