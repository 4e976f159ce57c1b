import type { ExitReason, Order, Trade } from "../types/mod.ts";

/** Order reasons by code (the order of this list is the code). */
export const REASONS = [
  "entry",
  "signal",
  "reversal",
  "stop_loss",
  "trailing_stop",
  "take_profit",
  "rebalance",
  "end",
  "open",
] as const satisfies ReadonlyArray<Order["reason"]>;
// Codes; stop_loss, take_profit and trailing_stop must stay in the stop-check order used by
// simulate.ts (R_STOP_LOSS + 0 stop-loss, + 1 trailing stop, + 2 take-profit).
export const R_ENTRY = 0, R_SIGNAL = 1, R_REVERSAL = 2, R_STOP_LOSS = 3, R_END = 7, R_OPEN = 8;

function grow<T extends Float64Array | Int32Array | Int8Array | Uint8Array>(a: T): T {
  const b = new (a.constructor as new (n: number) => T)(a.length * 2);
  b.set(a);
  return b;
}

/**
 * Orders as growable typed columns: recording one allocates nothing (amortized), so a run with
 * many orders puts no pressure on the garbage collector. Objects are built on demand.
 */
export class OrderLog {
  length = 0;
  index: Int32Array = new Int32Array(64);
  buy: Uint8Array = new Uint8Array(64);
  size: Float64Array = new Float64Array(64);
  price: Float64Array = new Float64Array(64);
  fee: Float64Array = new Float64Array(64);
  reason: Uint8Array = new Uint8Array(64);

  push(index: number, buy: boolean, size: number, price: number, fee: number, reason: number): void {
    const k = this.length;
    if (k === this.index.length) {
      this.index = grow(this.index);
      this.buy = grow(this.buy);
      this.size = grow(this.size);
      this.price = grow(this.price);
      this.fee = grow(this.fee);
      this.reason = grow(this.reason);
    }
    this.index[k] = index;
    this.buy[k] = buy ? 1 : 0;
    this.size[k] = size;
    this.price[k] = price;
    this.fee[k] = fee;
    this.reason[k] = reason;
    this.length = k + 1;
  }

  toOrders(ts: Float64Array, asset: string): Order[] {
    const out: Order[] = [];
    for (let k = 0; k < this.length; k++) {
      const i = this.index[k]!;
      out.push({
        index: i,
        ts: ts[i]!,
        asset,
        side: this.buy[k] ? "buy" : "sell",
        size: this.size[k]!,
        price: this.price[k]!,
        fee: this.fee[k]!,
        reason: REASONS[this.reason[k]!]!,
      });
    }
    return out;
  }
}

/** Trades as growable typed columns; see {@link OrderLog}. */
export class TradeLog {
  length = 0;
  long: Uint8Array = new Uint8Array(64);
  entryIndex: Int32Array = new Int32Array(64);
  /** -1 while open. */
  exitIndex: Int32Array = new Int32Array(64);
  /** Bar the trade is measured to (exit bar, or the last bar when open). */
  endIndex: Int32Array = new Int32Array(64);
  entryPrice: Float64Array = new Float64Array(64);
  exitPrice: Float64Array = new Float64Array(64);
  size: Float64Array = new Float64Array(64);
  pnl: Float64Array = new Float64Array(64);
  ret: Float64Array = new Float64Array(64);
  fees: Float64Array = new Float64Array(64);
  reason: Uint8Array = new Uint8Array(64);

  push(
    long: boolean,
    entryIndex: number,
    exitIndex: number,
    endIndex: number,
    entryPrice: number,
    exitPrice: number,
    size: number,
    pnl: number,
    ret: number,
    fees: number,
    reason: number,
  ): void {
    const k = this.length;
    if (k === this.long.length) {
      this.long = grow(this.long);
      this.entryIndex = grow(this.entryIndex);
      this.exitIndex = grow(this.exitIndex);
      this.endIndex = grow(this.endIndex);
      this.entryPrice = grow(this.entryPrice);
      this.exitPrice = grow(this.exitPrice);
      this.size = grow(this.size);
      this.pnl = grow(this.pnl);
      this.ret = grow(this.ret);
      this.fees = grow(this.fees);
      this.reason = grow(this.reason);
    }
    this.long[k] = long ? 1 : 0;
    this.entryIndex[k] = entryIndex;
    this.exitIndex[k] = exitIndex;
    this.endIndex[k] = endIndex;
    this.entryPrice[k] = entryPrice;
    this.exitPrice[k] = exitPrice;
    this.size[k] = size;
    this.pnl[k] = pnl;
    this.ret[k] = ret;
    this.fees[k] = fees;
    this.reason[k] = reason;
    this.length = k + 1;
  }

  toTrades(ts: Float64Array, asset: string): Trade[] {
    const out: Trade[] = [];
    for (let k = 0; k < this.length; k++) {
      const e = this.entryIndex[k]!, x = this.exitIndex[k]!, end = this.endIndex[k]!;
      out.push({
        asset,
        direction: this.long[k] ? "long" : "short",
        entryIndex: e,
        exitIndex: x,
        entryTs: ts[e]!,
        exitTs: x >= 0 ? ts[x]! : NaN,
        entryPrice: this.entryPrice[k]!,
        exitPrice: this.exitPrice[k]!,
        size: this.size[k]!,
        pnl: this.pnl[k]!,
        return: this.ret[k]!,
        fees: this.fees[k]!,
        bars: end - e,
        durationMs: ts[end]! - ts[e]!,
        exitReason: REASONS[this.reason[k]!] as ExitReason,
      });
    }
    return out;
  }
}
