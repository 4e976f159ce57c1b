// The figures /metrics shows of an account (cash, equity, drawdown, daily P&L, open orders, trading state), folded
// event by event so a scrape reads only the events appended since the last one. The arithmetic is lib/audit's
// `replay`, step for step and in the same order (so the figures are equal to the last bit; tested against it):
// replay is one pass to the end and cannot resume, and re-reading a 100k-event log costs seconds.
import { type AuditEvent, barsOf, TradingControl } from "../audit/mod.ts";
import { type Fill, fillBaseFee, type Position, type TradingState } from "../types/mod.ts";

const DAY = 86_400_000;

/** An account folded from its events so far. */
export class AccountFold {
  cash = 0;
  startingCash = 0;
  seeded = false;
  equityPeak = 0;
  dailyStartEquity = 0;
  dayStart = NaN;
  tradingState: TradingState = "active";
  readonly #control = new TradingControl();
  lastSeq = 0;
  lastTs = 0;
  readonly #positions = new Map<string, { qty: number; avg: number }>();
  readonly #marks = new Map<string, number>();
  readonly #barSeen = new Set<string>();
  /** Client ids of orders without a final outcome. */
  readonly #open = new Set<string>();

  /** Cash plus every position at its mark (its average price before any mark). */
  equity(): number {
    let e = this.cash;
    for (const [symbol, p] of this.#positions) e += p.qty * (this.#marks.get(symbol) ?? p.avg);
    return e;
  }

  /** Open positions sorted by symbol, flat ones left out (replay's `positions`), each with its mark. */
  positions(): (Position & { mark: number })[] {
    const out: (Position & { mark: number })[] = [];
    for (const [symbol, p] of this.#positions) {
      if (p.qty !== 0) out.push({ symbol, qty: p.qty, avgPrice: p.avg, mark: this.#marks.get(symbol) ?? p.avg });
    }
    return out.sort((a, b) => (a.symbol < b.symbol ? -1 : a.symbol > b.symbol ? 1 : 0));
  }

  get openOrders(): number {
    return this.#open.size;
  }

  /** Seqs of the `reconciliation` events waiting for an `operator_ack`, oldest first (replay's list). */
  get waitingReconciliations(): readonly number[] {
    return this.#control.unacknowledged;
  }

  /** Folds the next event (seq order, as `replay`). */
  apply(ev: AuditEvent): void {
    if (ev.seq <= this.lastSeq) throw new RangeError(`fold: seq ${ev.seq} came after ${this.lastSeq}`);
    this.lastSeq = ev.seq;
    this.lastTs = ev.ts;
    const day = Math.floor(ev.ts / DAY) * DAY;
    if (Number.isNaN(this.dayStart) || day > this.dayStart) {
      this.dailyStartEquity = this.equity();
      this.dayStart = day;
    }
    switch (ev.kind) {
      case "run_started":
      case "config_change": {
        const amount = this.seeded ? undefined : seedOf(ev);
        if (amount !== undefined) {
          this.cash += amount - this.startingCash;
          this.dailyStartEquity += amount - this.startingCash;
          this.equityPeak = Math.max(this.equityPeak + amount - this.startingCash, this.equity());
          this.startingCash = amount;
          this.seeded = true;
        }
        return;
      }
      case "bar":
      case "bars":
        for (const b of barsOf(ev)) {
          this.#marks.set(b.symbol, b.close);
          this.#barSeen.add(b.symbol);
        }
        this.equityPeak = Math.max(this.equityPeak, this.equity());
        return;
      case "order_intent":
        this.#open.add(ev.payload.clientOrderId);
        return;
      case "risk_verdict":
        if (!ev.payload.ok) this.#open.delete(ev.payload.clientOrderId);
        return;
      case "order_partially_filled":
      case "order_filled":
        this.#fill(ev.payload);
        if (ev.kind === "order_filled") this.#open.delete(ev.payload.clientOrderId);
        this.equityPeak = Math.max(this.equityPeak, this.equity());
        return;
      case "order_rejected":
      case "order_cancelled":
      case "order_expired":
      case "order_dry_run":
        this.#open.delete(ev.payload.clientOrderId);
        return;
      case "pause":
      case "resume":
      case "kill":
      case "reconciliation":
      case "operator_ack":
        this.#control.apply(ev);
        this.tradingState = this.#control.state;
        return;
    }
  }

  #fill(f: Fill): void {
    const dir = f.side === "buy" ? 1 : -1;
    // replay's rule: a fee taken in the base asset moves the position, not cash.
    const baseFee = fillBaseFee(f);
    const delta = dir * f.qty - baseFee;
    const moved = Math.abs(delta);
    let p = this.#positions.get(f.symbol);
    if (!p) this.#positions.set(f.symbol, p = { qty: 0, avg: 0 });
    this.cash -= dir * f.qty * f.price + (baseFee > 0 ? 0 : f.fee);
    if (!this.#barSeen.has(f.symbol)) this.#marks.set(f.symbol, f.price);
    const q0 = p.qty;
    if (q0 === 0 || delta === 0 || Math.sign(q0) === Math.sign(delta)) {
      const q1 = q0 + delta;
      if (delta !== 0) p.avg = (Math.abs(q0) * p.avg + moved * f.price) / Math.abs(q1);
      p.qty = q1;
      return;
    }
    const closed = Math.min(moved, Math.abs(q0));
    const rest = moved - closed;
    let q1 = q0 + delta;
    if (Math.abs(q1) <= 1e-9 * Math.max(Math.abs(q0), moved)) q1 = 0;
    p.qty = q1;
    if (q1 === 0) p.avg = 0;
    else if (rest > 0 && Math.sign(q1) !== Math.sign(q0)) p.avg = f.price;
  }
}

/** lib/audit's seed rule: a `run_started` with `startingCash`, or an `account` `config_change` with one in `after`. */
function seedOf(ev: AuditEvent): number | undefined {
  if (ev.kind === "run_started") return ev.payload.startingCash;
  if (ev.kind !== "config_change" || ev.payload.target !== "account") return undefined;
  const after = ev.payload.after as { startingCash?: unknown } | null | undefined;
  return typeof after?.startingCash === "number" ? after.startingCash : undefined;
}
