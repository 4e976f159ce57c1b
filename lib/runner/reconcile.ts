import type { AuditEvent } from "../audit/mod.ts";
import { exchangeClientId } from "./_client_id.ts";
import type { Broker, BrokerBalance, BrokerOrderStatus, BrokerTrade } from "./broker.ts";

/** What the audit log says about an account's orders and holdings, as reconciliation needs it. */
export interface LogView {
  /**
   * Orders sent (or perhaps sent) with no outcome in the log: `stamp` is the last attempt's stamp (the
   * `order_submitted` event's time), which bounds when the order may still appear at the exchange.
   */
  unresolved: { clientOrderId: string; symbol: string; stamp: number }[];
  /** Orders the log holds as open at the exchange, with the quantity whose fills the log already holds. */
  open: { clientOrderId: string; symbol: string; filled: number }[];
  /** Holdings per asset rebuilt from the log: what the exchange's balances (free + locked) should be. */
  holdings: Record<string, number>;
}

/** What the exchange says, gathered by {@link gatherReconcile} (or by hand, for a pure run of {@link reconcile}). */
export interface ExchangeView {
  /** The lookup by client id of every unresolved and open order of the log: null when the exchange has none. */
  lookups: Record<string, BrokerOrderStatus | null>;
  /** When (our clock) the lookups were sent; the earliest, when they were sent over a while. */
  lookedUpAt: number;
  /** Every open order at the exchange, whoever sent it. */
  openOrders: BrokerOrderStatus[];
  balances: Record<string, BrokerBalance>;
  /** The account's recent executions in the symbols of the log's orders (their fills the log may not hold). */
  trades: BrokerTrade[];
}

/** Options of {@link reconcile}. */
export interface ReconcileOptions {
  /** The broker's {@link Broker.resolveDelayMs}: after `stamp + resolveDelayMs` an order not found never appears. */
  resolveDelayMs: number;
  /** Largest balance difference taken as equal, per asset (absolute). Default 1e-8 (Binance's 8 decimals). */
  tolerance?: number;
}

/** What became of an order the log had no outcome for, or held as open. */
export type OrderResolution =
  | {
    clientOrderId: string;
    /** Where it stands at the exchange. */
    outcome: "open" | "partially_filled" | "filled" | "cancelled" | "expired" | "rejected";
    order: BrokerOrderStatus;
    /** Its executions the log does not hold yet, oldest first: to apply (and log) exactly once. */
    newFills: BrokerTrade[];
  }
  /** Not found after its window closed: it never reached the exchange, so it may be sent again (same client id). */
  | { clientOrderId: string; outcome: "never_arrived"; resolveAfter: number }
  /** Not found, but its window is still open: it may yet appear. Look again after `resolveAfter`; never send it before. */
  | { clientOrderId: string; outcome: "pending"; resolveAfter: number }
  /** The log holds it as open but the exchange has no such order: a mismatch. */
  | { clientOrderId: string; outcome: "missing" };

/** One asset whose exchange balance differs from the log's holdings (after the new fills are counted). */
export interface BalanceMismatch {
  asset: string;
  /** The log's holdings plus the fills found by this reconciliation. */
  expected: number;
  /** The exchange's total (free + locked). */
  actual: number;
  /** `actual - expected`. */
  diff: number;
}

/**
 * The outcome of a reconciliation. `ok` is false when anything does not add up (an open order the log does not
 * know, a balance that differs, an order the log holds as open that the exchange lost): then `tradingState` is
 * `reducing` and `needsAck` is true, and the account must stay `reducing` until an operator acknowledges the
 * report. Nothing here is ever fixed by the reconciliation itself: no synthetic order, no silent adjustment.
 */
export interface ReconcileReport {
  ok: boolean;
  tradingState: "active" | "reducing";
  needsAck: boolean;
  /** The log's unresolved and open orders, each resolved by its lookup. */
  orders: OrderResolution[];
  /** Open orders at the exchange that the log does not know. */
  unknownOpenOrders: BrokerOrderStatus[];
  balanceMismatches: BalanceMismatch[];
  /** One line per finding, for the operator (and an audit event). */
  messages: string[];
}

/**
 * Compares what the audit log says with what the exchange says (pure: inputs in, report out). Unresolved orders
 * are resolved by their lookups with the broker's never-twice rule (not found after `stamp + resolveDelayMs`:
 * never arrived, may be sent again; before: pending); fills the log does not hold yet are listed per order (those
 * beyond the quantity the log already applied) and counted into the expected balances, which are then compared
 * with the exchange's for every asset either side names.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { reconcile } from "./reconcile.ts";
 * const report = reconcile(
 *   { unresolved: [{ clientOrderId: "a-1", symbol: "BTC/USDT", stamp: 0 }], open: [], holdings: { USDT: 1_000 } },
 *   {
 *     lookups: { "a-1": null },
 *     lookedUpAt: 10_000,
 *     openOrders: [],
 *     balances: { USDT: { free: 1_000, locked: 0, total: 1_000 }, BTC: { free: 0.1, locked: 0, total: 0.1 } },
 *     trades: [],
 *   },
 *   { resolveDelayMs: 6_000 },
 * );
 * assert.equal(report.orders[0]?.outcome, "never_arrived"); // may be sent again
 * assert.equal(report.tradingState, "reducing"); // 0.1 BTC the log knows nothing of
 * assert.deepEqual(report.balanceMismatches, [{ asset: "BTC", expected: 0, actual: 0.1, diff: 0.1 }]);
 * ```
 */
export function reconcile(log: LogView, exchange: ExchangeView, options: ReconcileOptions): ReconcileReport {
  const tol = options.tolerance ?? 1e-8;
  if (!(options.resolveDelayMs >= 0)) {
    throw new RangeError(
      `reconcile: resolveDelayMs ${options.resolveDelayMs} must be >= 0 (the broker's resolveDelayMs)`,
    );
  }
  const messages: string[] = [];
  const orders: OrderResolution[] = [];
  const expected: Record<string, number> = { ...log.holdings };
  const known = new Set<string>();
  const tradesOf = (order: BrokerOrderStatus): BrokerTrade[] =>
    exchange.trades
      .filter((t) => t.exchangeOrderId === order.exchangeOrderId && t.symbol === order.symbol)
      .sort((a, b) => a.ts - b.ts || Number(a.id) - Number(b.id));
  const resolve = (clientOrderId: string, applied: number, order: BrokerOrderStatus): void => {
    let skip = applied;
    const newFills: BrokerTrade[] = [];
    for (const t of tradesOf(order)) {
      if (skip > 1e-12) {
        skip -= t.qty;
        continue;
      }
      newFills.push(t);
      addFill(expected, t);
    }
    const got = newFills.reduce((s, t) => s + t.qty, 0);
    if (order.filled - applied - got > tol) {
      messages.push(
        `${clientOrderId}: the exchange reports ${order.filled} filled but only ${applied + got} is in the log and ` +
          "the recent trades; fetch older trades of the order before trading",
      );
    }
    orders.push({ clientOrderId, outcome: outcomeOf(order), order, newFills });
  };

  for (const u of log.unresolved) {
    for (const id of idsOf(u.clientOrderId)) known.add(id);
    const found = exchange.lookups[u.clientOrderId];
    const resolveAfter = u.stamp + options.resolveDelayMs;
    if (found) resolve(u.clientOrderId, 0, found);
    else if (exchange.lookedUpAt >= resolveAfter) {
      orders.push({ clientOrderId: u.clientOrderId, outcome: "never_arrived", resolveAfter });
    } else {
      orders.push({ clientOrderId: u.clientOrderId, outcome: "pending", resolveAfter });
      messages.push(
        `${u.clientOrderId}: not at the exchange yet, but it may still arrive until ${
          new Date(resolveAfter).toISOString()
        }: ` +
          "look again then, and do not send it before",
      );
    }
  }
  for (const o of log.open) {
    for (const id of idsOf(o.clientOrderId)) known.add(id);
    const found = exchange.lookups[o.clientOrderId];
    if (found) resolve(o.clientOrderId, o.filled, found);
    else {
      orders.push({ clientOrderId: o.clientOrderId, outcome: "missing" });
      messages.push(`${o.clientOrderId}: the log holds it as open in ${o.symbol} but the exchange has no such order`);
    }
  }
  const unknownOpenOrders = exchange.openOrders.filter((o) =>
    !known.has(o.clientOrderId) && !known.has(o.exchangeClientId)
  );
  for (const o of unknownOpenOrders) {
    messages.push(
      `open order ${o.exchangeClientId} (exchange id ${o.exchangeOrderId}) ${o.side} ${o.qty} ${o.symbol} is not in ` +
        "the log: cancel it at the exchange or acknowledge it",
    );
  }
  const balanceMismatches: BalanceMismatch[] = [];
  const assets = new Set([...Object.keys(expected), ...Object.keys(exchange.balances)]);
  for (const asset of [...assets].sort()) {
    const want = expected[asset] ?? 0;
    const have = exchange.balances[asset]?.total ?? 0;
    if (Math.abs(have - want) > tol) {
      const diff = round12(have - want);
      balanceMismatches.push({ asset, expected: round12(want), actual: have, diff });
      messages.push(`${asset}: the exchange holds ${have}, the log says ${round12(want)} (difference ${diff})`);
    }
  }
  const missing = orders.some((o) => o.outcome === "missing");
  const ok = unknownOpenOrders.length === 0 && balanceMismatches.length === 0 && !missing;
  if (!ok) {
    messages.push("the account goes to reducing until an operator acknowledges this reconciliation");
  }
  return {
    ok,
    tradingState: ok ? "active" : "reducing",
    needsAck: !ok,
    orders,
    unknownOpenOrders,
    balanceMismatches,
    messages,
  };
}

/** Options of {@link gatherReconcile}. */
export interface GatherReconcileOptions {
  /** Balance tolerance, as {@link ReconcileOptions.tolerance}. */
  tolerance?: number;
  /**
   * Wait for a pending order's window to close and look it up once more, so the report has no `pending` order.
   * Default true.
   */
  wait?: boolean;
}

/**
 * Asks the broker what {@link reconcile} needs (a lookup by client id of every unresolved and open order of the
 * log, waiting out a window that is still open; the open orders; the balances; the recent trades of the orders'
 * symbols) and answers the report. Reads only: it sends, cancels and fixes nothing.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { startFakeExchange } from "../testing/mod.ts";
 * import { CcxtBroker } from "./ccxt_broker.ts";
 * import { gatherReconcile } from "./reconcile.ts";
 * const credentials = { apiKey: "demo-key-2", secret: "demo-secret-2" };
 * const fake = await startFakeExchange({ symbols: ["BTC/USDT"], prices: { "BTC/USDT": 100 }, account: { ...credentials, balances: { USDT: 1_000 } } });
 * const broker = await CcxtBroker.open({ exchange: "binance", apiUrl: fake.url, credentials });
 * try {
 *   // The log sent a-1 and crashed before its outcome; the order had arrived and filled.
 *   await broker.submit({ clientOrderId: "a-1", symbol: "BTC/USDT", side: "buy", type: "market", qty: 0.5 });
 *   const log = { unresolved: [{ clientOrderId: "a-1", symbol: "BTC/USDT", stamp: Date.now() }], open: [], holdings: { USDT: 1_000 } };
 *   const report = await gatherReconcile(broker, log);
 *   assert.equal(report.orders[0]?.outcome, "filled");
 *   assert.equal(report.ok, true); // counting the fill the log did not hold yet, balances agree
 * } finally {
 *   await broker.close();
 *   await fake.close();
 * }
 * ```
 */
export async function gatherReconcile(
  broker: Broker,
  log: LogView,
  options: GatherReconcileOptions = {},
): Promise<ReconcileReport> {
  const first = await gatherOnce(broker, log, options);
  // A resting order that fills between the reads of trades and balances makes them disagree for a moment: a
  // balance mismatch while orders are open is read once more before it is reported.
  if (
    first.balanceMismatches.length === 0 ||
    !first.orders.some((o) => o.outcome === "open" || o.outcome === "partially_filled")
  ) {
    return first;
  }
  return await gatherOnce(broker, log, options);
}

async function gatherOnce(broker: Broker, log: LogView, options: GatherReconcileOptions): Promise<ReconcileReport> {
  const lookups: Record<string, BrokerOrderStatus | null> = {};
  const symbols = new Set<string>();
  let lookedUpAt = Infinity;
  for (const u of log.unresolved) {
    symbols.add(u.symbol);
    let asked = Date.now();
    let found = await broker.lookup(u.symbol, u.clientOrderId);
    const resolveAfter = u.stamp + broker.resolveDelayMs;
    if (found === undefined && asked < resolveAfter && options.wait !== false) {
      await new Promise((r) => setTimeout(r, resolveAfter - Date.now() + 1));
      asked = Date.now();
      found = await broker.lookup(u.symbol, u.clientOrderId);
    }
    lookedUpAt = Math.min(lookedUpAt, found === undefined ? asked : Infinity);
    lookups[u.clientOrderId] = found ?? null;
  }
  for (const o of log.open) {
    symbols.add(o.symbol);
    lookups[o.clientOrderId] = (await broker.lookup(o.symbol, o.clientOrderId)) ?? null;
  }
  if (lookedUpAt === Infinity) lookedUpAt = Date.now();
  const openOrders = await broker.openOrders();
  const balances = await broker.balances();
  const trades: BrokerTrade[] = [];
  for (const s of symbols) trades.push(...await broker.recentTrades(s));
  return reconcile(log, { lookups, lookedUpAt, openOrders, balances, trades }, {
    resolveDelayMs: broker.resolveDelayMs,
    ...(options.tolerance !== undefined ? { tolerance: options.tolerance } : {}),
  });
}

/** A stored audit event, as far as {@link logViewOf} reads it. */
export type LogEvent = AuditEvent extends infer E
  ? E extends AuditEvent ? { kind: E["kind"]; ts: number; payload: E["payload"] } : never
  : never;

/** Options of {@link logViewOf}. */
export interface LogViewOptions {
  /** Holdings before the first event (the account's starting balances), by asset. */
  start: Record<string, number>;
  /**
   * Which asset a fill's fee was taken in, for fills logged without `feeAsset`/`feeAmount` (a fill that has them
   * uses them: the fee as charged, e.g. BNB). Such a fill carries only its fee valued in the quote currency;
   * `received` (default, Binance spot): a buy's fee came out of the base asset (`fee / price` of it), a sell's out
   * of the quote; `quote`: always the quote.
   */
  fees?: "received" | "quote";
}

/**
 * Reads an account's audit events into a {@link LogView}: an `order_submitted` without an outcome is unresolved
 * (its `ts` is the attempt's stamp; a later `order_submitted` of the same id is a later attempt), an
 * `order_acknowledged` or `order_partially_filled` makes it open, and `order_filled`, `order_rejected`,
 * `order_cancelled`, `order_expired` end it. An `order_dry_run` (an unarmed account's order, never sent) ends it
 * too: it is neither unresolved nor open, so it is never looked up at the exchange. Every fill moves the holdings:
 * base by the quantity, quote by its value, and its fee (`feeAmount` of `feeAsset` when the fill has them, else per
 * {@link LogViewOptions.fees}).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { logViewOf } from "./reconcile.ts";
 * const view = logViewOf([
 *   { kind: "order_submitted", ts: 5, payload: { clientOrderId: "a-1", broker: "ccxt:binance" } },
 *   { kind: "order_acknowledged", ts: 6, payload: { clientOrderId: "a-1", exchangeOrderId: "7" } },
 *   { kind: "order_partially_filled", ts: 7, payload: { clientOrderId: "a-1", symbol: "BTC/USDT", side: "buy", qty: 0.5, price: 100, fee: 0.05, ts: 7 } },
 *   { kind: "order_submitted", ts: 9, payload: { clientOrderId: "a-2", broker: "ccxt:binance" } },
 * ], { start: { USDT: 1_000 } });
 * assert.deepEqual(view.open, [{ clientOrderId: "a-1", symbol: "BTC/USDT", filled: 0.5 }]);
 * assert.deepEqual(view.unresolved, [{ clientOrderId: "a-2", symbol: "", stamp: 9 }]);
 * assert.deepEqual(view.holdings, { USDT: 950, BTC: 0.4995 });
 * ```
 */
export function logViewOf(events: Iterable<LogEvent>, options: LogViewOptions): LogView {
  const holdings: Record<string, number> = { ...options.start };
  const symbolOf = new Map<string, string>();
  const state = new Map<string, { status: "unresolved" | "open" | "done"; stamp: number; filled: number }>();
  const received = (options.fees ?? "received") === "received";
  for (const e of events) {
    switch (e.kind) {
      case "order_intent":
        symbolOf.set(e.payload.clientOrderId, e.payload.symbol);
        break;
      case "order_submitted": {
        const s = state.get(e.payload.clientOrderId);
        if (s === undefined) state.set(e.payload.clientOrderId, { status: "unresolved", stamp: e.ts, filled: 0 });
        else if (s.status === "unresolved") s.stamp = Math.max(s.stamp, e.ts);
        break;
      }
      case "order_acknowledged": {
        const s = state.get(e.payload.clientOrderId) ?? { status: "open" as const, stamp: e.ts, filled: 0 };
        if (s.status !== "done") s.status = "open";
        state.set(e.payload.clientOrderId, s);
        break;
      }
      case "order_partially_filled":
      case "order_filled": {
        const f = e.payload;
        symbolOf.set(f.clientOrderId, f.symbol);
        const s = state.get(f.clientOrderId) ?? { status: "open" as const, stamp: e.ts, filled: 0 };
        s.filled = round12(s.filled + f.qty);
        s.status = e.kind === "order_filled" ? "done" : s.status === "done" ? "done" : "open";
        state.set(f.clientOrderId, s);
        const [base = f.symbol, quote = ""] = f.symbol.split("/");
        const sign = f.side === "buy" ? 1 : -1;
        if (f.feeAsset !== undefined && f.feeAmount !== undefined) {
          // The fee as charged beats any guess from the quote-valued `fee` (a BNB fee touches neither side).
          holdings[base] = round12((holdings[base] ?? 0) + sign * f.qty);
          holdings[quote] = round12((holdings[quote] ?? 0) - sign * f.qty * f.price);
          holdings[f.feeAsset] = round12((holdings[f.feeAsset] ?? 0) - f.feeAmount);
          break;
        }
        const baseFee = received && f.side === "buy" && f.price > 0 ? f.fee / f.price : 0;
        holdings[base] = round12((holdings[base] ?? 0) + sign * f.qty - baseFee);
        holdings[quote] = round12((holdings[quote] ?? 0) - sign * f.qty * f.price - (baseFee > 0 ? 0 : f.fee));
        break;
      }
      case "order_rejected":
      case "order_cancelled":
      case "order_expired":
      case "order_dry_run": {
        const s = state.get(e.payload.clientOrderId) ?? { status: "done" as const, stamp: e.ts, filled: 0 };
        s.status = "done";
        state.set(e.payload.clientOrderId, s);
        break;
      }
    }
  }
  const unresolved: LogView["unresolved"] = [];
  const open: LogView["open"] = [];
  for (const [id, s] of state) {
    const symbol = symbolOf.get(id) ?? "";
    if (s.status === "unresolved") unresolved.push({ clientOrderId: id, symbol, stamp: s.stamp });
    else if (s.status === "open") open.push({ clientOrderId: id, symbol, filled: s.filled });
  }
  return { unresolved, open, holdings };
}

function outcomeOf(o: BrokerOrderStatus): Exclude<OrderResolution["outcome"], "never_arrived" | "pending" | "missing"> {
  switch (o.state) {
    case "acknowledged":
      return "open";
    default:
      return o.state;
  }
}

/** The ids an order may go by at the exchange: the runner's, and the stand-in sent when it breaks the rules. */
function idsOf(clientOrderId: string): string[] {
  return [clientOrderId, exchangeClientId(clientOrderId)];
}

function addFill(h: Record<string, number>, t: BrokerTrade): void {
  const [base = t.symbol, quote = ""] = t.symbol.split("/");
  const sign = t.side === "buy" ? 1 : -1;
  h[base] = round12((h[base] ?? 0) + sign * t.qty);
  h[quote] = round12((h[quote] ?? 0) - sign * t.qty * t.price);
  h[t.feeAsset] = round12((h[t.feeAsset] ?? 0) - t.feeAmount);
}

function round12(x: number): number {
  return Math.round(x * 1e12) / 1e12;
}
