import { type Context, Hono } from "hono";
import type { Frame } from "../frame/mod.ts";
import { type Bar, timeframeMs } from "../types/mod.ts";
import {
  type FakeBalance,
  type FakeFill,
  type FakeFilters,
  type FakeOrder,
  Matching,
  ORDER_ERRORS,
  round8,
} from "./_fake_matching.ts";
import {
  accountJson,
  cancelJson,
  type FakeAuth,
  newOrderJson,
  orderJson,
  orderRef,
  type RawSigned,
  tradeJson,
  verifySigned,
} from "./_fake_orders.ts";
import { FakeStreams } from "./fake_exchange_ws.ts";
import { serveLoopback } from "./_serve_loopback.ts";

export type { FakeAuth } from "./_fake_orders.ts";
export type { FakeBalance, FakeFill, FakeFilters, FakeOrder, FakeOrderStatus } from "./_fake_matching.ts";

/**
 * A fault the fake injects instead of (or before) a normal answer.
 *
 * - `status`: answer with this HTTP status, a JSON error body (or `body`) and `headers`.
 * - `rateLimit`: HTTP 429 (or 418) with `Retry-After: retryAfterSec` (omitted when undefined),
 *   Binance's `{"code":-1003,...}` body.
 * - `delay`: wait `ms` before answering normally (or until the client gives up; use a small ccxt
 *   `timeout` to turn it into a RequestTimeout).
 *   On `newOrder` the order is then created late: after a client timeout it still appears, unless its
 *   `timestamp + recvWindow` passed meanwhile: a signed request is checked when it is carried out, so a delay
 *   longer than the window refuses it with -1021 and no order is made (Binance's matching engine does the same).
 * - `malformed`: HTTP 200 with a bad body: `not-json` (`<html>...`), `truncated` (JSON cut
 *   off mid-row), `wrong-shape` (rows of 3 fields), `nulls` (null prices), or `text` (literal `text`).
 * - `status` with `after: true`: the request IS carried out (an order created or cancelled), then answered with
 *   the error status, like Binance's 503 "execution status unknown".
 * - `lateAck` (order endpoints): carried out at once, answered after `ms`: an order acknowledged after the
 *   client's timeout.
 * - `fillBeforeCancel` (`cancelOrder`): the order fills (at `price`, default its limit or the last price) just
 *   before the cancel arrives, so the cancel answers -2011 "Unknown order sent.".
 * - `reject` (`newOrder`): the order is refused with Binance's error: `insufficientBalance` (-2010),
 *   `lotSize` / `notional` (-1013 filter failures) or `duplicate` (-2010 "Duplicate order sent.").
 */
export type Fault =
  | { kind: "status"; status: number; body?: string; headers?: Record<string, string>; after?: boolean }
  | { kind: "rateLimit"; retryAfterSec?: number; status?: 429 | 418 }
  | { kind: "delay"; ms: number }
  | { kind: "malformed"; body: "not-json" | "truncated" | "wrong-shape" | "nulls" }
  | { kind: "malformed"; body: "text"; text: string }
  | { kind: "lateAck"; ms: number }
  | { kind: "fillBeforeCancel"; price?: number }
  | { kind: "reject"; reason: "insufficientBalance" | "lotSize" | "notional" | "duplicate" };

/**
 * The endpoints the fake serves, for fault scripts and the request log. `ticker` is GET /api/v3/ticker/24hr (ccxt's
 * `fetchTicker`), its prices the ones orders fill at. Signed (account) endpoints:
 * `newOrder` (POST /api/v3/order), `getOrder` (GET), `cancelOrder` (DELETE), `openOrders`, `account`, `myTrades`, and
 * `capitalConfig` and `marginPairs` (GET /sapi/v1/capital/config/getall and /sapi/v1/margin/(isolated/)allPairs, which
 * ccxt's `loadMarkets` asks for once keys are set; the fake has no margin pairs).
 */
export type FakeEndpoint =
  | "exchangeInfo"
  | "klines"
  | "ticker"
  | "ping"
  | "time"
  | "newOrder"
  | "getOrder"
  | "cancelOrder"
  | "openOrders"
  | "account"
  | "myTrades"
  | "capitalConfig"
  | "marginPairs";

/** One request the fake received. */
export interface FakeRequest {
  endpoint: FakeEndpoint | "other";
  method: string;
  path: string;
  /** Query string parameters, and the form body's for POST (signed requests include `timestamp`, `signature`). */
  query: Record<string, string>;
  /** The `X-MBX-APIKEY` header of a signed endpoint's request (null when absent). */
  apiKey?: string | null;
  /** How a signed request's key and signature checked out. */
  auth?: FakeAuth;
  /** 0-based number of this request among requests to the same endpoint. */
  n: number;
  /** The fault injected, if any (its kind). */
  fault?: Fault["kind"];
  /** HTTP status answered. */
  status: number;
  /** Wall-clock time the request arrived (epoch ms). */
  at: number;
}

/** One served series. */
export interface FakeSeries {
  /** ccxt symbol, `BTC/USDT`; the market id is the symbol without `/` (`BTCUSDT`). */
  symbol: string;
  /** ccxt/Binance interval, `1m`, `1h`, `1d`. */
  timeframe: string;
  /** The bars, in any order; served sorted by time. */
  bars: readonly Bar[] | Frame;
}

/** The trading account behind the signed endpoints. */
export interface FakeAccountOptions {
  /** Expected `X-MBX-APIKEY` (anything else: -2015). */
  apiKey: string;
  /**
   * HMAC-SHA256 secret the signature must be made with (else -1022). A `timestamp` more than `recvWindow`
   * (default 5 s, at most 60 s, else -1131) before the time the request is carried out (after any `delay` fault),
   * or 1 s after it, is refused with -1021.
   */
  secret: string;
  /** Free balances by asset, `{ USDT: 10_000 }`. */
  balances?: Record<string, number>;
  /** Fee rates, as fractions; commission is taken from the asset received (but see `feeAsset`). Default 0.001 each. */
  makerFee?: number;
  /** Taker fee rate (market orders, marketable limits). Default 0.001. */
  takerFee?: number;
  /**
   * Pay commissions in this asset, as Binance's "use BNB to pay for fees" does (`"BNB"`): a fill's commission is its
   * quote value × the fee rate × (1 - `feeAssetDiscount`), divided by the fee asset's price in the quote: the
   * fake's price of `BNB/USDT` (`prices`, pushed bars and trades, `setPrice`), else the inverse of `USDT/BNB`'s, else
   * `feeAssetPrice`. It is taken from that asset's free balance and reported as `commissionAsset: "BNB"` in
   * `myTrades` and in the order answer's `fills`. When the balance is short of it (or the asset has no price), the
   * commission falls back to the asset received, as Binance's does. Default none: always the asset received.
   */
  feeAsset?: string;
  /** Discount on commissions paid in `feeAsset` (Binance's BNB burn: 0.25). Default 0. */
  feeAssetDiscount?: number;
  /**
   * `feeAsset`'s price in the quote for a quote it has no market with either way (Binance converts through other
   * markets): lets a test charge a fee in an asset the client cannot price from the exchange's markets.
   */
  feeAssetPrice?: number;
  /**
   * Fill each order in this many parts: the first when it is placed (market, or a limit that crosses), one more
   * per later price event (pushed kline or trade, `setPrice`) at which it can fill. Default 1.
   */
  fillParts?: number | ((order: Readonly<FakeOrder>) => number);
  /**
   * `open` (default, Binance): a client order id is refused (-2010 "Duplicate order sent.") only while an order
   * with it is open, so a re-sent filled market order fills twice. `all`: refused if ever used.
   */
  clientIdUnique?: "open" | "all";
}

/** Options for {@link startFakeExchange}. */
export interface FakeExchangeOptions {
  /** The account for the signed order endpoints. Without it every signed request answers -2015. */
  account?: FakeAccountOptions;
  /** Starting prices by symbol for orders. Later prices come from pushed klines/trades or `setPrice`. */
  prices?: Record<string, number>;
  /** Every market's LOT_SIZE and NOTIONAL filters. Default step and min 0.00001, max 9000, min notional 5. */
  filters?: Partial<FakeFilters>;
  /**
   * Market streams: `shape` `combined` (default: `{stream, data}` as on `/stream`) or `raw`; `paceMs` spaces
   * messages on each socket (default 0: sent at once; ccxt.pro's `watch*` resolve once per message).
   */
  ws?: { shape?: "combined" | "raw"; paceMs?: number };
  /** Served series. Symbols listed here are markets in `exchangeInfo`. */
  series?: FakeSeries[];
  /** More market symbols with no bars (`ETH/BTC`). */
  symbols?: string[];
  /**
   * Faults by endpoint and request number: `{ klines: [null, { kind: "status", status: 503 }] }`
   * makes the second klines request fail. `null`/missing entries answer normally.
   */
  faults?: Partial<Record<FakeEndpoint, ReadonlyArray<Fault | null | undefined>>>;
  /** Dynamic faults, consulted after `faults`: return a fault for a request or undefined. */
  faultFn?: (req: { endpoint: FakeEndpoint; n: number; query: Record<string, string> }) => Fault | undefined;
  /**
   * The fake's clock. Klines serves only bars whose open time is <= now, so the newest one may
   * be unclosed, as on Binance. Default `Date.now`.
   */
  now?: () => number;
  /**
   * `next` (default, Binance): klines from startTime answers the next `limit` bars that exist, so
   * a gap never yields an empty page. `window`: only bars in [startTime, startTime + limit * tf),
   * like exchanges that answer a fixed window; a gap longer than a page yields empty pages.
   */
  klinesMode?: "next" | "window";
  /** Port on 127.0.0.1. Default 0 (any free port). */
  port?: number;
}

/** A running fake exchange; stop it with {@link FakeExchange.close}. */
export interface FakeExchange {
  /** `http://127.0.0.1:PORT`; pass as `apiUrl` to point ccxt at the fake. */
  readonly url: string;
  readonly port: number;
  /** Every request received, in arrival order. */
  readonly requests: FakeRequest[];
  /** The Hono app, so other fakes can add routes before requests arrive. */
  readonly app: Hono;
  /** The market streams (websocket): `fake.ws.url`, push klines and trades, drop and stall. */
  readonly ws: FakeStreams;
  /** Every order ever accepted, oldest first (copies). */
  readonly orders: FakeOrder[];
  /** Every fill, oldest first (copies). */
  readonly fills: FakeFill[];
  /** Balances by asset (copies), rounded to 8 decimals. */
  readonly balances: Record<string, FakeBalance>;
  /** Open orders (of one symbol, `BTC/USDT`). */
  openOrders(symbol?: string): FakeOrder[];
  /** The price orders of `symbol` fill at now. */
  price(symbol: string): number | undefined;
  /** Moves the market (as a trade at `price` would, without a stream message); resting orders may fill. */
  setPrice(symbol: string, price: number): void;
  /** Sets an asset's free balance. */
  setBalance(asset: string, free: number): void;
  /** Fills the rest of an open order now, in one fill; false if it is not open. */
  fillOrder(symbol: string, ref: { orderId?: number; clientOrderId?: string }, price?: number): boolean;
  /** Requests to one endpoint. */
  requestsTo(endpoint: FakeEndpoint): FakeRequest[];
  /** Injects `fault` into the next request to `endpoint` (queued before scripted faults). */
  injectOnce(endpoint: FakeEndpoint, fault: Fault): void;
  /** Replaces (or adds) the bars of a series. */
  setBars(symbol: string, timeframe: string, bars: readonly Bar[] | Frame): void;
  /** The bars of a series as served (sorted), before the `now` cut. */
  bars(symbol: string, timeframe: string): Bar[];
  /** Stops the server, cancelling pending delays. */
  close(): Promise<void>;
}

const ERRORS = {
  badSymbol: { code: -1121, msg: "Invalid symbol." },
  badInterval: { code: -1120, msg: "Invalid interval." },
  badLimit: { code: -1130, msg: "Data sent for parameter 'limit' is not valid." },
  tooMany: { code: -1003, msg: "Too many requests; current limit of IP is 6000 request weight per 1 MINUTE." },
  internal: { code: -1001, msg: "Internal error; unable to process your request. Please try again." },
} as const;

/**
 * Starts a Binance-shaped REST server on 127.0.0.1 for real ccxt clients to talk to:
 * `GET /api/v3/exchangeInfo` (spot markets with the fields ccxt needs), `GET /api/v3/klines`
 * (symbol, interval, startTime, endTime, limit up to 1000, Binance error codes), `GET /api/v3/ticker/24hr` (the
 * current price), `/api/v3/ping` and `/api/v3/time`. Faults are injected by script, by function or one-shot; every request is
 * logged. Use ccxt with `options: { fetchMarkets: { types: ["spot"] } }` so it only asks for spot.
 *
 * With `account`, the signed spot endpoints ccxt's `createOrder`, `fetchOrder`, `cancelOrder`,
 * `fetchOpenOrders`, `fetchBalance` and `fetchMyTrades` call: the `X-MBX-APIKEY` key and the HMAC-SHA256
 * signature are checked on every one (never an unsigned order), then a small matching engine answers: market
 * orders fill at the current price (the last pushed kline close or trade, `setPrice`, `prices`, else the last
 * served bar), limit orders rest until a price event reaches them, optionally in `fillParts` parts; balances and
 * fills move with them and can be inspected (`orders`, `fills`, `balances`, `requests`). Commissions come out of the
 * asset received, or out of a third asset such as BNB (`account.feeAsset`).
 *
 * `fake.ws` serves the market streams (klines, trades) on a port of its own: see {@link FakeStreams}.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { startFakeExchange } from "./fake_exchange.ts";
 * const bars = [0, 1, 2].map((i) => ({ ts: i * 60_000, open: 1, high: 2, low: 0.5, close: 1.5, volume: 1 }));
 * const fake = await startFakeExchange({ series: [{ symbol: "BTC/USDT", timeframe: "1m", bars }] });
 * try {
 *   const res = await fetch(`${fake.url}/api/v3/klines?symbol=BTCUSDT&interval=1m&startTime=60000&limit=5`);
 *   const rows = await res.json();
 *   assert.deepEqual(rows.map((r: unknown[]) => r[0]), [60_000, 120_000]);
 *   assert.equal(fake.requestsTo("klines").length, 1);
 * } finally {
 *   await fake.close();
 * }
 * ```
 */
export async function startFakeExchange(options: FakeExchangeOptions = {}): Promise<FakeExchange> {
  const now = options.now ?? Date.now;
  const store = new Map<string, Bar[]>();
  const markets = new Set<string>(options.symbols ?? []);
  const key = (symbol: string, tf: string): string => `${marketId(symbol)} ${tf}`;
  const assets = new Map<string, { base: string; quote: string }>();
  const addMarket = (symbol: string): void => {
    markets.add(symbol);
    const [base = symbol, quote = ""] = symbol.split("/");
    assets.set(marketId(symbol), { base, quote });
  };
  for (const s of markets) addMarket(s);
  const setBars = (symbol: string, timeframe: string, bars: readonly Bar[] | Frame): void => {
    timeframeMs(timeframe); // validates
    const list = Array.isArray(bars) ? [...bars] : (bars as Frame).toBars();
    list.sort((a, b) => a.ts - b.ts);
    store.set(key(symbol, timeframe), list);
    addMarket(symbol);
  };
  for (const s of options.series ?? []) setBars(s.symbol, s.timeframe, s.bars);
  for (const s of Object.keys(options.prices ?? {})) if (!markets.has(s)) addMarket(s);

  const filters: FakeFilters = { minQty: 0.00001, maxQty: 9000, stepSize: 0.00001, minNotional: 5, ...options.filters };
  const account = options.account;
  const makerFee = account?.makerFee ?? 0.001;
  const takerFee = account?.takerFee ?? 0.001;
  const matching = new Matching({
    markets: assets,
    balances: { ...account?.balances },
    makerFee,
    takerFee,
    ...(account?.feeAsset !== undefined ? { feeAsset: account.feeAsset } : {}),
    ...(account?.feeAssetDiscount !== undefined ? { feeAssetDiscount: account.feeAssetDiscount } : {}),
    ...(account?.feeAssetPrice !== undefined ? { feeAssetPrice: account.feeAssetPrice } : {}),
    fillParts: account?.fillParts ?? 1,
    clientIdUnique: account?.clientIdUnique ?? "open",
    filters,
    prices: Object.fromEntries(Object.entries(options.prices ?? {}).map(([k, v]) => [marketId(k), v])),
    fallbackPrice: (id) => {
      // The newest served bar's close, of the shortest timeframe that has one.
      let best: { tf: number; close: number } | undefined;
      const cut = now();
      for (const [k, bars] of store) {
        const [sym = "", tf = "1m"] = k.split(" ");
        if (sym !== id) continue;
        let i = bars.length - 1;
        while (i >= 0 && bars[i]!.ts > cut) i--;
        const ms = timeframeMs(tf);
        if (i >= 0 && (best === undefined || ms < best.tf)) best = { tf: ms, close: bars[i]!.close };
      }
      return best?.close;
    },
    now,
  });
  const streams = new FakeStreams({
    series: (symbol, tf) => store.get(key(symbol, tf)),
    onPrice: (id, high, low, close) => matching.onPrice(id, high, low, close),
    shape: options.ws?.shape ?? "combined",
    paceMs: options.ws?.paceMs ?? 0,
  });

  const requests: FakeRequest[] = [];
  const counts = new Map<string, number>();
  const once = new Map<FakeEndpoint, Fault[]>();
  const pending = new Set<() => void>();
  const closing = new AbortController();

  const faultFor = (endpoint: FakeEndpoint, n: number, query: Record<string, string>): Fault | undefined => {
    const queued = once.get(endpoint);
    if (queued && queued.length > 0) return queued.shift();
    return options.faults?.[endpoint]?.[n] ?? options.faultFn?.({ endpoint, n, query }) ?? undefined;
  };

  interface Ctx {
    raw: RawSigned;
    fault: Fault | undefined;
    entry: FakeRequest;
  }
  type Answer = (q: Record<string, string>, ctx: Ctx) => Response;
  const app = new Hono();
  const handle = (endpoint: FakeEndpoint, answer: Answer, signed = false) => {
    return async (c: Context): Promise<Response> => {
      const body = c.req.method === "GET" ? "" : await c.req.text();
      const query: Record<string, string> = { ...c.req.query() };
      if (body !== "") { for (const [k, v] of new URLSearchParams(body)) query[k] = v; }
      const n = counts.get(endpoint) ?? 0;
      counts.set(endpoint, n + 1);
      const entry: FakeRequest = {
        endpoint,
        method: c.req.method,
        path: c.req.path,
        query,
        n,
        status: 200,
        at: Date.now(),
      };
      const apiKey = c.req.header("X-MBX-APIKEY") ?? null;
      if (signed) entry.apiKey = apiKey;
      requests.push(entry);
      const fault = faultFor(endpoint, n, query);
      if (fault) entry.fault = fault.kind;
      const run = (): Response =>
        // `at` is now, not the arrival: a request held by a `delay` fault is checked against recvWindow when it is
        // carried out, so an order whose window passed on the way is never created.
        answer(query, {
          raw: { query: new URL(c.req.url).search.slice(1), body, apiKey, at: Date.now() },
          fault,
          entry,
        });
      let res: Response;
      if (fault === undefined) res = run();
      else {
        switch (fault.kind) {
          case "reject":
          case "fillBeforeCancel":
            res = run();
            break;
          case "delay":
            await sleep(fault.ms, closing.signal, pending);
            res = run();
            break;
          case "lateAck":
            res = run();
            await sleep(fault.ms, closing.signal, pending);
            break;
          case "status":
            if (fault.after) await run().body?.cancel();
            res = faultResponse(fault);
            break;
          default:
            res = faultResponse(fault);
        }
      }
      entry.status = res.status;
      return res;
    };
  };
  /** A signed endpoint: key and signature first, then `fn` with the verified parameters. */
  const signed = (fn: (p: Record<string, string>, ctx: Ctx) => Response): Answer => (_q, ctx) => {
    const v = verifySigned(ctx.raw, account);
    ctx.entry.auth = v.auth;
    if (v.auth !== "ok") return Response.json(v.error, { status: v.status });
    return fn(v.params, ctx);
  };
  const bad = (e: { code: number; msg: string }): Response => Response.json(e, { status: 400 });
  const num = (x: string | undefined): number | undefined => x === undefined ? undefined : Number(x);
  const knownSymbol = (id: string | undefined): id is string => id !== undefined && assets.has(id);

  app.post(
    "/api/v3/order",
    handle(
      "newOrder",
      signed((p, { fault }) => {
        if (fault?.kind === "reject") {
          const e = {
            insufficientBalance: ORDER_ERRORS.insufficient,
            lotSize: ORDER_ERRORS.lotSize,
            notional: ORDER_ERRORS.notional,
            duplicate: ORDER_ERRORS.duplicate,
          }[fault.reason];
          return bad(e);
        }
        const placed = matching.place({
          symbol: p.symbol ?? "",
          side: p.side ?? "",
          type: p.type ?? "",
          quantity: num(p.quantity),
          quoteOrderQty: num(p.quoteOrderQty),
          price: num(p.price),
          timeInForce: p.timeInForce,
          newClientOrderId: p.newClientOrderId,
        });
        if ("error" in placed) return bad(placed.error);
        return Response.json(newOrderJson(placed.order, placed.fills, p.newOrderRespType));
      }),
      true,
    ),
  );
  app.get(
    "/api/v3/order",
    handle(
      "getOrder",
      signed((p) => {
        if (!knownSymbol(p.symbol)) return bad(ERRORS.badSymbol);
        const ref = orderRef(p);
        if ("code" in ref) return bad(ref);
        const o = matching.find(p.symbol, ref);
        return o === undefined ? bad(ORDER_ERRORS.notFound) : Response.json(orderJson(o));
      }),
      true,
    ),
  );
  app.delete(
    "/api/v3/order",
    handle(
      "cancelOrder",
      signed((p, { fault }) => {
        if (!knownSymbol(p.symbol)) return bad(ERRORS.badSymbol);
        const ref = orderRef(p);
        if ("code" in ref) return bad(ref);
        if (fault?.kind === "fillBeforeCancel") matching.fillRest(p.symbol, ref, fault.price);
        const o = matching.cancel(p.symbol, ref);
        if ("code" in o) return bad(o);
        const cancelId = p.newClientOrderId ?? `cancel-${o.orderId}`;
        return Response.json(cancelJson(o, cancelId, now()));
      }),
      true,
    ),
  );
  app.get(
    "/api/v3/openOrders",
    handle(
      "openOrders",
      signed((p) => {
        if (p.symbol !== undefined && !knownSymbol(p.symbol)) return bad(ERRORS.badSymbol);
        return Response.json(matching.open(p.symbol).map(orderJson));
      }),
      true,
    ),
  );
  app.get(
    "/api/v3/account",
    handle("account", signed(() => Response.json(accountJson(matching, makerFee, takerFee, now()))), true),
  );
  app.get(
    "/api/v3/myTrades",
    handle(
      "myTrades",
      signed((p) => {
        if (!knownSymbol(p.symbol)) return bad(ERRORS.badSymbol);
        const limit = num(p.limit) ?? 500;
        if (!Number.isInteger(limit) || limit < 1 || limit > 1000) return bad(ERRORS.badLimit);
        const orderId = num(p.orderId), fromId = num(p.fromId);
        const start = num(p.startTime), end = num(p.endTime);
        let rows = matching.fills.filter((f) =>
          f.symbol === p.symbol && (orderId === undefined || f.orderId === orderId) &&
          (fromId === undefined || f.id >= fromId) && (start === undefined || f.time >= start) &&
          (end === undefined || f.time <= end)
        );
        // Binance answers the oldest `limit` from a start, else the newest `limit`.
        rows = start !== undefined || fromId !== undefined ? rows.slice(0, limit) : rows.slice(-limit);
        return Response.json(rows.map(tradeJson));
      }),
      true,
    ),
  );
  app.get(
    "/sapi/v1/capital/config/getall",
    handle(
      "capitalConfig",
      signed(() => {
        const coins = new Set<string>();
        for (const a of assets.values()) coins.add(a.base).add(a.quote);
        const bal = matching.balances;
        return Response.json(
          [...coins].filter((c) => c !== "").map((coin) => ({
            coin,
            name: coin,
            free: (bal[coin]?.free ?? 0).toFixed(8),
            locked: (bal[coin]?.locked ?? 0).toFixed(8),
            depositAllEnable: true,
            withdrawAllEnable: true,
            isLegalMoney: false,
            trading: true,
            networkList: [],
          })),
        );
      }),
      true,
    ),
  );
  app.get("/sapi/v1/margin/allPairs", handle("marginPairs", signed(() => Response.json([])), true));
  app.get("/sapi/v1/margin/isolated/allPairs", handle("marginPairs", signed(() => Response.json([])), true));
  const upgrade = (c: Context): Response => {
    if (c.req.header("upgrade")?.toLowerCase() !== "websocket") {
      return c.json({ code: -1000, msg: "fake exchange: websocket endpoint, connect with ws://" }, 400);
    }
    return streams.upgrade(c.req.raw, (c.env as Deno.ServeHandlerInfo<Deno.NetAddr>).remoteAddr.port);
  };
  app.get("/stream/*", upgrade);
  app.get("/ws/*", upgrade);

  app.get("/api/v3/ping", handle("ping", () => Response.json({})));
  app.get("/api/v3/time", handle("time", () => Response.json({ serverTime: now() })));
  app.get(
    "/api/v3/exchangeInfo",
    handle("exchangeInfo", () => Response.json(exchangeInfo([...markets], now(), filters))),
  );
  app.get(
    "/api/v3/ticker/24hr",
    handle("ticker", (q) => {
      const ids = q.symbol !== undefined ? [q.symbol] : [...assets.keys()];
      if (q.symbol !== undefined && !assets.has(q.symbol)) return bad(ERRORS.badSymbol);
      const rows: Record<string, unknown>[] = [];
      for (const id of ids) {
        const last = matching.price(id);
        if (last === undefined) {
          if (q.symbol === undefined) continue;
          return bad({
            code: -1000,
            msg: `fake exchange: no price for ${id}; push a bar or trade, or call setPrice()`,
          });
        }
        rows.push(tickerJson(id, last, now()));
      }
      return Response.json(q.symbol !== undefined ? rows[0] : rows);
    }),
  );
  app.get(
    "/api/v3/klines",
    handle("klines", (q) => {
      const symbol = q.symbol ?? "";
      const interval = q.interval ?? "";
      if (![...markets].some((s) => marketId(s) === symbol)) return Response.json(ERRORS.badSymbol, { status: 400 });
      if (!/^[1-9][0-9]*[smhdwM]$/.test(interval)) return Response.json(ERRORS.badInterval, { status: 400 });
      const limit = q.limit === undefined ? 500 : Number(q.limit);
      if (!Number.isInteger(limit) || limit < 1 || limit > 1000) return Response.json(ERRORS.badLimit, { status: 400 });
      const bars = store.get(`${symbol} ${interval}`) ?? [];
      const cut = now();
      const start = q.startTime === undefined ? undefined : Number(q.startTime);
      const tf = timeframeMs(interval);
      let end = q.endTime === undefined ? Infinity : Number(q.endTime);
      if (options.klinesMode === "window" && start !== undefined) end = Math.min(end, start + limit * tf - 1);
      let rows = bars.filter((b) => b.ts <= cut && b.ts <= end && (start === undefined || b.ts >= start));
      // Binance answers the newest `limit` bars when no startTime is given.
      rows = start === undefined ? rows.slice(-limit) : rows.slice(0, limit);
      return Response.json(rows.map((b) => klineRow(b, tf)));
    }),
  );
  app.all("*", (c) => {
    requests.push({
      endpoint: "other",
      method: c.req.method,
      path: c.req.path,
      query: { ...c.req.query() },
      n: 0,
      status: 404,
      at: Date.now(),
    });
    return c.json({ code: -1000, msg: `fake exchange: no route ${c.req.method} ${c.req.path}` }, 404);
  });

  const { server, port, url } = await serveLoopback(app.fetch, { port: options.port ?? 0, signal: closing.signal });
  streams.listen(port);

  return {
    url,
    port,
    requests,
    app,
    requestsTo: (endpoint) => requests.filter((r) => r.endpoint === endpoint),
    injectOnce: (endpoint, fault) => {
      const q = once.get(endpoint) ?? [];
      q.push(fault);
      once.set(endpoint, q);
    },
    setBars,
    bars: (symbol, timeframe) => [...(store.get(key(symbol, timeframe)) ?? [])],
    ws: streams,
    get orders() {
      return matching.orders;
    },
    get fills() {
      return matching.fills;
    },
    get balances() {
      return matching.balances;
    },
    openOrders: (symbol) => matching.open(symbol === undefined ? undefined : marketId(symbol)),
    price: (symbol) => matching.price(marketId(symbol)),
    setPrice: (symbol, price) => matching.onPrice(marketId(symbol), price, price, price),
    setBalance: (asset, free) => matching.setBalance(asset, free),
    fillOrder: (symbol, ref, price) =>
      matching.fillRest(marketId(symbol), { orderId: ref.orderId, origClientOrderId: ref.clientOrderId }, price),
    close: async () => {
      for (const wake of pending) wake();
      await streams.close();
      closing.abort();
      await server.finished;
    },
  };
}

/** `BTC/USDT` -> `BTCUSDT` (Binance spot market id). */
function marketId(symbol: string): string {
  return symbol.replace("/", "").toUpperCase();
}

/** A `GET /api/v3/ticker/24hr` row with `last` as every price: the fake keeps no day of trades or book. */
function tickerJson(id: string, last: number, at: number): Record<string, unknown> {
  const p = round8(last).toFixed(8);
  return {
    symbol: id,
    priceChange: "0.00000000",
    priceChangePercent: "0.000",
    weightedAvgPrice: p,
    prevClosePrice: p,
    lastPrice: p,
    lastQty: "0.00000000",
    bidPrice: p,
    bidQty: "0.00000000",
    askPrice: p,
    askQty: "0.00000000",
    openPrice: p,
    highPrice: p,
    lowPrice: p,
    volume: "0.00000000",
    quoteVolume: "0.00000000",
    openTime: at - 86_400_000,
    closeTime: at,
    firstId: -1,
    lastId: -1,
    count: 0,
  };
}

function klineRow(b: Bar, tf: number): unknown[] {
  const s = (x: number): string => String(x);
  return [
    b.ts,
    s(b.open),
    s(b.high),
    s(b.low),
    s(b.close),
    s(b.volume),
    b.ts + tf - 1,
    s(b.volume * b.close),
    1,
    "0",
    "0",
    "0",
  ];
}

function faultResponse(f: Fault): Response {
  switch (f.kind) {
    case "delay":
    case "lateAck":
    case "fillBeforeCancel":
    case "reject":
      // Unreachable: the handler carries these out itself.
      return Response.json(ERRORS.internal, { status: 500 });
    case "status":
      return new Response(f.body ?? JSON.stringify(ERRORS.internal), {
        status: f.status,
        headers: { "content-type": "application/json", ...f.headers },
      });
    case "rateLimit": {
      const headers: Record<string, string> = { "content-type": "application/json" };
      if (f.retryAfterSec !== undefined) headers["Retry-After"] = String(f.retryAfterSec);
      return new Response(JSON.stringify(ERRORS.tooMany), { status: f.status ?? 429, headers });
    }
    case "malformed": {
      const body = f.body === "not-json"
        ? "<html><body>502 Bad Gateway</body></html>"
        : f.body === "wrong-shape"
        ? JSON.stringify([[1, "2", "3"], [2, "2", "3"]])
        : f.body === "nulls"
        ? JSON.stringify([[0, null, null, null, null, null, 59_999, "0", 0, "0", "0", "0"]])
        : f.body === "truncated"
        ? '[[0,"1.0","2.0","0.5","1.5","3.0",59999,"4.5",1,"0","0","0"],[60000,"1.0'
        : "text" in f
        ? f.text
        : "";
      return new Response(body, { status: 200, headers: { "content-type": "application/json" } });
    }
  }
}

/** Waits `ms`, or less when the fake closes (so shutdown never waits for a scripted delay). */
function sleep(ms: number, closing: AbortSignal, pending: Set<() => void>): Promise<void> {
  return new Promise((resolve) => {
    const done = (): void => {
      clearTimeout(timer);
      closing.removeEventListener("abort", done);
      pending.delete(done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    closing.addEventListener("abort", done);
    pending.add(done);
  });
}

function exchangeInfo(symbols: string[], serverTime: number, filters: FakeFilters): unknown {
  const f8 = (x: number): string => round8(x).toFixed(8);
  return {
    timezone: "UTC",
    serverTime,
    rateLimits: [
      { rateLimitType: "REQUEST_WEIGHT", interval: "MINUTE", intervalNum: 1, limit: 6000 },
      { rateLimitType: "RAW_REQUESTS", interval: "MINUTE", intervalNum: 5, limit: 61000 },
    ],
    exchangeFilters: [],
    symbols: symbols.map((s) => {
      const [base = s, quote = ""] = s.split("/");
      return {
        symbol: marketId(s),
        status: "TRADING",
        baseAsset: base,
        baseAssetPrecision: 8,
        quoteAsset: quote,
        quotePrecision: 8,
        quoteAssetPrecision: 8,
        baseCommissionPrecision: 8,
        quoteCommissionPrecision: 8,
        orderTypes: ["LIMIT", "LIMIT_MAKER", "MARKET", "STOP_LOSS_LIMIT", "TAKE_PROFIT_LIMIT"],
        icebergAllowed: true,
        ocoAllowed: true,
        quoteOrderQtyMarketAllowed: true,
        allowTrailingStop: true,
        cancelReplaceAllowed: true,
        isSpotTradingAllowed: true,
        isMarginTradingAllowed: false,
        filters: [
          { filterType: "PRICE_FILTER", minPrice: "0.00000001", maxPrice: "1000000.00000000", tickSize: "0.00000001" },
          {
            filterType: "LOT_SIZE",
            minQty: f8(filters.minQty),
            maxQty: f8(filters.maxQty),
            stepSize: f8(filters.stepSize),
          },
          {
            filterType: "NOTIONAL",
            minNotional: f8(filters.minNotional),
            applyMinToMarket: true,
            maxNotional: "9000000.00000000",
            applyMaxToMarket: false,
            avgPriceMins: 5,
          },
        ],
        permissions: [],
        permissionSets: [["SPOT"]],
        defaultSelfTradePreventionMode: "EXPIRE_MAKER",
        allowedSelfTradePreventionModes: ["EXPIRE_TAKER", "EXPIRE_MAKER", "EXPIRE_BOTH"],
      };
    }),
  };
}
