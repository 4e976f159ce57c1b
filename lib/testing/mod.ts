/**
 * Test helpers: fakes on 127.0.0.1 that the real clients talk to (a Binance-shaped exchange
 * for ccxt), a real `redis-server` on a free port (`startRedisServer`, for BullMQ and the cluster), property tests
 * (causality) and fixtures (synthetic prices).
 *
 * The fake exchange (`startFakeExchange`) speaks Binance spot at the protocol level, so the real ccxt
 * (`ccxt.binance` and `ccxt.pro.binance`) runs against it unchanged once its URLs point at it:
 * - REST market data: `exchangeInfo`, `klines` (served bars, cut at the fake's `now`).
 * - Signed order endpoints (`options.account`): create (MARKET, LIMIT, `newClientOrderId`, -2010 on a client
 *   id in use), query by `orderId` or `origClientOrderId`, cancel, open orders, account balances, `myTrades`.
 *   Key and HMAC signature are verified (-2015, -1022). A matching engine fills market orders at the current
 *   price and limit orders when the price crosses, in `fillParts` parts, with maker/taker fees.
 * - Faults per endpoint and request number (`faults`, `faultFn`, `injectOnce`): 429 with Retry-After, 5xx
 *   before or after the order is made, delays (timeouts), late acknowledgements, a fill racing a cancel
 *   (-2011), rejections (-2010 insufficient balance, -1013 LOT_SIZE / NOTIONAL).
 * - Market streams (`fake.ws`, {@link FakeStreams}): Binance's SUBSCRIBE JSON-RPC, `<sym>@kline_<tf>` (with
 *   unclosed updates before the `x: true` close) and `<sym>@trade`, pushed by the test (`nextBar`, `kline`,
 *   `trade`), with dropped sockets (close 1001, or cut dead), stalls, duplicate, out-of-order, spiked and
 *   late messages. ccxt.pro does not re-dial by itself: the next `watch*` call does.
 * - Inspection: `fake.orders`, `fake.fills`, `fake.balances`, `fake.requests`, `fake.ws.requests`, so a test
 *   can assert "no duplicate order" and "positions equal the exchange's".
 *
 * @example A real ccxt order against the fake
 * ```ts
 * import assert from "node:assert/strict";
 * import ccxt from "ccxt";
 * import { startFakeExchange } from "./mod.ts";
 *
 * const fake = await startFakeExchange({
 *   symbols: ["BTC/USDT"],
 *   prices: { "BTC/USDT": 100 },
 *   account: { apiKey: "key-1", secret: "secret-1", balances: { USDT: 1_000 } },
 * });
 * const ex = new ccxt.binance({ apiKey: "key-1", secret: "secret-1", options: { fetchMarkets: { types: ["spot"] } } });
 * const api = ex.urls.api as unknown as Record<string, unknown>;
 * for (const [k, v] of Object.entries(api)) if (typeof v === "string") api[k] = v.replace(/^https:\/\/[^/]+/, fake.url);
 * try {
 *   const order = await ex.createOrder("BTC/USDT", "market", "buy", 0.5, undefined, { clientOrderId: "acct-1-1" });
 *   assert.equal(order.status, "closed");
 *   assert.equal((await ex.fetchOrder("", "BTC/USDT", { clientOrderId: "acct-1-1" })).filled, 0.5);
 *   assert.deepEqual(fake.orders.map((o) => o.clientOrderId), ["acct-1-1"]);
 *   assert.deepEqual(fake.balances.USDT, { free: 950, locked: 0 });
 *   assert.equal(fake.requestsTo("newOrder")[0]?.auth, "ok");
 * } finally {
 *   await ex.close();
 *   await fake.close();
 * }
 * ```
 *
 * @example A property test
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
export * from "./dir_snapshot.ts";
export * from "./mulberry32.ts";
export * from "./random_bars.ts";
export * from "./redis_server.ts";
export * from "./fake_anthropic.ts";
export * from "./fake_exchange.ts";
export * from "./fake_exchange_ws.ts";
export * from "./synthetic_closes.ts";
