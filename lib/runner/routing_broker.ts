import type {
  Broker,
  BrokerBalance,
  BrokerOrderStatus,
  BrokerTrade,
  MarketRules,
  OrderRequest,
  OrderUpdate,
  SubmitOptions,
  SubmitResult,
} from "./broker.ts";

/** One exchange of a {@link RoutingBroker}: its broker and the symbols the account trades there. */
export interface BrokerRoute {
  /** ccxt exchange id (`binance`, `okx`), unique among the routes. */
  exchange: string;
  broker: Broker;
  /** ccxt symbols traded on this exchange; a symbol belongs to one route only. */
  symbols: readonly string[];
}

/** Options of {@link RoutingBroker}. */
export interface RoutingBrokerOptions {
  /** At least one route; exchanges unique, symbols disjoint. */
  routes: readonly BrokerRoute[];
}

/**
 * One account's {@link Broker} over several exchanges: each symbol is traded on exactly one exchange (one market per
 * symbol per account, checked at construction), and every per-symbol call (`submit`, `lookup`, `track`, `cancel`,
 * `recentTrades`, `market`, `openOrders(symbol)`) goes to that exchange's broker. Calls about the whole account
 * gather every broker: `openOrders()`, `poll()` and `pending()` concatenate; `balances()` SUMS each asset across the
 * exchanges, because the account's audit log holds one set of holdings and the reconciliation compares the account's
 * total holdings (say 600 USDT on one exchange plus 400 on another) with the log's, not each exchange on its own.
 * `resolveDelayMs` is the largest of the brokers' (an order is final only once every exchange's window has passed).
 *
 * A `poll` that fails on one exchange keeps the updates the others answered and hands them out first on the next
 * poll (a broker forgets an update once polled, so dropping them would lose fills), then rethrows the error.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import type { Broker } from "./broker.ts";
 * import { RoutingBroker } from "./routing_broker.ts";
 * const stub = (name: string, usdt: number): Broker => ({
 *   name, resolveDelayMs: 0, pending: () => [], poll: async () => [], close: async () => {},
 *   balances: async () => ({ USDT: { free: usdt, locked: 0, total: usdt } }),
 *   openOrders: async () => [], recentTrades: async () => [], lookup: async () => undefined,
 *   track: async () => undefined, cancel: async () => undefined,
 *   submit: async (o) => ({ status: "rejected", clientOrderId: o.clientOrderId, reason: name, attempts: 1 }),
 * });
 * const broker = new RoutingBroker({ routes: [
 *   { exchange: "binance", broker: stub("ccxt:binance", 600), symbols: ["BTC/USDT"] },
 *   { exchange: "okx", broker: stub("ccxt:okx", 400), symbols: ["ETH/USDT"] },
 * ] });
 * assert.equal(broker.name, "route(ccxt:binance,ccxt:okx)");
 * assert.equal(broker.exchangeOf("ETH/USDT"), "okx");
 * assert.equal((await broker.balances()).USDT?.total, 1_000);
 * const r = await broker.submit({ clientOrderId: "c1", symbol: "ETH/USDT", side: "buy", type: "market", qty: 1 });
 * assert.equal(r.status === "rejected" && r.reason, "ccxt:okx");
 * assert.throws(() => new RoutingBroker({ routes: [
 *   { exchange: "binance", broker: stub("a", 0), symbols: ["BTC/USDT"] },
 *   { exchange: "okx", broker: stub("b", 0), symbols: ["BTC/USDT"] },
 * ] }), /one market per symbol/);
 * ```
 */
export class RoutingBroker implements Broker {
  readonly name: string;
  readonly resolveDelayMs: number;
  readonly #routes: readonly BrokerRoute[];
  readonly #bySymbol = new Map<string, BrokerRoute>();
  /** Updates polled from some brokers when another's poll threw: handed out first by the next poll. */
  #carry: OrderUpdate[] = [];

  constructor(options: RoutingBrokerOptions) {
    const routes = options.routes;
    if (routes.length === 0) {
      throw new RangeError("RoutingBroker needs at least one route (an exchange, its broker and its symbols)");
    }
    const exchanges = new Set<string>();
    for (const r of routes) {
      if (exchanges.has(r.exchange)) {
        throw new RangeError(
          `RoutingBroker: exchange ${r.exchange} has two routes: give each exchange one broker with all its symbols`,
        );
      }
      exchanges.add(r.exchange);
      for (const s of r.symbols) {
        const other = this.#bySymbol.get(s);
        if (other !== undefined) {
          throw new RangeError(
            `RoutingBroker: ${s} is routed to ${other.exchange} and ${r.exchange}: one market per symbol per ` +
              "account (trade it on one exchange, or in a second account)",
          );
        }
        this.#bySymbol.set(s, r);
      }
    }
    this.#routes = [...routes];
    const name = `route(${routes.map((r) => r.broker.name).join(",")})`;
    // The name lands in `order_submitted` (64 characters at most): cut it visibly rather than let the log cut it.
    this.name = name.length <= 64 ? name : `${name.slice(0, 62)}…)`;
    this.resolveDelayMs = Math.max(...routes.map((r) => r.broker.resolveDelayMs));
  }

  /** The exchange `symbol` is traded on, or undefined when no route names it. */
  exchangeOf(symbol: string): string | undefined {
    return this.#bySymbol.get(symbol)?.exchange;
  }

  async submit(order: OrderRequest, options?: SubmitOptions): Promise<SubmitResult> {
    return await this.#route(order.symbol).submit(order, options);
  }

  async lookup(symbol: string, clientOrderId: string): Promise<BrokerOrderStatus | undefined> {
    return await this.#route(symbol).lookup(symbol, clientOrderId);
  }

  async track(
    symbol: string,
    clientOrderId: string,
    options?: { appliedQty?: number },
  ): Promise<BrokerOrderStatus | undefined> {
    return await this.#route(symbol).track(symbol, clientOrderId, options);
  }

  async cancel(symbol: string, clientOrderId: string): Promise<BrokerOrderStatus | undefined> {
    return await this.#route(symbol).cancel(symbol, clientOrderId);
  }

  async openOrders(symbol?: string): Promise<BrokerOrderStatus[]> {
    if (symbol !== undefined) return await this.#route(symbol).openOrders(symbol);
    const all = await Promise.all(this.#routes.map((r) => r.broker.openOrders()));
    return all.flat();
  }

  async balances(): Promise<Record<string, BrokerBalance>> {
    const all = await Promise.all(this.#routes.map((r) => r.broker.balances()));
    const sum: Record<string, BrokerBalance> = {};
    for (const one of all) {
      for (const [asset, b] of Object.entries(one)) {
        const s = sum[asset] ??= { free: 0, locked: 0, total: 0 };
        s.free += b.free;
        s.locked += b.locked;
        s.total += b.total;
      }
    }
    return sum;
  }

  async recentTrades(symbol: string, since?: number): Promise<BrokerTrade[]> {
    return await this.#route(symbol).recentTrades(symbol, since);
  }

  async poll(): Promise<OrderUpdate[]> {
    const settled = await Promise.allSettled(this.#routes.map((r) => r.broker.poll()));
    const out = this.#carry;
    this.#carry = [];
    let error: unknown;
    let failed = false;
    for (const s of settled) {
      if (s.status === "fulfilled") out.push(...s.value);
      else if (!failed) {
        failed = true;
        error = s.reason;
      }
    }
    if (failed) {
      this.#carry = out;
      throw error;
    }
    return out;
  }

  pending(): string[] {
    return this.#routes.flatMap((r) => r.broker.pending());
  }

  market(symbol: string): MarketRules | undefined {
    const broker = this.#route(symbol);
    return broker.market?.(symbol);
  }

  async close(): Promise<void> {
    const settled = await Promise.allSettled(this.#routes.map((r) => r.broker.close()));
    for (const s of settled) if (s.status === "rejected") throw s.reason;
  }

  #route(symbol: string): Broker {
    const r = this.#bySymbol.get(symbol);
    if (r === undefined) {
      throw new RangeError(
        `RoutingBroker: no exchange trades ${symbol} (routed: ${[...this.#bySymbol.keys()].join(", ")}): ` +
          "add it to the route of the exchange it was promoted on",
      );
    }
    return r.broker;
  }
}
