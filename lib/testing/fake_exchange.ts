import { type Context, Hono } from "hono";
import type { Frame } from "../frame/mod.ts";
import { type Bar, timeframeMs } from "../types/mod.ts";

/**
 * A fault the fake injects instead of (or before) a normal answer.
 *
 * - `status`: answer with this HTTP status, a JSON error body (or `body`) and `headers`.
 * - `rateLimit`: HTTP 429 (or 418) with `Retry-After: retryAfterSec` (omitted when undefined),
 *   Binance's `{"code":-1003,...}` body.
 * - `delay`: wait `ms` before answering normally (or until the client gives up; use a small ccxt
 *   `timeout` to turn it into a RequestTimeout).
 * - `malformed`: HTTP 200 with a bad body: `not-json` (`<html>...`), `truncated` (JSON cut
 *   off mid-row), `wrong-shape` (rows of 3 fields), `nulls` (null prices), or `text` (literal `text`).
 */
export type Fault =
  | { kind: "status"; status: number; body?: string; headers?: Record<string, string> }
  | { kind: "rateLimit"; retryAfterSec?: number; status?: 429 | 418 }
  | { kind: "delay"; ms: number }
  | { kind: "malformed"; body: "not-json" | "truncated" | "wrong-shape" | "nulls" }
  | { kind: "malformed"; body: "text"; text: string };

/** The endpoints the fake serves, for fault scripts and the request log. */
export type FakeEndpoint = "exchangeInfo" | "klines" | "ping" | "time";

/** One request the fake received. */
export interface FakeRequest {
  endpoint: FakeEndpoint | "other";
  method: string;
  path: string;
  query: Record<string, string>;
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

/** Options for {@link startFakeExchange}. */
export interface FakeExchangeOptions {
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
  /** The Hono app, so other fakes (WebSocket streams) can add routes before requests arrive. */
  readonly app: Hono;
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
 * (symbol, interval, startTime, endTime, limit up to 1000, Binance error codes), `/api/v3/ping`
 * and `/api/v3/time`. Faults are injected by script, by function or one-shot; every request is
 * logged. Use ccxt with `options: { fetchMarkets: { types: ["spot"] } }` so it only asks for spot.
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
  const setBars = (symbol: string, timeframe: string, bars: readonly Bar[] | Frame): void => {
    timeframeMs(timeframe); // validates
    const list = Array.isArray(bars) ? [...bars] : (bars as Frame).toBars();
    list.sort((a, b) => a.ts - b.ts);
    store.set(key(symbol, timeframe), list);
    markets.add(symbol);
  };
  for (const s of options.series ?? []) setBars(s.symbol, s.timeframe, s.bars);

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

  const app = new Hono();
  const handle = (endpoint: FakeEndpoint, answer: (q: Record<string, string>) => Response) => {
    return async (c: Context): Promise<Response> => {
      const query: Record<string, string> = { ...c.req.query() };
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
      requests.push(entry);
      const fault = faultFor(endpoint, n, query);
      let res: Response;
      if (fault) entry.fault = fault.kind;
      if (fault?.kind === "delay") {
        await sleep(fault.ms, closing.signal, pending);
        res = answer(query);
      } else if (fault) res = faultResponse(fault);
      else res = answer(query);
      entry.status = res.status;
      return res;
    };
  };

  app.get("/api/v3/ping", handle("ping", () => Response.json({})));
  app.get("/api/v3/time", handle("time", () => Response.json({ serverTime: now() })));
  app.get("/api/v3/exchangeInfo", handle("exchangeInfo", () => Response.json(exchangeInfo([...markets], now()))));
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

  const { promise: listening, resolve } = Promise.withResolvers<Deno.NetAddr>();
  const server = Deno.serve(
    {
      hostname: "127.0.0.1",
      port: options.port ?? 0,
      signal: closing.signal,
      onListen: (addr) => resolve(addr as Deno.NetAddr),
    },
    app.fetch,
  );
  const addr = await listening;
  const url = `http://127.0.0.1:${addr.port}`;

  return {
    url,
    port: addr.port,
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
    close: async () => {
      for (const wake of pending) wake();
      closing.abort();
      await server.finished;
    },
  };
}

/** `BTC/USDT` -> `BTCUSDT` (Binance spot market id). */
function marketId(symbol: string): string {
  return symbol.replace("/", "").toUpperCase();
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

function faultResponse(f: Exclude<Fault, { kind: "delay" }>): Response {
  switch (f.kind) {
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

function exchangeInfo(symbols: string[], serverTime: number): unknown {
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
          { filterType: "LOT_SIZE", minQty: "0.00001000", maxQty: "9000.00000000", stepSize: "0.00001000" },
          {
            filterType: "NOTIONAL",
            minNotional: "5.00000000",
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
