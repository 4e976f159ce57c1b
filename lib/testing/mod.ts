/**
 * Test helpers: fakes on 127.0.0.1 that the real clients talk to (a Binance-shaped exchange
 * for ccxt), property tests (causality) and fixtures (synthetic prices).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { assertCausal, randomBars } from "./mod.ts";
 * import { sma } from "../indicators/mod.ts";
 * const bars = randomBars({ n: 200, seed: 1 });
 * // The 10-bar SMA of any prefix equals the prefix of the SMA of all the data.
 * assertCausal((n) => sma(bars.close.subarray(0, n), 10), bars.length);
 * assert.equal(bars.length, 200);
 * ```
 * @module
 */
export * from "./causality.ts";
export * from "./mulberry32.ts";
export * from "./random_bars.ts";
export * from "./fake_exchange.ts";
export * from "./synthetic_closes.ts";
