import type { ExitReason, Order, Trade } from "../types/mod.ts";
import type { BacktestOptions } from "./backtest_options.ts";
import { buyMultiplier, sellMultiplier } from "./_costs.ts";
import type { SkipCounts } from "./sim_result.ts";

/**
 * Shared-cash account over several assets, state in typed arrays indexed by asset. A trade is a
 * flat-to-flat segment of one asset: its size is the units added, its entry (exit) price the
 * volume-weighted price of the orders that opened or grew (reduced or closed) it.
 */
export class PortfolioBook {
  cash: number;
  readonly units: Float64Array;
  readonly dir: Int8Array;
  readonly entryIndex: Int32Array;
  readonly addUnits: Float64Array;
  readonly addNotional: Float64Array;
  readonly redNotional: Float64Array;
  readonly fees: Float64Array;
  /**
   * Entry price for stops: the fill price of the order that opened the trade, then the
   * volume-weighted fill price of the orders that opened or grew it (kept exact for a trade of
   * one entry order, so a one-asset run stops where simulate stops).
   */
  readonly entryPx: Float64Array;
  /** Best price since the trade opened (highest high long, lowest low short), for trailing stops. */
  readonly best: Float64Array;
  /** First union bar on which the asset's stops are checked (the bar after a close fill's entry). */
  readonly stopFrom: Int32Array;
  feesPaid = 0;
  traded = 0;
  readonly orders: Order[] = [];
  readonly trades: Trade[] = [];
  readonly skipped: SkipCounts = { minNotional: 0, lotZero: 0, insufficientCash: 0, missingBar: 0 };
  readonly buyMul: number;
  readonly sellMul: number;

  constructor(readonly o: BacktestOptions, readonly names: string[], readonly ts: Float64Array) {
    const n = names.length;
    this.cash = o.cash;
    this.units = new Float64Array(n);
    this.dir = new Int8Array(n);
    this.entryIndex = new Int32Array(n).fill(-1);
    this.addUnits = new Float64Array(n);
    this.addNotional = new Float64Array(n);
    this.redNotional = new Float64Array(n);
    this.fees = new Float64Array(n);
    this.entryPx = new Float64Array(n);
    this.best = new Float64Array(n);
    this.stopFrom = new Int32Array(n);
    this.buyMul = buyMultiplier(o);
    this.sellMul = sellMultiplier(o);
  }

  /** Cash + units * (ref where finite, else last close). */
  equity(refs: Float64Array, lastClose: Float64Array): number {
    let e = this.cash;
    for (let a = 0; a < this.units.length; a++) {
      const q = this.units[a]!;
      if (q !== 0) e += q * (refs[a] === refs[a] ? refs[a]! : lastClose[a]!);
    }
    return e;
  }

  /** Sum of |units| * mark: what open positions tie up. */
  gross(refs: Float64Array, lastClose: Float64Array): number {
    let g = 0;
    for (let a = 0; a < this.units.length; a++) {
      const q = this.units[a]!;
      if (q !== 0) g += Math.abs(q) * (refs[a] === refs[a] ? refs[a]! : lastClose[a]!);
    }
    return g;
  }

  /**
   * One fill of `qty` units that does not cross zero (callers split crossings into a close and an
   * open). Orders that grow |position| have reason `entry`; others `reduceReason`.
   */
  order(a: number, qty: number, buy: boolean, ref: number, u: number, reduceReason: ExitReason): void {
    const o = this.o;
    const price = buy ? ref * this.buyMul : ref * this.sellMul;
    const notional = qty * price;
    const fee = notional * o.fee + o.fixedFee;
    if (buy) this.cash -= notional + fee;
    else this.cash += notional - fee;
    this.feesPaid += fee;
    this.traded += notional;
    const cur = this.units[a]!;
    const growing = cur === 0 || (cur > 0) === buy;
    if (cur === 0) {
      this.dir[a] = buy ? 1 : -1;
      this.entryIndex[a] = u;
      this.addUnits[a] = 0;
      this.addNotional[a] = 0;
      this.redNotional[a] = 0;
      this.fees[a] = 0;
      // As in simulate: the trailing stop starts at the entry fill price; a close fill's entry
      // bar has passed its high and low already, so stops start on the next bar.
      this.best[a] = price;
      this.stopFrom[a] = o.fill === "close" ? u + 1 : u;
    }
    this.fees[a] = this.fees[a]! + fee;
    if (growing) {
      this.units[a] = cur + (buy ? qty : -qty);
      this.addUnits[a] = this.addUnits[a]! + qty;
      this.addNotional[a] = this.addNotional[a]! + notional;
      this.entryPx[a] = cur === 0 ? price : this.addNotional[a]! / this.addUnits[a]!;
    } else {
      this.units[a] = qty === Math.abs(cur) ? 0 : cur + (buy ? qty : -qty);
      this.redNotional[a] = this.redNotional[a]! + notional;
    }
    this.orders.push({
      index: u,
      ts: this.ts[u]!,
      asset: this.names[a]!,
      side: buy ? "buy" : "sell",
      size: qty,
      price,
      fee,
      reason: growing ? "entry" : reduceReason,
    });
    if (this.units[a] === 0) this.pushTrade(a, this.redNotional[a]!, u, this.ts[u]!, u, reduceReason);
  }

  /** Closes asset `a` fully at reference price `ref`. */
  closeAll(a: number, ref: number, u: number, reason: ExitReason): void {
    const q = this.units[a]!;
    if (q !== 0) this.order(a, Math.abs(q), q < 0, ref, u, reason);
  }

  /** Reports asset `a`'s open position as an open trade marked at `mark` (no exit costs). */
  markOpen(a: number, mark: number, last: number): void {
    const value = this.redNotional[a]! + Math.abs(this.units[a]!) * mark;
    this.pushTrade(a, value, -1, NaN, last, "open");
  }

  private pushTrade(
    a: number,
    exitValue: number,
    exitIndex: number,
    exitTs: number,
    endIndex: number,
    exitReason: ExitReason,
  ): void {
    const long = this.dir[a]! > 0;
    const size = this.addUnits[a]!, cost = this.addNotional[a]!, fees = this.fees[a]!;
    const pnl = (long ? exitValue - cost : cost - exitValue) - fees;
    const e = this.entryIndex[a]!;
    this.trades.push({
      asset: this.names[a]!,
      direction: long ? "long" : "short",
      entryIndex: e,
      exitIndex,
      entryTs: this.ts[e]!,
      exitTs,
      entryPrice: cost / size,
      exitPrice: exitValue / size,
      size,
      pnl,
      return: pnl / cost,
      fees,
      bars: endIndex - e,
      durationMs: this.ts[endIndex]! - this.ts[e]!,
      exitReason,
    });
  }
}
