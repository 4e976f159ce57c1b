/**
 * Test helpers: fakes on 127.0.0.1 that the real clients talk to (a Binance-shaped exchange
 * for ccxt), property tests (causality) and fixtures (synthetic prices).
 *
 * @module
 */
