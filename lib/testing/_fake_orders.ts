// Binance spot's signed endpoints on top of the matching engine: request authentication (API key header and
// HMAC-SHA256 signature, as `binance.sign()` in ccxt makes them) and the JSON shapes ccxt parses.
import { createHmac } from "node:crypto";
import { type BinanceError, type FakeFill, type FakeOrder, type Matching, ORDER_ERRORS } from "./_fake_matching.ts";

/** How a signed request fared at the door. */
export type FakeAuth =
  | "ok"
  | "no-account"
  | "bad-key"
  | "no-signature"
  | "bad-signature"
  | "no-timestamp"
  | "bad-recv-window"
  | "stale";

/** A request as it arrived, before any parsing that could hide a bad signature. */
export interface RawSigned {
  /** The query string, without `?`. */
  query: string;
  /** The form body (POST), or "". */
  body: string;
  apiKey: string | null;
  /**
   * When the server processes the request (wall clock, epoch ms): the recvWindow check uses it, so a request a
   * `delay` fault held past `timestamp + recvWindow` is refused when it is finally carried out, as Binance's matching
   * engine refuses it (the broker's never-twice rule relies on that).
   */
  at: number;
}

export const AUTH_ERRORS = {
  badKey: { code: -2015, msg: "Invalid API-key, IP, or permissions for action." },
  noSignature: { code: -1102, msg: "Mandatory parameter 'signature' was not sent, was empty/null, or malformed." },
  badSignature: { code: -1022, msg: "Signature for this request is not valid." },
  noTimestamp: { code: -1102, msg: "Mandatory parameter 'timestamp' was not sent, was empty/null, or malformed." },
  stale: { code: -1021, msg: "Timestamp for this request is outside of the recvWindow." },
  badRecvWindow: { code: -1131, msg: "recvWindow must be less than 60000" },
} as const;

/** Binance's default `recvWindow` (ms) when a signed request sends none. */
export const DEFAULT_RECV_WINDOW_MS = 5_000;

/**
 * Checks the key header and the signature over `query + body` with `signature=` taken out (Binance's
 * `totalParams`), and that `timestamp` is within `recvWindow` (default 5000 ms, at most 60000) of `raw.at`, the time
 * the request is processed (wall clock, which is what ccxt stamps with): `timestamp + recvWindow < at` or
 * `timestamp > at + 1000` is -1021. Answers the parameters, or the auth failure with Binance's HTTP status and body.
 */
export function verifySigned(
  raw: RawSigned,
  account: { apiKey: string; secret: string } | undefined,
):
  | { auth: "ok"; params: Record<string, string> }
  | { auth: Exclude<FakeAuth, "ok">; status: number; error: BinanceError } {
  if (account === undefined) {
    return {
      auth: "no-account",
      status: 401,
      error: { code: -2015, msg: `${AUTH_ERRORS.badKey.msg} (the fake has no account: pass options.account)` },
    };
  }
  if (raw.apiKey !== account.apiKey) return { auth: "bad-key", status: 401, error: AUTH_ERRORS.badKey };
  let signature: string | undefined;
  const strip = (s: string): string =>
    s === "" ? s : s.split("&").filter((kv) => {
      if (!kv.startsWith("signature=")) return true;
      signature = kv.slice("signature=".length);
      return false;
    }).join("&");
  const payload = strip(raw.query) + strip(raw.body);
  if (signature === undefined || signature === "") {
    return { auth: "no-signature", status: 400, error: AUTH_ERRORS.noSignature };
  }
  const expected = createHmac("sha256", account.secret).update(payload).digest("hex");
  if (signature.toLowerCase() !== expected) {
    return { auth: "bad-signature", status: 400, error: AUTH_ERRORS.badSignature };
  }
  const params: Record<string, string> = {};
  for (const part of [raw.query, raw.body]) for (const [k, v] of new URLSearchParams(part)) params[k] = v;
  delete params.signature;
  const ts = Number(params.timestamp);
  if (params.timestamp === undefined || !Number.isFinite(ts)) {
    return { auth: "no-timestamp", status: 400, error: AUTH_ERRORS.noTimestamp };
  }
  const recvWindow = params.recvWindow === undefined ? DEFAULT_RECV_WINDOW_MS : Number(params.recvWindow);
  if (!Number.isFinite(recvWindow) || recvWindow <= 0 || recvWindow > 60_000) {
    return { auth: "bad-recv-window", status: 400, error: AUTH_ERRORS.badRecvWindow };
  }
  const now = raw.at;
  if (ts > now + 1_000 || now - ts > recvWindow) return { auth: "stale", status: 400, error: AUTH_ERRORS.stale };
  return { auth: "ok", params };
}

const f8 = (x: number): string => x.toFixed(8);

/** `GET /api/v3/order` and the open-orders rows. */
export function orderJson(o: FakeOrder): Record<string, unknown> {
  return {
    symbol: o.symbol,
    orderId: o.orderId,
    orderListId: -1,
    clientOrderId: o.clientOrderId,
    price: f8(o.price),
    origQty: f8(o.origQty),
    executedQty: f8(o.executedQty),
    cummulativeQuoteQty: f8(o.cummulativeQuoteQty),
    status: o.status,
    timeInForce: o.timeInForce,
    type: o.type,
    side: o.side,
    stopPrice: f8(0),
    icebergQty: f8(0),
    time: o.time,
    updateTime: o.updateTime,
    isWorking: true,
    workingTime: o.time,
    origQuoteOrderQty: f8(o.origQuoteOrderQty),
    selfTradePreventionMode: "NONE",
  };
}

/** `POST /api/v3/order` in the `newOrderRespType` asked for (ACK, RESULT, or FULL, the default ccxt asks for). */
export function newOrderJson(o: FakeOrder, fills: FakeFill[], respType: string | undefined): Record<string, unknown> {
  const ack = {
    symbol: o.symbol,
    orderId: o.orderId,
    orderListId: -1,
    clientOrderId: o.clientOrderId,
    transactTime: o.time,
  };
  if (respType === "ACK") return ack;
  const result = {
    ...ack,
    price: f8(o.price),
    origQty: f8(o.origQty),
    executedQty: f8(o.executedQty),
    origQuoteOrderQty: f8(o.origQuoteOrderQty),
    cummulativeQuoteQty: f8(o.cummulativeQuoteQty),
    status: o.status,
    timeInForce: o.timeInForce,
    type: o.type,
    side: o.side,
    workingTime: o.time,
    selfTradePreventionMode: "NONE",
  };
  if (respType === "RESULT") return result;
  return {
    ...result,
    fills: fills.map((f) => ({
      price: f8(f.price),
      qty: f8(f.qty),
      commission: f8(f.commission),
      commissionAsset: f.commissionAsset,
      tradeId: f.id,
    })),
  };
}

/** `DELETE /api/v3/order`: Binance names the cancel with a new client id and keeps the order's as `origClientOrderId`. */
export function cancelJson(o: FakeOrder, cancelClientId: string, at: number): Record<string, unknown> {
  return {
    symbol: o.symbol,
    origClientOrderId: o.clientOrderId,
    orderId: o.orderId,
    orderListId: -1,
    clientOrderId: cancelClientId,
    transactTime: at,
    price: f8(o.price),
    origQty: f8(o.origQty),
    executedQty: f8(o.executedQty),
    origQuoteOrderQty: f8(o.origQuoteOrderQty),
    cummulativeQuoteQty: f8(o.cummulativeQuoteQty),
    status: o.status,
    timeInForce: o.timeInForce,
    type: o.type,
    side: o.side,
    selfTradePreventionMode: "NONE",
  };
}

/** A `GET /api/v3/myTrades` row. */
export function tradeJson(f: FakeFill): Record<string, unknown> {
  return {
    symbol: f.symbol,
    id: f.id,
    orderId: f.orderId,
    orderListId: -1,
    price: f8(f.price),
    qty: f8(f.qty),
    quoteQty: f8(f.quoteQty),
    commission: f8(f.commission),
    commissionAsset: f.commissionAsset,
    time: f.time,
    isBuyer: f.side === "BUY",
    isMaker: f.isMaker,
    isBestMatch: true,
  };
}

/** `GET /api/v3/account`. */
export function accountJson(m: Matching, makerFee: number, takerFee: number, at: number): Record<string, unknown> {
  const bps = (x: number): number => Math.round(x * 10_000);
  return {
    makerCommission: bps(makerFee),
    takerCommission: bps(takerFee),
    buyerCommission: 0,
    sellerCommission: 0,
    commissionRates: { maker: f8(makerFee), taker: f8(takerFee), buyer: f8(0), seller: f8(0) },
    canTrade: true,
    canWithdraw: true,
    canDeposit: true,
    brokered: false,
    requireSelfTradePrevention: false,
    preventSor: false,
    updateTime: at,
    accountType: "SPOT",
    balances: Object.entries(m.balances).map(([asset, b]) => ({ asset, free: f8(b.free), locked: f8(b.locked) })),
    permissions: ["SPOT"],
    uid: 1,
  };
}

/** Which order a query or cancel names: `orderId` wins over `origClientOrderId`, as on Binance. */
export function orderRef(
  p: Record<string, string>,
): { orderId?: number; origClientOrderId?: string } | BinanceError {
  if (p.orderId !== undefined) return { orderId: Number(p.orderId) };
  if (p.origClientOrderId !== undefined) return { origClientOrderId: p.origClientOrderId };
  return { code: -1102, msg: "Param 'origClientOrderId' or 'orderId' must be sent, but both were empty/null!" };
}

export { ORDER_ERRORS };
