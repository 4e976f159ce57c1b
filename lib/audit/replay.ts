import { type Fill, fillBaseFee, type Position, type Side, type TradingState } from "../types/mod.ts";
import type { AuditEvent } from "./audit_event.ts";
import { barsOf } from "./bars_of.ts";
import { openOrderOf } from "./open_order_of.ts";
import { checkStartingCash, seedOf } from "./_seed.ts";
import { TradingControl } from "./trading_control.ts";

/** Options of {@link replay}. */
export interface ReplayOptions {
  /** Starting cash when no `run_started` or account `config_change` carries one (overrides them when set). */
  startingCash?: number;
}

/** An order without a final outcome yet (no fill completing it, no rejection, cancellation or denial). */
export interface OpenOrder {
  clientOrderId: string;
  symbol: string;
  side: Side;
  qty: number;
  /** Units filled so far (partial fills). */
  filledQty: number;
  price: number;
  /** `intent`: logged, not yet checked; `approved`: the risk engine passed it; then the broker's steps. */
  status: "intent" | "approved" | "submitted" | "acknowledged" | "partially_filled";
  exchangeOrderId?: string;
  correlationId?: string;
  /** Seq of its `order_intent` event. */
  seq: number;
}

/** Counters the risk engine needs, rebuilt from the events. Days are UTC days of the events' `ts`. */
export interface ReplayCounters {
  /** Orders submitted on the UTC day of the last event. */
  ordersToday: number;
  /** Times (event ts) of the orders submitted in the 24 hours up to the last event, oldest first. */
  recentOrderTs: number[];
  /** Highest equity seen after a bar or a fill (starting cash included). */
  equityPeak: number;
  /** Equity before the first event of the last event's UTC day. */
  dailyStartEquity: number;
  /** Start of the last event's UTC day, epoch ms. */
  dayStart: number;
  /** Time of the last fill per symbol. */
  lastTradeTs: Record<string, number>;
  /** Time (event ts) of the last order submitted per symbol (the symbol comes from its intent). */
  lastOrderTs: Record<string, number>;
  /** Closed trades (back to flat, or flipped) in a row whose P&L net of their fees was negative. */
  consecutiveLosses: number;
}

/** An account rebuilt from its events alone. Money is in the quote currency. */
export interface AccountState {
  /** Cash seeded by the first `run_started` / account `config_change` carrying `startingCash` (0 when none). */
  startingCash: number;
  /**
   * Cash after every fill: buys pay `qty * price + fee`, sells receive `qty * price - fee`; a fee taken in the base
   * asset (`feeAsset` BTC of BTC/USDT) is not paid from cash: it left as units (the position moves by `±qty -
   * feeAmount`).
   */
  cash: number;
  /** Open positions (qty is signed: negative = short), sorted by symbol; flat symbols are left out. */
  positions: Position[];
  /** Last price per symbol: the last `bar` close, else the last fill price. */
  marks: Record<string, number>;
  /** P&L of closed quantity, `(exit - avg entry) * qty * direction`, before fees. */
  realizedPnl: number;
  /** Open positions marked at `marks`, before fees. */
  unrealizedPnl: number;
  /**
   * Fees paid, valued in the quote (each fill's `fee`, in whatever asset it was taken).
   * `equity - startingCash = realizedPnl + unrealizedPnl - fees` (for a fee taken in the base asset, when its `fee`
   * is `feeAmount * price`, as the exchange brokers log it).
   */
  fees: number;
  /** `cash + sum(qty * mark)`. */
  equity: number;
  /** Orders without a final outcome, in intent order. */
  openOrders: OpenOrder[];
  /**
   * `pause` -> reducing, `resume` -> active, `kill` -> halted (a pause does not lift a kill); a `reconciliation`
   * that needs an ack holds the account in `reducing` (at least) until an `operator_ack` names it
   * ({@link TradingControl}).
   */
  tradingState: TradingState;
  /** Seqs of `reconciliation` events still waiting for an `operator_ack`, oldest first. */
  unacknowledgedReconciliations: number[];
  counters: ReplayCounters;
  /** Seq and time of the last event replayed (0 when none). */
  lastSeq: number;
  lastTs: number;
  /** Run id of the last `run_started`. */
  runId: string | null;
}

const DAY = 86_400_000;

interface Pos {
  qty: number;
  avg: number;
  /** P&L of the trade now open (realized parts minus its fees), for the consecutive-losses counter. */
  tradePnl: number;
}

/**
 * Rebuilds an account (positions with average prices, cash, realized and unrealized P&L, fees, equity, open orders,
 * trading state and the risk counters) from its audit events alone, in seq order. Each `order_filled` and
 * `order_partially_filled` event is one execution (its own qty, price and fee); `order_filled` is the execution that
 * completes the order. A fill reduces the position first at the average entry price, then opens the rest at the
 * fill price (a flip). Fills apply even when their intent is not in the events (the broker's fill is the fact).
 * `fees` and each trade's P&L count the fill's quote-valued `fee`. A fee the exchange took in the symbol's base asset
 * (`feeAsset` BTC of BTC/USDT, as Binance spot takes a buy's: {@link fillBaseFee}) leaves as units: the position
 * moves by `±qty - feeAmount` and cash by `∓qty * price` only, so after a buy and the exit that sells what is held
 * the account is flat, as at the exchange (and as the live runner's book and lib/runner's `logViewOf`). A fee in the
 * quote or a third asset (BNB) is paid from cash as `fee`. The average entry price is the fill prices weighted by
 * the units each fill added (net of a base fee); the dust rule applies after the fee is taken.
 * `order_expired` ends an order as `order_cancelled` does, and so does `order_dry_run` (what an unarmed account would
 * have sent: nothing reached the exchange, it is not counted as an order of the day). `reconciliation` and
 * `operator_ack` move only the trading state ({@link TradingControl}): a report is never a fill, so positions and
 * cash stay the log's.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { AuditLog, replay } from "./mod.ts";
 * const dataDir = await Deno.makeTempDir();
 * const log = AuditLog.open({ dataDir, account: "paper-1" });
 * log.append({ kind: "run_started", runId: "r1", ts: 0, payload: { mode: "paper", startingCash: 1_000 } });
 * const fill = { clientOrderId: "o1", symbol: "BTC/USDT", qty: 2, fee: 1, ts: 0 };
 * log.append({ kind: "order_filled", runId: "r1", ts: 0, payload: { ...fill, side: "buy", price: 100 } });
 * log.append({ kind: "order_filled", runId: "r1", ts: 1, payload: { ...fill, clientOrderId: "o2", side: "sell", qty: 1, price: 110 } });
 * const s = replay(log.events());
 * assert.deepEqual(s.positions, [{ symbol: "BTC/USDT", qty: 1, avgPrice: 100 }]);
 * assert.equal(s.cash, 1_000 - 201 + 109);
 * assert.equal(s.realizedPnl, 10);
 * assert.equal(s.equity, 908 + 110); // marked at the last fill price: no bar seen
 * log.close();
 * await Deno.remove(dataDir, { recursive: true });
 * ```
 */
export function replay(events: Iterable<AuditEvent>, options: ReplayOptions = {}): AccountState {
  checkStartingCash(options.startingCash);
  let startingCash = options.startingCash ?? 0;
  let seeded = options.startingCash !== undefined;
  let cash = startingCash;
  let realized = 0;
  let fees = 0;
  const control = new TradingControl();
  let runId: string | null = null;
  let lastSeq = 0;
  let lastTs = 0;
  const positions = new Map<string, Pos>();
  const marks = new Map<string, number>();
  // Symbols marked by a bar: a fill then does not move the mark (marks are bar closes once a bar was seen).
  const barSeen = new Set<string>();
  const orders = new Map<string, OpenOrder>();
  const lastTradeTs: Record<string, number> = {};
  const lastOrderTs: Record<string, number> = {};
  let consecutiveLosses = 0;
  let ordersToday = 0;
  let recentOrderTs: number[] = [];
  let dayStart = NaN;
  let dailyStartEquity = startingCash;
  let equityPeak = startingCash;

  const equity = (): number => {
    let e = cash;
    for (const [symbol, p] of positions) e += p.qty * (marks.get(symbol) ?? p.avg);
    return e;
  };

  for (const ev of events) {
    if (ev.seq <= lastSeq) {
      throw new RangeError(`replay: events must be in seq order; seq ${ev.seq} came after ${lastSeq}`);
    }
    lastSeq = ev.seq;
    lastTs = ev.ts;
    const day = Math.floor(ev.ts / DAY) * DAY;
    if (Number.isNaN(dayStart) || day > dayStart) {
      dailyStartEquity = equity();
      ordersToday = 0;
      dayStart = day;
    }
    switch (ev.kind) {
      case "run_started":
      case "config_change": {
        if (ev.kind === "run_started") runId = ev.runId;
        const amount = seeded ? undefined : seedOf(ev);
        if (amount !== undefined) seed(amount);
        break;
      }
      case "bar":
      case "bars":
        for (const b of barsOf(ev)) {
          marks.set(b.symbol, b.close);
          barSeen.add(b.symbol);
        }
        equityPeak = Math.max(equityPeak, equity());
        break;
      case "order_intent":
        orders.set(ev.payload.clientOrderId, openOrderOf(ev));
        break;
      case "risk_verdict": {
        const o = orders.get(ev.payload.clientOrderId);
        if (!ev.payload.ok) orders.delete(ev.payload.clientOrderId);
        else if (o && o.status === "intent") o.status = "approved";
        break;
      }
      case "order_submitted": {
        const o = orders.get(ev.payload.clientOrderId);
        if (o) {
          o.status = "submitted";
          lastOrderTs[o.symbol] = ev.ts;
        }
        ordersToday++;
        recentOrderTs.push(ev.ts);
        break;
      }
      case "order_acknowledged": {
        const o = orders.get(ev.payload.clientOrderId);
        if (o) {
          if (o.status !== "partially_filled") o.status = "acknowledged";
          o.exchangeOrderId = ev.payload.exchangeOrderId;
        }
        break;
      }
      case "order_partially_filled":
      case "order_filled": {
        applyFill(ev.payload);
        const o = orders.get(ev.payload.clientOrderId);
        if (ev.kind === "order_filled") orders.delete(ev.payload.clientOrderId);
        else if (o) {
          o.filledQty += ev.payload.qty;
          o.status = "partially_filled";
        }
        equityPeak = Math.max(equityPeak, equity());
        break;
      }
      case "order_rejected":
      case "order_cancelled":
      case "order_expired":
      case "order_dry_run":
        orders.delete(ev.payload.clientOrderId);
        break;
      case "pause":
      case "resume":
      case "kill":
      case "reconciliation":
      case "operator_ack":
        control.apply(ev);
        break;
    }
  }
  if (recentOrderTs.length && recentOrderTs[0]! <= lastTs - DAY) {
    recentOrderTs = recentOrderTs.filter((t) => t > lastTs - DAY);
  }

  let unrealized = 0;
  const outPositions: Position[] = [];
  for (const [symbol, p] of [...positions].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    if (p.qty === 0) continue;
    unrealized += ((marks.get(symbol) ?? p.avg) - p.avg) * p.qty;
    outPositions.push({ symbol, qty: p.qty, avgPrice: p.avg });
  }
  return {
    startingCash,
    cash,
    positions: outPositions,
    marks: Object.fromEntries(marks),
    realizedPnl: realized,
    unrealizedPnl: unrealized,
    fees,
    equity: equity(),
    openOrders: [...orders.values()],
    tradingState: control.state,
    unacknowledgedReconciliations: [...control.unacknowledged],
    counters: {
      ordersToday,
      recentOrderTs,
      equityPeak,
      dailyStartEquity,
      dayStart: Number.isNaN(dayStart) ? 0 : dayStart,
      lastTradeTs,
      lastOrderTs,
      consecutiveLosses,
    },
    lastSeq,
    lastTs,
    runId,
  };

  function seed(amount: number): void {
    // Before any fill, cash is the starting cash; seeding later keeps the fills' effect.
    cash += amount - startingCash;
    dailyStartEquity += amount - startingCash;
    equityPeak = Math.max(equityPeak + amount - startingCash, equity());
    startingCash = amount;
    seeded = true;
  }

  function applyFill(f: Fill): void {
    const dir = f.side === "buy" ? 1 : -1;
    // A fee taken in the base asset leaves as units, not cash: the position moves by the units the account holds.
    const baseFee = fillBaseFee(f);
    const delta = dir * f.qty - baseFee;
    const moved = Math.abs(delta);
    let p = positions.get(f.symbol);
    if (!p) positions.set(f.symbol, p = { qty: 0, avg: 0, tradePnl: 0 });
    cash -= dir * f.qty * f.price + (baseFee > 0 ? 0 : f.fee);
    fees += f.fee;
    lastTradeTs[f.symbol] = f.ts;
    if (!barSeen.has(f.symbol)) marks.set(f.symbol, f.price);
    const q0 = p.qty;
    if (q0 === 0 || delta === 0 || Math.sign(q0) === Math.sign(delta)) {
      const q1 = q0 + delta;
      // Weighted by the units each fill added, so `equity - startingCash = realized + unrealized - fees` holds.
      if (delta !== 0) p.avg = (Math.abs(q0) * p.avg + moved * f.price) / Math.abs(q1);
      p.qty = q1;
      p.tradePnl -= f.fee;
      return;
    }
    const closed = Math.min(moved, Math.abs(q0));
    const pnl = (f.price - p.avg) * closed * Math.sign(q0);
    realized += pnl;
    const closingFee = f.fee * (closed / moved);
    p.tradePnl += pnl - closingFee;
    const rest = moved - closed;
    let q1 = q0 + delta;
    // Float dust is flat (0.1 + 0.2 - 0.3 must not leave 5.6e-17 units); 1e-9 relative, as lib/risk's recordFill,
    // so the replayed positions equal the risk engine's. After a base fee is taken: 9.99 BTC held, 9.99 sold, flat.
    if (Math.abs(q1) <= 1e-9 * Math.max(Math.abs(q0), moved)) q1 = 0;
    if (q1 === 0 || Math.sign(q1) !== Math.sign(q0)) {
      consecutiveLosses = p.tradePnl < 0 ? consecutiveLosses + 1 : 0;
      p.tradePnl = 0;
    }
    p.qty = q1;
    if (q1 === 0) p.avg = 0;
    else if (rest > 0 && Math.sign(q1) !== Math.sign(q0)) {
      p.avg = f.price;
      p.tradePnl = -(f.fee - closingFee);
    }
  }
}
