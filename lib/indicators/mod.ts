/**
 * Technical indicators over Float64Array columns: causal (the value at bar i depends only
 * on bars 0..i), NaN during warm-up, O(n), and writing into caller buffers (`out`) on demand
 * so parameter sweeps allocate nothing per run.
 *
 * Conventions, documented per function:
 * - Single-input indicators take `(values, period, options?)`; multi-input ones take an
 *   object of columns (`{ high, low, close }`; a Frame satisfies it) and options; multi-output
 *   ones return an object of Float64Arrays (`{ macd, signal, histogram }`).
 * - Every indicator has a `...Warmup(...)` companion giving the number of leading NaN values
 *   (the index of the first value), so a strategy can compute its own `warmup(p)`.
 * - Recursive indicators state their seeding: EMA by the SMA of the first `period` values
 *   (TA-Lib, StockCharts; `seed: "first"` for pandas `ewm(adjust=False)`); Wilder's RSI, ATR
 *   and ADX by the simple average of the first `period` changes or true ranges.
 * - Missing values (NaN, ±Infinity) inside the data: windowed indicators (SMA, WMA, std,
 *   z-score, Bollinger, Stochastic, rolling VWAP) give NaN while the window holds one;
 *   recursive ones (EMA, MACD, RSI, ATR, ADX, OBV, cumulative VWAP) give NaN at that bar and
 *   resume from their previous state with the next valid bar.
 * - Bad arguments throw: TypeError for a non-Float64Array, RangeError for a bad period or
 *   mismatched lengths. Undefined numeric results are NaN.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { crossedAbove, ema, rsi, sma, smaWarmup } from "./mod.ts";
 * const close = Float64Array.of(10, 11, 12, 11, 10, 9, 10, 12, 14, 15);
 * const fast = ema(close, 2);
 * const slow = sma(close, 4);
 * assert.equal(smaWarmup(4), 3);
 * assert.ok(Number.isNaN(slow[2]!) && slow[3] === 11);
 * const entries = crossedAbove(fast, slow);
 * assert.deepEqual([...entries.keys()].filter((i) => entries[i] === 1), [7]);
 * assert.equal(rsi(close, 3).length, close.length);
 * ```
 * @module
 */
export * from "./adx.ts";
export * from "./atr.ts";
export * from "./bollinger_bands.ts";
export * from "./crossed_above.ts";
export * from "./crossed_below.ts";
export * from "./ema.ts";
export * from "./macd.ts";
export * from "./obv.ts";
export * from "./roc.ts";
export * from "./rolling_std.ts";
export * from "./rsi.ts";
export * from "./sma.ts";
export * from "./stochastic.ts";
export * from "./types.ts";
export * from "./vwap.ts";
export * from "./wma.ts";
export * from "./z_score.ts";
