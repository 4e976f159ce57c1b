/**
 * Incremental (streaming) twins of the vectorized indicators, for a runner that sees one
 * closed bar at a time. After every `push`, a stream's value is identical (`Object.is`, not
 * approximately) to its vectorized indicator at that index over the same bars: the same
 * warm-up NaNs, the same missing-value handling (windowed indicators NaN while the window
 * holds a NaN or ±Infinity, recursive ones NaN at that bar and resuming from their state) and
 * the same floating-point operations in the same order, including the vectorized code's
 * periodic exact rebuilds of rolling sums.
 *
 * - Every stream implements {@link IndicatorStream} (`push(bar)`, `value`, `count`);
 *   single-input ones take a `column` option (default `"close"`) and also have
 *   `update(x: number)`; multi-output ones expose each output as a getter (`MacdStream`'s
 *   `macd`, `signal`, `histogram`).
 * - O(1) per push (amortized where the vectorized code rebuilds a window), no allocation per
 *   push; `StochasticStream` keeps its extremes in monotonic deques.
 * - `VwapStream` needs `ts` on the bar (or as `update`'s last argument) for its session form.
 * - {@link streamForKey} maps the strategies' indicator cache keys (`sma:close:20`,
 *   `macd:close:12:26:9:signal`, ...) to streams.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { ema } from "../ema.ts";
 * import { EmaStream } from "./mod.ts";
 * const closes = Float64Array.of(10, 11, 12, NaN, 11, 10, 9, 10, 12, 14);
 * const stream = new EmaStream(3);
 * const streamed = [...closes].map((c) => stream.push({ open: c, high: c, low: c, close: c, volume: 1 }));
 * const full = ema(closes, 3);
 * streamed.forEach((v, i) => assert.ok(Object.is(v, full[i]), `bar ${i}: ${v} vs ${full[i]}`));
 * assert.equal(stream.count, closes.length);
 * ```
 * @module
 */
export * from "./adx_stream.ts";
export * from "./atr_stream.ts";
export * from "./bollinger_stream.ts";
export * from "./ema_stream.ts";
export * from "./indicator_stream.ts";
export * from "./macd_stream.ts";
export * from "./obv_stream.ts";
export * from "./roc_stream.ts";
export * from "./rolling_std_stream.ts";
export * from "./rsi_stream.ts";
export * from "./sma_stream.ts";
export * from "./stochastic_stream.ts";
export * from "./stream_for_key.ts";
export * from "./vwap_stream.ts";
export * from "./wma_stream.ts";
export * from "./z_score_stream.ts";
