import type { Side } from "../types/mod.ts";

/** An order as a live broker takes it: the runner's intent, in exchange terms. */
export interface OrderRequest {
  /**
   * The runner's deterministic client id (the intent's). The broker sends it as the exchange's own client-id
   * parameter (mapped to the exchange's alphabet and length when needed), so a restart can look the order up.
   */
  clientOrderId: string;
  /** ccxt symbol, `BTC/USDT`. */
  symbol: string;
  side: Side;
  type: "market" | "limit";
  /** Base units, positive. */
  qty: number;
  /** Limit price (limit orders only). */
  price?: number;
}

/**
 * Where an order stands at the broker. `acknowledged`: accepted, nothing filled; `partially_filled`: open with some
 * filled; the rest are terminal.
 */
export type OrderState = "acknowledged" | "partially_filled" | "filled" | "rejected" | "cancelled" | "expired";

/** The terminal states: nothing will change any more. */
export const TERMINAL_STATES: ReadonlySet<OrderState> = new Set(["filled", "rejected", "cancelled", "expired"]);

/** An order as the broker last saw it. */
export interface BrokerOrderStatus {
  /** The runner's client id. */
  clientOrderId: string;
  /** The id the exchange got (equal to `clientOrderId` when it fits the exchange's rules). */
  exchangeClientId: string;
  /** The exchange's order id. */
  exchangeOrderId: string;
  symbol: string;
  side: Side;
  type: "market" | "limit";
  /** Ordered base quantity. */
  qty: number;
  /** Filled base quantity so far. */
  filled: number;
  /** Average fill price (0 before a fill). */
  avgPrice: number;
  state: OrderState;
  /** Why it was rejected, cancelled or expired. */
  reason?: string;
  /** Last change (exchange clock, epoch ms; 0 when the exchange did not say). */
  updatedAt: number;
}

/** One execution at the exchange (a row of the account's trades). */
export interface BrokerTrade {
  /** The exchange's trade id. */
  id: string;
  exchangeOrderId: string;
  /** The runner's client id when the broker knows the order, else undefined. */
  clientOrderId?: string;
  symbol: string;
  side: Side;
  /** Base quantity of this execution. */
  qty: number;
  price: number;
  /**
   * The fee valued in the quote currency: a fee taken in the base asset at the fill price, one in a third asset (BNB)
   * at the exchange's price of that asset.
   */
  fee: number;
  /** The asset the exchange took the fee in, and how much of it (Binance: the asset received). */
  feeAsset: string;
  feeAmount: number;
  /** Exchange time, epoch ms. */
  ts: number;
}

/**
 * What happened to a tracked order, in order. Fills come one per execution (`partially_filled` until the order's
 * last, which is `filled`), so a portfolio moves as they come; `cancelled` and `expired` follow the fills that
 * happened before them.
 */
export type OrderUpdate =
  | { kind: "acknowledged"; clientOrderId: string; exchangeOrderId: string; symbol: string; ts: number }
  | {
    kind: "partially_filled" | "filled";
    clientOrderId: string;
    exchangeOrderId: string;
    symbol: string;
    /** The execution (qty, price, fee of this fill only). */
    trade: BrokerTrade;
    /** Cumulative filled quantity after this fill. */
    filled: number;
    ts: number;
  }
  | {
    kind: "rejected" | "cancelled" | "expired";
    clientOrderId: string;
    symbol: string;
    reason: string;
    /** Filled quantity when it ended (0 for a rejection). */
    filled: number;
    ts: number;
  };

/**
 * How a submit ended: `sent` (accepted now), `adopted` (the exchange already held an order with this client id: an
 * earlier attempt arrived), `rejected` (refused: `reason` says why; nothing exists), `not_sent` (every attempt
 * was refused before it could make an order, e.g. rate limits, or provably never arrived: nothing exists, the same
 * order may be sent again later), or `unresolved` (the outcome is still unknown: the order may exist; look it up
 * again after `resolveAfter` and never send it before then).
 */
export type SubmitResult =
  | { status: "sent" | "adopted"; order: BrokerOrderStatus; attempts: number }
  | { status: "rejected" | "not_sent"; clientOrderId: string; reason: string; attempts: number }
  | { status: "unresolved"; clientOrderId: string; reason: string; resolveAfter: number; attempts: number };

/** One attempt to send, as {@link SubmitOptions.beforeAttempt} hears of it. */
export interface SendAttempt {
  clientOrderId: string;
  /** The signed request's timestamp (our clock): the exchange refuses the request after `stamp + recvWindow`. */
  stamp: number;
  /** Until when (our clock) the request may still create the order; after it, a lookup that finds nothing is final. */
  resolveAfter: number;
  /** 1 for the first attempt. */
  n: number;
}

/** Options of {@link Broker.submit}. */
export interface SubmitOptions {
  /**
   * Awaited before each attempt leaves, with its stamp: make it durable (an audit event) so that a restarted runner
   * knows until when the order may still appear. A throw stops the submit before anything is sent.
   */
  beforeAttempt?: (attempt: SendAttempt) => Promise<void> | void;
  /**
   * The durable time (our clock) to stamp the first attempt with, e.g. the intent's log time; default now. A stamp
   * too old to reach the exchange in time is replaced by a fresh one (announced to `beforeAttempt`).
   */
  stamp?: number;
}

/** A balance of one asset. */
export interface BrokerBalance {
  free: number;
  /** Held by open orders. */
  locked: number;
  total: number;
}

/** An exchange's order-size rules for one market, as it announces them (Binance: LOT_SIZE and NOTIONAL filters). */
export interface MarketRules {
  /** Quantities must be whole multiples of it (base units). */
  lotStep?: number;
  /** Smallest quantity (base units). */
  minQty?: number;
  /** Smallest order value (quote units). */
  minNotional?: number;
}

/**
 * What a live runner drives: orders by deterministic client id, their updates, the account's open orders,
 * balances and trades. Every call is async (a network round trip). Outcomes of orders are data (`rejected`
 * results and updates), not exceptions; calls throw only when the broker cannot do its job (bad credentials,
 * the exchange unreachable past the retries), with a message that names what failed and never a credential.
 */
export interface Broker {
  /** A short name for logs and `order_submitted` (`ccxt:binance`, `paper`). */
  readonly name: string;
  /**
   * How long after an attempt's stamp (ms) an order not found by its client id can no longer appear (the
   * exchange's request window plus a clock-skew margin); 0 for a broker that answers synchronously.
   */
  readonly resolveDelayMs: number;
  /**
   * Sends an order once: never twice for one client id, whatever the network did (see the implementation's doc for
   * the rule). The order is tracked; its fills come through {@link Broker.poll}.
   */
  submit(order: OrderRequest, options?: SubmitOptions): Promise<SubmitResult>;
  /** The order with this client id at the exchange, or undefined when the exchange has none. */
  lookup(symbol: string, clientOrderId: string): Promise<BrokerOrderStatus | undefined>;
  /**
   * Tracks an order sent by an earlier process (after a lookup found it), skipping the first `appliedQty` of its
   * fills (those the log already holds), so its later fills come through `poll` exactly once.
   */
  track(
    symbol: string,
    clientOrderId: string,
    options?: { appliedQty?: number },
  ): Promise<BrokerOrderStatus | undefined>;
  /**
   * Cancels the order; answers its final status, which may be `filled` when it filled before the cancel arrived,
   * or undefined when the exchange has no such order.
   */
  cancel(symbol: string, clientOrderId: string): Promise<BrokerOrderStatus | undefined>;
  /** Open orders at the exchange (of `symbol`, else all), whoever sent them. */
  openOrders(symbol?: string): Promise<BrokerOrderStatus[]>;
  /** Non-zero balances by asset. */
  balances(): Promise<Record<string, BrokerBalance>>;
  /** The account's executions in `symbol` since `since` (epoch ms), oldest first. */
  recentTrades(symbol: string, since?: number): Promise<BrokerTrade[]>;
  /** Looks at every tracked order that is not terminal and answers what happened since the last poll, in order. */
  poll(): Promise<OrderUpdate[]>;
  /** Client ids tracked and not yet terminal. */
  pending(): string[];
  /** The market's order-size rules as the exchange announced them (loaded on open), or undefined when unknown. */
  market?(symbol: string): MarketRules | undefined;
  /** Releases connections. */
  close(): Promise<void>;
}
