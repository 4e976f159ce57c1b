import { DatabaseSync, type StatementSync } from "node:sqlite";
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import type { BacktestOptions } from "../backtest/mod.ts";
import { R_REVERSAL, R_SIGNAL, R_STOP_LOSS, REASONS } from "../backtest/_event_log.ts";
import { SingleBook } from "../backtest/_single_book.ts";
import { stopPrice } from "../backtest/_stops.ts";
import { AccountNameSchema, type Side } from "../types/mod.ts";
import type { FeedBar } from "./feed.ts";

/**
 * An order as the simulated broker takes it, in the backtester's terms: close the sleeve's position, or open one of
 * side `dir` sized by the sleeve's sizing option at the fill price (as `SingleBook.open` does), so a paper run fills
 * exactly as the vectorized backtest of the same options.
 */
export interface BrokerOrder {
  clientOrderId: string;
  sleeve: string;
  symbol: string;
  /** `exit` closes the whole position (reason `signal`, `reversal`, or `end` for a flatten); `enter` opens one. */
  action: "exit" | "enter";
  /** +1 long, -1 short (entries). */
  dir: number;
  /** Exit reason: `signal`, `reversal` or `end` (a flatten). */
  reason?: "signal" | "reversal" | "end";
  /** The sleeve's bar index the decision was made on. */
  bar: number;
  /** The decision bar's close: the fill price of `fill: "close"` orders. */
  close: number;
  /** The decision's correlation id, carried to the outcomes. */
  correlationId?: string;
}

/** What became of an order (or a resting stop) at the broker. */
export type BrokerOutcome =
  | {
    kind: "fill";
    clientOrderId: string;
    sleeve: string;
    symbol: string;
    side: Side;
    qty: number;
    price: number;
    fee: number;
    /** The sleeve's bar index of the fill. */
    bar: number;
    /** Why the order traded: `entry`, `signal`, `reversal`, `stop_loss`, `trailing_stop`, `take_profit`, `end`. */
    reason: string;
    /** Net P&L of the trade this fill closed (fees of both sides included); undefined for entries. */
    pnl?: number;
    /** The order's decision (absent for a resting stop's fill). */
    correlationId?: string;
  }
  | { kind: "rejected"; clientOrderId: string; sleeve: string; symbol: string; reason: string; correlationId?: string }
  | {
    kind: "cancelled";
    clientOrderId: string;
    sleeve: string;
    symbol: string;
    reason: string;
    correlationId?: string;
  };

/** How {@link SimulatedBroker.submit} treats the order. */
export type SubmitMode =
  /** Send it: recorded durably by client id; an id the broker already holds is adopted, never taken twice. */
  | "send"
  /** Rebuild memory from an order the audit log shows as submitted (no write; the broker must already hold it). */
  | "restore";

/** Options of {@link SimulatedBroker.open}. */
export interface SimulatedBrokerOptions {
  /** The data dir (as the audit log's). */
  dataDir: string;
  account: string;
}

interface Sleeve {
  book: SingleBook;
  o: BacktestOptions;
  symbol: string;
  pending: BrokerOrder[];
  /** Client id of the entry whose position is open (the resting stop's id derives from it). */
  entryId: string;
  stopsOn: boolean;
}

/**
 * The paper broker: fills orders with the backtester's own fill, fee, spread, slippage, lot, sizing and stop model
 * (`SingleBook` and `stopPrice` of `lib/backtest`, one implementation), one book per sleeve (a strategy on a symbol
 * with its own cash), and remembers every order it received in `paper_broker.sqlite` beside the audit log, keyed by
 * client order id, so a restarted runner can ask whether an order arrived before the crash. That store is the
 * broker's side of the wire, as an exchange's order book is: a second `send` of a known id is an adoption, counted,
 * never a second order.
 *
 * Order of events per bar (the backtester's): orders decided on the previous bar fill at this bar's open (exit
 * first, then entry; a missing open rejects them); then stops are checked on this bar's open/high/low (a resting
 * bracket attached to the entry, id `<entry id>-x`). `fill: "close"` orders fill on `submit` at the decision bar's
 * close. Entries the book cannot size (cash, lot, min notional) are rejected with the reason.
 */
export class SimulatedBroker {
  readonly #db: DatabaseSync;
  readonly #insert: StatementSync;
  readonly #get: StatementSync;
  readonly #adopt: StatementSync;
  readonly #sleeves = new Map<string, Sleeve>();

  private constructor(db: DatabaseSync) {
    this.#db = db;
    db.exec(`PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=5000;
      CREATE TABLE IF NOT EXISTS orders (
        client_order_id TEXT PRIMARY KEY, sleeve TEXT NOT NULL, symbol TEXT NOT NULL, action TEXT NOT NULL,
        dir INTEGER NOT NULL, bar INTEGER NOT NULL, received_at INTEGER NOT NULL, adoptions INTEGER NOT NULL DEFAULT 0
      ) STRICT;`);
    this.#insert = db.prepare(
      "INSERT INTO orders (client_order_id, sleeve, symbol, action, dir, bar, received_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
    );
    this.#get = db.prepare("SELECT client_order_id FROM orders WHERE client_order_id = ?");
    this.#adopt = db.prepare("UPDATE orders SET adoptions = adoptions + 1 WHERE client_order_id = ?");
  }

  /** Opens (creating when new) the account's broker store. */
  static open(options: SimulatedBrokerOptions): SimulatedBroker {
    const account = AccountNameSchema.parse(options.account);
    const dir = join(options.dataDir, "_accounts", account);
    mkdirSync(dir, { recursive: true });
    return new SimulatedBroker(new DatabaseSync(join(dir, "paper_broker.sqlite")));
  }

  /** Registers a sleeve with its backtest options (fees, costs, sizing, stops, fill timing) and cash. */
  addSleeve(id: string, symbol: string, options: BacktestOptions): void {
    if (this.#sleeves.has(id)) throw new RangeError(`sleeve ${JSON.stringify(id)} is registered twice`);
    this.#sleeves.set(id, {
      book: new SingleBook(options, new Float64Array(0)),
      o: options,
      symbol,
      pending: [],
      entryId: "",
      stopsOn: options.stopLoss !== null || options.takeProfit !== null || options.trailingStop !== null,
    });
  }

  /** The sleeve's book (cash, signed position, entry price): read it, never change it. */
  book(sleeve: string): SingleBook {
    return this.#sleeve(sleeve).book;
  }

  /** Whether the broker holds an order with this client id (the reconciliation lookup). */
  has(clientOrderId: string): boolean {
    return this.#get.get(clientOrderId) !== undefined;
  }

  /** Orders the broker holds, with how often a known id was sent again and adopted (0 for each, always). */
  orders(): { clientOrderId: string; sleeve: string; bar: number; adoptions: number }[] {
    return this.#db.prepare("SELECT client_order_id, sleeve, bar, adoptions FROM orders ORDER BY rowid").all().map((
      r,
    ) => ({
      clientOrderId: String(r.client_order_id),
      sleeve: String(r.sleeve),
      bar: Number(r.bar),
      adoptions: Number(r.adoptions),
    }));
  }

  /**
   * Takes orders. `send`: each unknown id is recorded durably (one transaction for the batch) and a known one is
   * adopted instead; `restore`: memory only. Then close-fill orders fill at their decision bar's close and the others
   * wait for the next bar's open. Returns `sent` (ids recorded now), `adopted` (ids it already held) and outcomes.
   */
  submit(
    orders: readonly BrokerOrder[],
    mode: SubmitMode,
    now: number,
  ): { sent: string[]; adopted: string[]; outcomes: BrokerOutcome[] } {
    const sent: string[] = [], adopted: string[] = [];
    if (mode === "send" && orders.length > 0) {
      this.#db.exec("BEGIN IMMEDIATE");
      try {
        for (const o of orders) {
          if (this.has(o.clientOrderId)) {
            this.#adopt.run(o.clientOrderId);
            adopted.push(o.clientOrderId);
          } else {
            this.#insert.run(o.clientOrderId, o.sleeve, o.symbol, o.action, o.dir, o.bar, now);
            sent.push(o.clientOrderId);
          }
        }
        this.#db.exec("COMMIT");
      } catch (e) {
        this.#db.exec("ROLLBACK");
        throw e;
      }
    }
    const outcomes: BrokerOutcome[] = [];
    // Orders of one bar fill together, exit before entry, as in the backtester's fill step.
    const byClose = orders.filter((o) => this.#sleeve(o.sleeve).o.fill === "close");
    for (const o of orders) if (this.#sleeve(o.sleeve).o.fill !== "close") this.#sleeve(o.sleeve).pending.push(o);
    for (const o of byClose) this.#execute(o, o.close, o.bar, outcomes);
    return { sent, adopted, outcomes };
  }

  /**
   * A closed bar of the sleeve's symbol (`bar` is the sleeve's bar index): fills what waited for this open, then
   * checks the resting stop. Memory only: outcomes follow from the orders and the bars, so a restarted runner gets
   * the same ones by feeding the same orders and bars again.
   */
  onBar(sleeve: string, bar: FeedBar, i: number): BrokerOutcome[] {
    const s = this.#sleeve(sleeve);
    const outcomes: BrokerOutcome[] = [];
    if (s.pending.length > 0) {
      const pending = s.pending;
      s.pending = [];
      const ref = bar.open;
      if (ref !== ref) {
        for (const o of pending) outcomes.push(reject(o, "rejected", "no price: the bar's open is missing"));
      } else {
        for (const o of pending) this.#execute(o, ref, i, outcomes);
      }
    }
    const book = s.book;
    if (s.stopsOn && book.pos !== 0 && i >= book.stopFrom) {
      const o = s.o;
      const ref = stopPrice(book, bar.open, bar.high, bar.low, o.stopLoss ?? 0, o.takeProfit ?? 0, o.trailingStop ?? 0);
      if (ref === ref) {
        const id = `${s.entryId}-x`.slice(0, 64);
        book.close(ref, i, R_STOP_LOSS + book.stopReason);
        outcomes.push(this.#closeFill(sleeve, s, id, i));
      }
    }
    return outcomes;
  }

  /** Orders still waiting for a bar (at the end of a replay: cancelled by the runner). */
  pending(sleeve: string): readonly BrokerOrder[] {
    return this.#sleeve(sleeve).pending;
  }

  /** Drops the sleeve's waiting orders and returns them. */
  cancelPending(sleeve: string): BrokerOrder[] {
    const s = this.#sleeve(sleeve);
    const p = s.pending;
    s.pending = [];
    return p;
  }

  /** Drops one waiting order if it is still waiting (true when it was). */
  cancelOrder(clientOrderId: string): boolean {
    for (const s of this.#sleeves.values()) {
      const k = s.pending.findIndex((o) => o.clientOrderId === clientOrderId);
      if (k >= 0) {
        s.pending.splice(k, 1);
        return true;
      }
    }
    return false;
  }

  close(): void {
    this.#db.close();
  }

  [Symbol.dispose](): void {
    this.close();
  }

  #execute(o: BrokerOrder, ref: number, i: number, outcomes: BrokerOutcome[]): void {
    const s = this.#sleeve(o.sleeve);
    const book = s.book;
    if (ref !== ref) {
      outcomes.push(reject(o, "rejected", "no price: the bar's close is missing"));
      return;
    }
    if (o.action === "exit") {
      if (book.pos === 0) {
        outcomes.push(reject(o, "cancelled", "nothing to close: the position is already flat"));
        return;
      }
      book.close(ref, i, o.reason === "reversal" ? R_REVERSAL : o.reason === "end" ? REASONS.indexOf("end") : R_SIGNAL);
      const fill = this.#closeFill(o.sleeve, s, o.clientOrderId, i);
      if (o.correlationId) fill.correlationId = o.correlationId;
      outcomes.push(fill);
      return;
    }
    if (book.pos !== 0) {
      outcomes.push(reject(o, "cancelled", "a position is already open (no pyramiding)"));
      return;
    }
    const before = { ...book.skipped };
    book.open(o.dir, ref, i);
    if (book.pos === 0) {
      const why = book.skipped.insufficientCash > before.insufficientCash
        ? "insufficient cash for the entry"
        : book.skipped.lotZero > before.lotZero
        ? "the size rounds to zero lots"
        : "the notional is below minNotional";
      outcomes.push(reject(o, "rejected", why));
      return;
    }
    s.entryId = o.clientOrderId;
    const k = book.orders.length - 1;
    outcomes.push({
      kind: "fill",
      clientOrderId: o.clientOrderId,
      sleeve: o.sleeve,
      symbol: s.symbol,
      side: o.dir > 0 ? "buy" : "sell",
      qty: book.orders.size[k]!,
      price: book.orders.price[k]!,
      fee: book.orders.fee[k]!,
      bar: i,
      reason: "entry",
      ...(o.correlationId ? { correlationId: o.correlationId } : {}),
    });
  }

  #closeFill(sleeve: string, s: Sleeve, id: string, i: number): BrokerOutcome {
    const book = s.book;
    const k = book.orders.length - 1, t = book.trades.length - 1;
    return {
      kind: "fill",
      clientOrderId: id,
      sleeve,
      symbol: s.symbol,
      side: book.orders.buy[k] === 1 ? "buy" : "sell",
      qty: book.orders.size[k]!,
      price: book.orders.price[k]!,
      fee: book.orders.fee[k]!,
      bar: i,
      reason: REASONS[book.orders.reason[k]!]!,
      pnl: book.trades.pnl[t]!,
    };
  }

  #sleeve(id: string): Sleeve {
    const s = this.#sleeves.get(id);
    if (s === undefined) throw new RangeError(`unknown sleeve ${JSON.stringify(id)}: register it with addSleeve`);
    return s;
  }
}

function reject(o: BrokerOrder, kind: "rejected" | "cancelled", reason: string): BrokerOutcome {
  return {
    kind,
    clientOrderId: o.clientOrderId,
    sleeve: o.sleeve,
    symbol: o.symbol,
    reason,
    ...(o.correlationId ? { correlationId: o.correlationId } : {}),
  };
}
