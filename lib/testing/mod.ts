/**
 * Test helpers: fakes on 127.0.0.1 that the real clients talk to (a Binance-shaped exchange
 * for ccxt), property tests (causality) and fixtures (synthetic prices).
 *
 * @module
 */
export * from "./causality.ts";
export * from "./random_bars.ts";
export * from "./fake_exchange.ts";
export * from "./synthetic_closes.ts";
