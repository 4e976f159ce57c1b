import type { Exchange, Order, Trade } from "ccxt";
import { redactSecrets } from "../audit/redact_secrets.ts";
import { createExchange, pointAt } from "../data/_exchange.ts";
import { abortableSleep, backoffMs, type Ccxt, classify, retryAfterMs } from "../data/_retry.ts";
import { ExchangeError, TemporaryExchangeError } from "../types/mod.ts";
import { exchangeClientId } from "./_client_id.ts";
import type {
  Broker,
  BrokerBalance,
  BrokerOrderStatus,
  BrokerTrade,
  MarketRules,
  OrderRequest,
  OrderState,
  OrderUpdate,
  SubmitOptions,
  SubmitResult,
} from "./broker.ts";
import { TERMINAL_STATES } from "./broker.ts";

/** Exchange credentials as the vault hands them out. Held by the broker's ccxt instance only. */
export interface BrokerCredentials {
  apiKey: string;
  secret: string;
}

/** Options of {@link CcxtBroker.open}. */
export interface CcxtBrokerOptions {
  /** ccxt exchange id. The never-twice rule below is Binance's (`timestamp` + `recvWindow` on signed requests). */
  exchange: string;
  /** From the vault; never logged, never in an error or an update. */
  credentials: BrokerCredentials;
  /** Origin to send REST calls to instead of the exchange's (a testnet or the fake): `http://127.0.0.1:8080`. */
  apiUrl?: string;
  /** `recvWindow` sent with each order (ms): how long a request may travel before the exchange refuses it. Default 5000. */
  recvWindowMs?: number;
  /**
   * How far the exchange's clock may run behind ours (ms), added to the deadline after which an order not found by
   * its client id can no longer appear. Default 1000.
   */
  skewMarginMs?: number;
  /** ccxt request timeout (ms). Default 10000. */
  timeoutMs?: number;
  /** Retries of a transient failure (429, 5xx, timeout, connection) per call. Default 4. */
  retries?: number;
  /** Backoff base and cap (ms) between retries, with full jitter. Default 200 and 5000. */
  backoffBaseMs?: number;
  backoffMaxMs?: number;
  /** Attempts to send one order whose earlier attempts provably never arrived. Default 3. */
  maxAttempts?: number;
  /** More ccxt constructor options (merged over the defaults). */
  ccxtOptions?: Record<string, unknown>;
  /** Jitter source, for tests. Default `Math.random`. */
  random?: () => number;
}

interface Track {
  clientOrderId: string;
  exchangeClientId: string;
  symbol: string;
  exchangeOrderId: string;
  acked: boolean;
  seen: Set<string>;
  /** Fills emitted plus fills skipped as already applied. */
  counted: number;
  skip: number;
  done: boolean;
}

const EPS = 1e-9;

/** How long a fee asset's price is reused (ms): the fee is small, and a burst of fills should cost one request. */
const FEE_PRICE_TTL_MS = 60_000;

/** A Deno HTTP client that keeps no idle connection, or undefined outside Deno. */
function noReuseClient(): Deno.HttpClient | undefined {
  const d = (globalThis as { Deno?: typeof Deno }).Deno;
  return typeof d?.createHttpClient === "function" ? d.createHttpClient({ poolMaxIdlePerHost: 0 }) : undefined;
}

type Fetch2 = (path: unknown, api?: unknown, method?: string, ...rest: unknown[]) => Promise<unknown>;

/**
 * Sends order creates and cancels (every request but a GET) past ccxt's client-side throttle; reads keep it.
 *
 * ccxt's `fetch2` reads `enableRateLimit` before its first `await` and then queues behind the reads' token debt
 * (one `fetchBalance` owes 4 x 50 ms on Binance), so it is turned off only for the synchronous start of a
 * mutation's `fetch2`. The broker's own 429/418 handling (a refusal, resent after `Retry-After`) paces creates.
 */
function unthrottleMutations(ex: Exchange): void {
  const x = ex as unknown as { fetch2: Fetch2; enableRateLimit: boolean };
  const fetch2 = x.fetch2;
  x.fetch2 = (path, api, method = "GET", ...rest) => {
    if (method.toUpperCase() === "GET" || !x.enableRateLimit) return fetch2.call(x, path, api, method, ...rest);
    x.enableRateLimit = false;
    try {
      return fetch2.call(x, path, api, method, ...rest);
    } finally {
      x.enableRateLimit = true;
    }
  };
}

/** Sums of decimal quantities drift in binary (0.3 + 0.3 + 0.3); 10 decimals is below any exchange's lot step. */
function round10(x: number): number {
  return Math.round(x * 1e10) / 1e10;
}

/**
 * A {@link Broker} over a ccxt exchange (Binance spot; tested against the fake exchange with the real ccxt).
 *
 * Orders carry the exchange's own client id (`newClientOrderId` through ccxt's `clientOrderId` param: the runner's
 * id, or a deterministic stand-in when it breaks Binance's 36-character alphabet). Each order is tracked to a
 * terminal state by polling `fetchOrder` by client id, and its executions are read from the account's trades, so
 * every partial fill comes once with its own quantity, price and fee. The fee is kept as charged (`feeAsset`,
 * `feeAmount`) and valued in the quote (`fee`): a base-asset fee at the fill price, a fee in a third asset (Binance's
 * BNB) at the exchange's last price of `BNB/USDT` (or the inverse of `USDT/BNB`), read once a minute per asset;
 * an asset the exchange lists no market for is an {@link ExchangeError}, never a guess. Read calls retry 429 (honouring
 * `Retry-After`), 5xx, timeouts and dropped connections with jittered backoff.
 *
 * **Never twice.** A create that fails with an unknown outcome (timeout, 5xx, dropped connection) may still have
 * made the order, so it is never re-sent blindly. Every signed request carries `timestamp` (the attempt's *stamp*)
 * and `recvWindow`, and the exchange refuses it once its clock passes `stamp + recvWindow`. So after
 * `resolveAfter = stamp + recvWindow + skewMargin` (our clock) an order that a lookup by client id does not find
 * can never appear, and only then is the same order sent again, with the same client id and a new stamp. Before
 * that instant the broker looks it up (found: adopted) and waits. A rejection that proves nothing was made (429,
 * -1021 stale timestamp, a filter or balance refusal) is not an unknown outcome. A -2010 "Duplicate order sent."
 * means an earlier attempt is open: adopted. Assumptions: (1) the exchange checks `recvWindow` where the order is
 * accepted (Binance checks it at the API and again at the matching engine; the fake checks it when it carries the
 * request out, so a `delay` fault longer than `recvWindow` makes no order); (2) the exchange's clock lags ours by
 * at most `skewMarginMs` (ccxt's `adjustForTimeDifference` corrects a larger offset; the stamp is sent in the exchange's
 * time); (3) a lookup answered after an order was accepted sees it (Binance's order query is consistent for the
 * account); (4) 429 and 418 answers are refused requests. The stamps are announced to `beforeAttempt` before each
 * send so a runner can make them durable: after a crash, the last logged stamp bounds when the order may appear.
 *
 * **Throttle.** Order creates and cancels bypass ccxt's client-side throttle (`enableRateLimit`); reads keep it.
 * The throttle is one FIFO token bucket for every request, so a create waited behind the reads' debt (a
 * `fetchBalance` alone owes 200 ms on Binance): ~205 ms of a create's latency was spent queued before the request
 * left, all of it slippage on a live signal. A create is rare (a bar's signals) and the exchange
 * paces it itself: a 429/418 is a refusal that made nothing, which `submit` waits out (`Retry-After`, else jittered
 * backoff) and sends again, so no order is lost or doubled by going unthrottled. Reads (the fill polls, the
 * reconciliation's balances and open orders) are the bulk of the request weight and stay throttled so polling
 * never earns a ban. Turning the throttle off for the whole broker was the other choice; it would let a tight poll
 * loop burn the IP's weight and 429 the very creates it is meant to speed up.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { startFakeExchange } from "../testing/mod.ts";
 * import { CcxtBroker } from "./ccxt_broker.ts";
 * const credentials = { apiKey: "demo-key-1", secret: "demo-secret-1" };
 * const fake = await startFakeExchange({ symbols: ["BTC/USDT"], prices: { "BTC/USDT": 100 }, account: { ...credentials, balances: { USDT: 1_000 } } });
 * const broker = await CcxtBroker.open({ exchange: "binance", apiUrl: fake.url, credentials });
 * try {
 *   const r = await broker.submit({ clientOrderId: "demo-1", symbol: "BTC/USDT", side: "buy", type: "market", qty: 0.5 });
 *   assert.equal(r.status, "sent");
 *   const updates = await broker.poll();
 *   assert.deepEqual(updates.map((u) => u.kind), ["acknowledged", "filled"]);
 *   assert.equal((await broker.balances()).BTC?.total, 0.4995); // the fee is taken in BTC
 * } finally {
 *   await broker.close();
 *   await fake.close();
 * }
 * ```
 */
export class CcxtBroker implements Broker {
  readonly name: string;
  readonly #ex: Exchange;
  readonly #ccxt: Ccxt;
  readonly #secrets: string[];
  readonly #recvWindow: number;
  readonly #skew: number;
  readonly #retries: number;
  readonly #base: number;
  readonly #max: number;
  readonly #maxAttempts: number;
  readonly #random: () => number;
  readonly #tracks = new Map<string, Track>();
  /** Exchange client id -> the runner's, for orders this process sent or tracks. */
  readonly #ids = new Map<string, string>();
  /** `${feeAsset}/${quote}` -> its price (a pending read is shared), for fees paid in a third asset. */
  readonly #feePrices = new Map<string, { at: number; price: Promise<number> }>();

  readonly #client: Deno.HttpClient | undefined;

  private constructor(ccxt: Ccxt, ex: Exchange, o: CcxtBrokerOptions, client: Deno.HttpClient | undefined) {
    this.#ccxt = ccxt;
    this.#client = client;
    this.#ex = ex;
    this.name = `ccxt:${o.exchange}`;
    this.#secrets = [o.credentials.apiKey, o.credentials.secret].filter((s) => s.length >= 4);
    this.#recvWindow = o.recvWindowMs ?? 5_000;
    this.#skew = o.skewMarginMs ?? 1_000;
    this.#retries = o.retries ?? 4;
    this.#base = o.backoffBaseMs ?? 200;
    this.#max = o.backoffMaxMs ?? 5_000;
    this.#maxAttempts = o.maxAttempts ?? 3;
    this.#random = o.random ?? Math.random;
  }

  /** Creates the ccxt exchange (pointed at `apiUrl` when given) and loads its markets. */
  static async open(options: CcxtBrokerOptions): Promise<CcxtBroker> {
    const { apiKey, secret } = options.credentials ?? {};
    if (typeof apiKey !== "string" || apiKey === "" || typeof secret !== "string" || secret === "") {
      throw new TypeError(
        "CcxtBroker: credentials must be { apiKey, secret } non-empty strings; get them from the vault",
      );
    }
    const rw = options.recvWindowMs ?? 5_000;
    if (!Number.isInteger(rw) || rw < 100 || rw > 60_000) {
      throw new RangeError(`CcxtBroker: recvWindowMs ${rw} is out of range: use a whole number of ms in [100, 60000]`);
    }
    const skew = options.skewMarginMs ?? 1_000;
    if (!Number.isFinite(skew) || skew < 0) {
      throw new RangeError(`CcxtBroker: skewMarginMs ${skew} must be a non-negative number of ms`);
    }
    const ccxt: Ccxt = (await import("ccxt")).default;
    const extra: Record<string, unknown> = {
      apiKey,
      secret,
      timeout: options.timeoutMs ?? 10_000,
      ...options.ccxtOptions,
    };
    const ex = createExchange(ccxt, options.exchange, extra);
    const mutations = noReuseClient();
    if (mutations !== undefined) {
      // Deno's fetch re-sends a request whose pooled keep-alive connection dropped before the answer, POST included:
      // an order sent twice under one client id, which Binance takes twice once the first has filled. Requests
      // that change state go on a connection of their own (no idle pool), so there is no reuse to retry on.
      (ex as unknown as { fetchImplementation: unknown }).fetchImplementation = (url: string, init: RequestInit) =>
        fetch(url, init.method === "GET" ? init : { ...init, client: mutations } as RequestInit);
    }
    unthrottleMutations(ex);
    // Open orders of every symbol is a heavier request on Binance; a reconciliation asks for it on purpose.
    (ex.options as Record<string, unknown>)["warnOnFetchOpenOrdersWithoutSymbol"] = false;
    if (options.apiUrl !== undefined) pointAt(ex, options.apiUrl);
    const broker = new CcxtBroker(ccxt, ex, options, mutations);
    await broker.#call("loadMarkets", () => ex.loadMarkets());
    return broker;
  }

  /** The never-twice rule's wait (ms) after a stamp: `recvWindow + skewMargin`. */
  get resolveDelayMs(): number {
    return this.#recvWindow + this.#skew;
  }

  async submit(order: OrderRequest, options: SubmitOptions = {}): Promise<SubmitResult> {
    this.#validate(order);
    const xid = exchangeClientId(order.clientOrderId);
    this.#ids.set(xid, order.clientOrderId);
    // Leave room for the request to travel: a stamp older than this is refused on arrival, so it is renewed.
    const sendMargin = Math.min(1_000, this.#recvWindow / 4);
    let stamp = options.stamp ?? Date.now();
    let attempts = 0, refusals = 0;
    let lastReason = "";
    while (attempts < this.#maxAttempts) {
      if (Date.now() > stamp + this.#recvWindow - sendMargin) stamp = Date.now();
      attempts++;
      const resolveAfter = stamp + this.#recvWindow + this.#skew;
      await options.beforeAttempt?.({ clientOrderId: order.clientOrderId, stamp, resolveAfter, n: attempts });
      let outcome: "unknown" | "refused";
      try {
        const params: Record<string, unknown> = {
          clientOrderId: xid,
          timestamp: stamp - this.#timeDifference(),
          recvWindow: this.#recvWindow,
        };
        const o = await this.#ex.createOrder(order.symbol, order.type, order.side, order.qty, order.price, params);
        return { status: "sent", order: this.#startTrack(order.clientOrderId, this.#status(o, order)), attempts };
      } catch (e) {
        const c = this.#ccxt;
        lastReason = this.#message(e);
        if (e instanceof c.DDoSProtection || e instanceof c.RateLimitExceeded || e instanceof c.InvalidNonce) {
          outcome = "refused";
        } else if (e instanceof c.AuthenticationError || e instanceof c.PermissionDenied) {
          throw new ExchangeError(`${this.name}: the exchange refused the credentials (${lastReason}); check the key`);
        } else if (e instanceof c.InvalidOrder && /-2010\b.*Duplicate order/i.test(lastReason)) {
          outcome = "unknown"; // an earlier attempt is open under this id: the lookup below adopts it
        } else if (classify(e, c) === "permanent") {
          return { status: "rejected", clientOrderId: order.clientOrderId, reason: this.#reason(e), attempts };
        } else if (classify(e, c) === "unknown") {
          throw e;
        } else {
          outcome = "unknown";
        }
      }
      if (outcome === "refused") {
        // Nothing was made: wait as the exchange asks, then send again (a fresh stamp if this one grew old).
        attempts--;
        if (++refusals > this.#retries) {
          return { status: "not_sent", clientOrderId: order.clientOrderId, reason: lastReason, attempts };
        }
        await this.#backoff(refusals - 1);
        continue;
      }
      const found = await this.#resolve(order.symbol, xid, resolveAfter);
      if (found === "unknown") {
        return { status: "unresolved", clientOrderId: order.clientOrderId, reason: lastReason, resolveAfter, attempts };
      }
      if (found !== "never") {
        return { status: "adopted", order: this.#startTrack(order.clientOrderId, found), attempts };
      }
      // Past resolveAfter and not found: that attempt can never arrive, so the same order may go again.
    }
    return { status: "not_sent", clientOrderId: order.clientOrderId, reason: lastReason, attempts };
  }

  async lookup(symbol: string, clientOrderId: string): Promise<BrokerOrderStatus | undefined> {
    const xid = exchangeClientId(clientOrderId);
    if (!this.#ids.has(xid)) this.#ids.set(xid, clientOrderId);
    try {
      const o = await this.#call("fetchOrder", () => this.#ex.fetchOrder("", symbol, { clientOrderId: xid }));
      return this.#status(o);
    } catch (e) {
      if (e instanceof this.#ccxt.OrderNotFound) return undefined;
      throw e;
    }
  }

  async track(
    symbol: string,
    clientOrderId: string,
    options: { appliedQty?: number } = {},
  ): Promise<BrokerOrderStatus | undefined> {
    const status = await this.lookup(symbol, clientOrderId);
    if (status === undefined) return undefined;
    this.#startTrack(clientOrderId, status, options.appliedQty ?? 0);
    return status;
  }

  async cancel(symbol: string, clientOrderId: string): Promise<BrokerOrderStatus | undefined> {
    const xid = exchangeClientId(clientOrderId);
    try {
      await this.#call("cancelOrder", () => this.#ex.cancelOrder("", symbol, { clientOrderId: xid }));
    } catch (e) {
      // -2011 "Unknown order sent.": it filled (or was cancelled) before the cancel arrived, or never existed.
      if (!(e instanceof this.#ccxt.OrderNotFound)) throw e;
    }
    return await this.lookup(symbol, clientOrderId);
  }

  async openOrders(symbol?: string): Promise<BrokerOrderStatus[]> {
    const rows = await this.#call("fetchOpenOrders", () => this.#ex.fetchOpenOrders(symbol));
    return rows.map((o) => this.#status(o));
  }

  async balances(): Promise<Record<string, BrokerBalance>> {
    const b = await this.#call("fetchBalance", () => this.#ex.fetchBalance());
    const out: Record<string, BrokerBalance> = {};
    const total = (b.total ?? {}) as unknown as Record<string, number | undefined>;
    const free = (b.free ?? {}) as unknown as Record<string, number | undefined>;
    const used = (b.used ?? {}) as unknown as Record<string, number | undefined>;
    for (const [asset, t] of Object.entries(total)) {
      if (typeof t !== "number" || t === 0) continue;
      out[asset] = { free: free[asset] ?? 0, locked: used[asset] ?? 0, total: t };
    }
    return out;
  }

  async recentTrades(symbol: string, since?: number): Promise<BrokerTrade[]> {
    const rows = await this.#call("fetchMyTrades", () => this.#ex.fetchMyTrades(symbol, since));
    return await this.#trades(rows);
  }

  async poll(): Promise<OrderUpdate[]> {
    const out: OrderUpdate[] = [];
    for (const t of this.#tracks.values()) {
      if (t.done) continue;
      let status: BrokerOrderStatus | undefined;
      try {
        status = await this.lookup(t.symbol, t.clientOrderId);
      } catch (e) {
        // One order's failed look stops nothing: the next poll asks again.
        if (e instanceof TemporaryExchangeError) continue;
        throw e;
      }
      if (status === undefined) continue;
      t.exchangeOrderId = status.exchangeOrderId;
      if (!t.acked) {
        t.acked = true;
        out.push({
          kind: "acknowledged",
          clientOrderId: t.clientOrderId,
          exchangeOrderId: t.exchangeOrderId,
          symbol: t.symbol,
          ts: status.updatedAt,
        });
      }
      if (status.filled > t.counted + EPS) {
        let trades: BrokerTrade[];
        try {
          const rows = await this.#call(
            "fetchMyTrades",
            () => this.#ex.fetchMyTrades(t.symbol, undefined, undefined, { orderId: t.exchangeOrderId }),
          );
          trades = (await this.#trades(rows)).sort((a, b) => a.ts - b.ts || Number(a.id) - Number(b.id));
        } catch (e) {
          // As the status read above: nothing of this order's fills is counted yet, so the next poll reads them again
          // (and the acknowledgement already in `out` is not lost with the rest of this poll).
          if (e instanceof TemporaryExchangeError) continue;
          throw e;
        }
        for (const tr of trades) {
          if (t.seen.has(tr.id)) continue;
          // A fill newer than the status read above waits for the next poll, so the order's last fill is the one
          // that comes as `filled`, after the status that says so.
          if (t.counted + tr.qty > status.filled + EPS) break;
          t.seen.add(tr.id);
          t.counted = round10(t.counted + tr.qty);
          if (t.skip > EPS) {
            t.skip = round10(t.skip - tr.qty);
            continue;
          }
          const last = status.state === "filled" && t.counted >= status.filled - EPS;
          out.push({
            kind: last ? "filled" : "partially_filled",
            clientOrderId: t.clientOrderId,
            exchangeOrderId: t.exchangeOrderId,
            symbol: t.symbol,
            trade: tr,
            filled: t.counted,
            ts: tr.ts,
          });
        }
      }
      if (TERMINAL_STATES.has(status.state) && t.counted >= status.filled - EPS) {
        t.done = true;
        if (status.state !== "filled") {
          out.push({
            kind: status.state as "rejected" | "cancelled" | "expired",
            clientOrderId: t.clientOrderId,
            symbol: t.symbol,
            reason: status.reason ?? status.state,
            filled: status.filled,
            ts: status.updatedAt,
          });
        }
      }
    }
    return out;
  }

  /**
   * The updates of {@link CcxtBroker.poll} as a stream: polls every `intervalMs` (default 250) while orders are
   * pending, until `signal` aborts (then it ends quietly). A poll that fails past its retries ends the stream with
   * that error.
   */
  async *updates(options: { intervalMs?: number; signal?: AbortSignal } = {}): AsyncGenerator<OrderUpdate> {
    const every = options.intervalMs ?? 250;
    while (!options.signal?.aborted) {
      if (this.pending().length > 0) yield* await this.poll();
      try {
        await abortableSleep(every, options.signal);
      } catch {
        return; // aborted
      }
    }
  }

  /**
   * The market's order-size rules from ccxt's loaded markets: the amount precision read as a lot step (a tick size
   * in ccxt's TICK_SIZE mode, Binance's; a number of decimals in DECIMAL_PLACES mode), `limits.amount.min` and
   * `limits.cost.min`. Undefined for a symbol the exchange does not list.
   */
  market(symbol: string): MarketRules | undefined {
    const m = this.#ex.markets?.[symbol];
    if (m === undefined) return undefined;
    const p = m.precision?.amount;
    const mode = (this.#ex as unknown as { precisionMode?: number }).precisionMode;
    // ccxt's precision modes (base/functions/number.js): DECIMAL_PLACES 2, SIGNIFICANT_DIGITS 3, TICK_SIZE 4.
    const lotStep = typeof p !== "number" || !(p > 0) ? undefined : mode === 4 ? p : mode === 2 ? 10 ** -p : undefined;
    const positive = (x: unknown): number | undefined => typeof x === "number" && x > 0 ? x : undefined;
    const rules: MarketRules = {};
    if (lotStep !== undefined) rules.lotStep = lotStep;
    const minQty = positive(m.limits?.amount?.min), minNotional = positive(m.limits?.cost?.min);
    if (minQty !== undefined) rules.minQty = minQty;
    if (minNotional !== undefined) rules.minNotional = minNotional;
    return rules;
  }

  pending(): string[] {
    return [...this.#tracks.values()].filter((t) => !t.done).map((t) => t.clientOrderId);
  }

  async close(): Promise<void> {
    await this.#ex.close();
    this.#client?.close();
  }

  // --- internals --------------------------------------------------------------------------------------------------

  #validate(o: OrderRequest): void {
    if (typeof o.clientOrderId !== "string" || o.clientOrderId === "" || o.clientOrderId.length > 64) {
      throw new RangeError(`clientOrderId ${JSON.stringify(o.clientOrderId)} must be 1 to 64 characters`);
    }
    if (!(this.#ex.markets ?? {})[o.symbol]) {
      throw new RangeError(
        `symbol ${JSON.stringify(o.symbol)} is not a market of ${this.name}: use a ccxt symbol like BTC/USDT`,
      );
    }
    if (!(o.qty > 0) || !Number.isFinite(o.qty)) throw new RangeError(`qty ${o.qty} must be a positive number`);
    if (o.type === "limit" && !(typeof o.price === "number" && o.price > 0 && Number.isFinite(o.price))) {
      throw new RangeError(`a limit order needs a positive price; got ${o.price}`);
    }
  }

  #timeDifference(): number {
    const d = (this.#ex.options as Record<string, unknown>)["timeDifference"];
    return typeof d === "number" ? d : 0;
  }

  /**
   * Looks the order up until `resolveAfter` has passed: found (answers it), provably never made (`never`), or
   * the exchange would not say within the retries (`unknown`).
   */
  async #resolve(symbol: string, xid: string, resolveAfter: number): Promise<BrokerOrderStatus | "never" | "unknown"> {
    for (let round = 0; round < 2 + this.#retries; round++) {
      const asked = Date.now();
      try {
        const o = await this.#call("fetchOrder", () => this.#ex.fetchOrder("", symbol, { clientOrderId: xid }));
        return this.#status(o);
      } catch (e) {
        if (e instanceof TemporaryExchangeError) return "unknown";
        if (!(e instanceof this.#ccxt.OrderNotFound)) throw e;
      }
      // Not found. Final only for a lookup sent after resolveAfter; else wait for it and ask once more.
      if (asked >= resolveAfter) return "never";
      await abortableSleep(resolveAfter - Date.now() + 1);
    }
    return "unknown";
  }

  #startTrack(clientOrderId: string, status: BrokerOrderStatus, appliedQty = 0): BrokerOrderStatus {
    const xid = status.exchangeClientId;
    this.#ids.set(xid, clientOrderId);
    const known = this.#tracks.get(xid);
    const s = { ...status, clientOrderId };
    if (known !== undefined) return s;
    this.#tracks.set(xid, {
      clientOrderId,
      exchangeClientId: xid,
      symbol: status.symbol,
      exchangeOrderId: status.exchangeOrderId,
      acked: false,
      seen: new Set(),
      counted: 0,
      skip: appliedQty,
      done: false,
    });
    return s;
  }

  #status(o: Order, req?: OrderRequest): BrokerOrderStatus {
    const info = (o.info ?? {}) as Record<string, unknown>;
    const xid = String(o.clientOrderId ?? info["clientOrderId"] ?? "");
    const filled = o.filled ?? 0;
    let state: OrderState;
    let reason: string | undefined;
    switch (o.status) {
      case "closed":
        state = "filled";
        break;
      case "canceled":
        state = "cancelled";
        reason = "cancelled at the exchange";
        break;
      case "expired":
        state = "expired";
        reason = `expired at the exchange (${String(info["status"] ?? "EXPIRED")})`;
        break;
      case "rejected":
        state = "rejected";
        reason = `rejected at the exchange (${String(info["status"] ?? "REJECTED")})`;
        break;
      default:
        state = filled > EPS ? "partially_filled" : "acknowledged";
    }
    const avg = o.average ?? (filled > 0 && o.cost ? o.cost / filled : 0);
    return {
      clientOrderId: this.#ids.get(xid) ?? xid,
      exchangeClientId: xid,
      exchangeOrderId: String(o.id),
      symbol: o.symbol ?? req?.symbol ?? "",
      side: (o.side ?? req?.side) === "sell" ? "sell" : "buy",
      type: (o.type ?? req?.type) === "limit" ? "limit" : "market",
      qty: o.amount ?? req?.qty ?? 0,
      filled,
      avgPrice: avg,
      state,
      ...(reason ? { reason } : {}),
      updatedAt: o.lastUpdateTimestamp ?? o.timestamp ?? 0,
    };
  }

  async #trades(rows: Trade[]): Promise<BrokerTrade[]> {
    const byOrder = new Map<string, string>();
    for (const t of this.#tracks.values()) byOrder.set(t.exchangeOrderId, t.clientOrderId);
    const out: BrokerTrade[] = [];
    for (const r of rows) {
      const [base = "", quote = ""] = (r.symbol ?? "").split("/");
      const price = r.price ?? 0;
      const feeAsset = r.fee?.currency ?? quote;
      const feeAmount = r.fee?.cost ?? 0;
      const order = String(r.order ?? "");
      const client = byOrder.get(order);
      const trade: BrokerTrade = {
        id: String(r.id),
        exchangeOrderId: order,
        ...(client !== undefined ? { clientOrderId: client } : {}),
        symbol: r.symbol ?? "",
        side: r.side === "sell" ? "sell" : "buy",
        qty: r.amount ?? 0,
        price,
        fee: feeAmount,
        feeAsset,
        feeAmount,
        ts: r.timestamp ?? 0,
      };
      if (feeAsset === base) trade.fee = feeAmount * price;
      else if (feeAsset !== quote && feeAmount !== 0) trade.fee = feeAmount * await this.#feePrice(trade, quote);
      out.push(trade);
    }
    return out;
  }

  /**
   * The price in `quote` of a fee asset that is neither side of the fill (Binance's BNB): the last price of
   * `${feeAsset}/${quote}`, else 1 / that of `${quote}/${feeAsset}`, read with `fetchTicker` and kept for
   * {@link FEE_PRICE_TTL_MS} so a burst of fills costs one request. An asset with no such market is an error:
   * a fee priced by guess would skew cash, P&L and the risk limits silently.
   */
  #feePrice(t: BrokerTrade, quote: string): Promise<number> {
    const key = `${t.feeAsset}/${quote}`;
    const now = Date.now();
    const hit = this.#feePrices.get(key);
    if (hit !== undefined && now - hit.at < FEE_PRICE_TTL_MS) return hit.price;
    const markets = this.#ex.markets ?? {};
    const inverse = `${quote}/${t.feeAsset}`;
    const symbol = markets[key] !== undefined ? key : markets[inverse] !== undefined ? inverse : undefined;
    if (symbol === undefined) {
      throw new ExchangeError(
        `${this.name}: fill ${t.id} of order ${t.exchangeOrderId} (${t.side} ${t.qty} ${t.symbol}) paid its fee in ` +
          `${t.feeAsset} (${t.feeAmount} ${t.feeAsset}), and the exchange lists neither ${key} nor ${inverse} ` +
          `to value it in ${quote}; turn off paying fees in ${t.feeAsset} on the exchange account (Binance: ` +
          `"Using BNB to pay for fees")`,
      );
    }
    const price = this.#call("fetchTicker", () => this.#ex.fetchTicker(symbol)).then((tk) => {
      const last = tk.last ?? tk.close;
      if (typeof last !== "number" || !(last > 0) || !Number.isFinite(last)) {
        throw new ExchangeError(
          `${this.name}: the ticker of ${symbol} has no last price (${last}) to value fill ${t.id}'s fee of ` +
            `${t.feeAmount} ${t.feeAsset} in ${quote}; turn off paying fees in ${t.feeAsset} on the exchange account`,
        );
      }
      return symbol === key ? last : 1 / last;
    });
    this.#feePrices.set(key, { at: now, price });
    // A failed read is not kept: the next fill asks again.
    price.catch(() => {
      if (this.#feePrices.get(key)?.price === price) this.#feePrices.delete(key);
    });
    return price;
  }

  /** Runs a read (or cancel) with retries of transient failures; errors leave with the credentials redacted. */
  async #call<T>(what: string, fn: () => Promise<T>): Promise<T> {
    for (let attempt = 0;; attempt++) {
      try {
        return await fn();
      } catch (e) {
        const kind = classify(e, this.#ccxt);
        if (e instanceof this.#ccxt.OrderNotFound) throw e; // an answer, for the caller
        if (kind === "unknown") throw e;
        const msg = this.#message(e);
        if (kind === "permanent") {
          if (e instanceof this.#ccxt.AuthenticationError || e instanceof this.#ccxt.PermissionDenied) {
            throw new ExchangeError(
              `${this.name} ${what}: the exchange refused the credentials (${msg}); check the key`,
            );
          }
          throw new ExchangeError(`${this.name} ${what}: ${msg}`);
        }
        if (attempt >= this.#retries) {
          throw new TemporaryExchangeError(
            `${this.name} ${what}: failed ${attempt + 1} times (last: ${msg}); try again later`,
          );
        }
        await this.#backoff(attempt, kind === "rateLimit");
      }
    }
  }

  async #backoff(attempt: number, rateLimit = true): Promise<void> {
    const asked = rateLimit ? retryAfterMs(this.#ex.last_response_headers, Date.now()) : undefined;
    await abortableSleep(asked ?? backoffMs(attempt, this.#base, this.#max, this.#random));
  }

  /** The exchange's own code and message when the last answer carried one (`-2010 Account has ...`), else ccxt's. */
  #reason(e: unknown): string {
    try {
      const body = JSON.parse(String(this.#ex.last_http_response ?? "")) as { code?: unknown; msg?: unknown };
      if (typeof body.code === "number" && typeof body.msg === "string") {
        return redactSecrets(`${body.code} ${body.msg}`.slice(0, 500), this.#secrets);
      }
    } catch {
      // not JSON: ccxt's message says more
    }
    return this.#message(e);
  }

  /** The error's message with every credential redacted (ccxt's messages carry URLs and bodies, never keys; still). */
  #message(e: unknown): string {
    const m = e instanceof Error ? `${e.name}: ${e.message}` : String(e);
    return redactSecrets(m.slice(0, 500), this.#secrets);
  }
}
