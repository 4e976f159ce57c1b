// Building a ccxt exchange for our uses and judging what it answered; shared by downloads and the polling feed.
import type { Exchange } from "ccxt";
import { type Ccxt, MalformedResponse } from "./_retry.ts";

/**
 * Creates a ccxt exchange by id with `enableRateLimit: true` (binance: spot markets only, so a fake or a
 * spot-only proxy is enough), merging `extra` constructor options over those.
 */
export function createExchange(ccxt: Ccxt, idName: string, extra: Record<string, unknown> = {}): Exchange {
  const ctor = (ccxt as unknown as Record<string, unknown>)[idName];
  if (!ccxt.exchanges.includes(idName) || typeof ctor !== "function") {
    throw new RangeError(
      `Unknown exchange ${JSON.stringify(idName)}: use a ccxt exchange id such as binance, kraken, okx or bybit`,
    );
  }
  const base: Record<string, unknown> = { enableRateLimit: true };
  if (idName === "binance") base.options = { fetchMarkets: { types: ["spot"] } };
  const options = { ...base, ...extra };
  if (base.options && extra.options && typeof extra.options === "object") {
    options.options = { ...(base.options as object), ...(extra.options as object) };
  }
  return new (ctor as new (o: Record<string, unknown>) => Exchange)(options);
}

/** Points every REST URL of `ex` at `base` (`http://127.0.0.1:PORT`), keeping paths. */
export function pointAt(ex: Exchange, base: string): void {
  if (!/^https?:\/\/[^/]+$/.test(base)) {
    throw new RangeError(`Invalid apiUrl ${JSON.stringify(base)}: use an origin like http://127.0.0.1:8080 (no path)`);
  }
  const api = ex.urls["api"] as Record<string, unknown> | string;
  if (typeof api === "string") {
    (ex.urls as Record<string, unknown>)["api"] = api.replace(/^https?:\/\/[^/]+/, base);
    return;
  }
  for (const [k, v] of Object.entries(api)) {
    if (typeof v === "string") api[k] = v.replace(/^https?:\/\/[^/]+/, base);
  }
}

/**
 * Throws {@link MalformedResponse} when the page cannot be trusted as a whole: a body that is not JSON, or (for
 * exchanges answering a JSON array, like Binance) a raw row ccxt cannot parse into a valid candle, or a candle
 * that is not valid. Downloads retry such a page rather than store part of it.
 */
export function validatePage(ex: Exchange, market: unknown, rows: unknown[], tf: number, timeframe: string): void {
  const raw = rawBody(ex);
  const checkAlign = checksAlignment(tf, timeframe);
  if (Array.isArray(raw)) {
    for (const r of raw) {
      const why = candleProblem(parseRaw(ex, market, r), tf, checkAlign);
      if (why) throw new MalformedResponse(`raw row ${JSON.stringify(r).slice(0, 120)}: ${why}`);
    }
  }
  for (const c of rows) {
    const why = candleProblem(c, tf, checkAlign);
    if (why) throw new MalformedResponse(`candle ${JSON.stringify(c).slice(0, 120)}: ${why}`);
  }
}

/**
 * The parsed JSON body of the last response, or undefined when there was none. Throws {@link MalformedResponse}
 * when it is not JSON: ccxt hides such a body (an HTML error page, a truncated answer) as an empty page.
 */
export function rawBody(ex: Exchange): unknown {
  // ccxt keeps the raw body of the last response (enableLastHttpResponse, on by default).
  const body = ex.last_http_response;
  if (typeof body !== "string" || body.trim() === "") return undefined;
  try {
    return JSON.parse(body);
  } catch {
    throw new MalformedResponse(`the body is not JSON: ${JSON.stringify(body.slice(0, 80))}`);
  }
}

/** ccxt's parse of one raw row, or undefined when ccxt throws on it. */
export function parseRaw(ex: Exchange, market: unknown, row: unknown): unknown {
  try {
    return ex.parseOHLCV(row, market as Parameters<Exchange["parseOHLCV"]>[1]);
  } catch {
    return undefined;
  }
}

/** Whether bar times must be multiples of the timeframe (timeframes dividing a day; not weeks, months, years). */
export function checksAlignment(tf: number, timeframe: string): boolean {
  return DAY % tf === 0 && !/[My]$/.test(timeframe);
}

const DAY = 86_400_000;

/**
 * Why `c` is not a valid `[ts, open, high, low, close, volume]` candle (finite numbers, whole-ms time, aligned
 * when `checkAlign`, no negative price or volume, low <= high), or undefined when it is.
 */
export function candleProblem(c: unknown, tf: number, checkAlign: boolean): string | undefined {
  if (!Array.isArray(c) || c.length < 6) return "not [ts, open, high, low, close, volume]";
  for (let i = 0; i < 6; i++) {
    if (typeof c[i] !== "number" || !Number.isFinite(c[i])) return `field ${i} is ${JSON.stringify(c[i])}`;
  }
  const [ts, o, h, l, cl, v] = c as number[];
  if (!Number.isInteger(ts)) return "time is not whole milliseconds";
  if (checkAlign && ts! % tf !== 0) return `time ${ts} is not aligned to the timeframe`;
  if (o! < 0 || h! < 0 || l! < 0 || cl! < 0 || v! < 0) return "negative price or volume";
  if (l! > h!) return "low > high";
  return undefined;
}

/** What to do about a permanent exchange error, for the error message. */
export function hintFor(ccxt: Ccxt, e: unknown, symbol: string, timeframe: string): string {
  if (e instanceof ccxt.BadSymbol) {
    return `Check the symbol ${JSON.stringify(symbol)} (ccxt form like BTC/USDT; futures BTC/USDT:USDT)`;
  }
  if (e instanceof ccxt.AuthenticationError) return "Check the API key and secret";
  if (e instanceof ccxt.NotSupported) return "The exchange does not support this request in ccxt";
  if (e instanceof ccxt.BadRequest) {
    return `Check the symbol ${JSON.stringify(symbol)}, timeframe ${timeframe} and dates`;
  }
  return "Retrying will not help; fix the request";
}
