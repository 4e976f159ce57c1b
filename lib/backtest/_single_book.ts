import type { BacktestOptions } from "./backtest_options.ts";
import { buyMultiplier, entryUnits, sellMultiplier, SKIP_CASH, SKIP_LOT } from "./_costs.ts";
import type { SkipCounts } from "./sim_result.ts";
import { OrderLog, R_ENTRY, R_OPEN, TradeLog } from "./_event_log.ts";

/**
 * Account state of a single-asset run. A class with fixed fields keeps property access
 * monomorphic in the bar loop; its methods run only when an order happens.
 */
export class SingleBook {
  cash: number;
  /** Signed units. */
  pos = 0;
  entryIndex = -1;
  entryPrice = 0;
  entryNotional = 0;
  entryFee = 0;
  /** Best price since entry (highest high long, lowest low short), for the trailing stop. */
  best = 0;
  /** First bar on which stops are checked. */
  stopFrom = 0;
  /** Why the last stop check triggered (index into the simulator's reason list). */
  stopReason = 0;
  feesPaid = 0;
  traded = 0;
  readonly orders: OrderLog = new OrderLog();
  readonly trades: TradeLog = new TradeLog();
  readonly skipped: SkipCounts = { minNotional: 0, lotZero: 0, insufficientCash: 0, missingBar: 0 };
  readonly buyMul: number;
  readonly sellMul: number;
  readonly o: BacktestOptions;
  readonly ts: Float64Array;
  readonly fillClose: boolean;

  constructor(o: BacktestOptions, ts: Float64Array) {
    this.o = o;
    this.ts = ts;
    this.cash = o.cash;
    this.buyMul = buyMultiplier(o);
    this.sellMul = sellMultiplier(o);
    this.fillClose = o.fill === "close";
  }

  /** Opens a position of side `dir` (+1 long, -1 short) at reference price `ref` on bar `i`; flat only. */
  open(dir: number, ref: number, i: number): void {
    const o = this.o;
    const price = dir > 0 ? ref * this.buyMul : ref * this.sellMul;
    // Flat, so equity and what may be spent are both the cash.
    const units = entryUnits(o, price, this.cash, this.cash);
    if (units < 0) {
      if (units === SKIP_CASH) this.skipped.insufficientCash++;
      else if (units === SKIP_LOT) this.skipped.lotZero++;
      else this.skipped.minNotional++;
      return;
    }
    const notional = units * price;
    const fee = notional * o.fee + o.fixedFee;
    if (dir > 0) {
      this.cash -= notional + fee;
      this.pos = units;
    } else {
      this.cash += notional - fee;
      this.pos = -units;
    }
    this.entryIndex = i;
    this.entryPrice = price;
    this.entryNotional = notional;
    this.entryFee = fee;
    this.best = price;
    this.stopFrom = this.fillClose ? i + 1 : i;
    this.feesPaid += fee;
    this.traded += notional;
    this.orders.push(i, dir > 0, units, price, fee, R_ENTRY);
  }

  /** Closes the whole position at reference price `ref` (costs applied) on bar `i`; `reason` is an R_* code. */
  close(ref: number, i: number, reason: number): void {
    const o = this.o;
    const long = this.pos > 0;
    const units = long ? this.pos : -this.pos;
    const price = long ? ref * this.sellMul : ref * this.buyMul;
    const notional = units * price;
    const fee = notional * o.fee + o.fixedFee;
    if (long) this.cash += notional - fee;
    else this.cash -= notional + fee;
    this.pos = 0;
    this.feesPaid += fee;
    this.traded += notional;
    this.orders.push(i, !long, units, price, fee, reason);
    const fees = this.entryFee + fee;
    const pnl = (long ? notional - this.entryNotional : this.entryNotional - notional) - fees;
    this.trades.push(
      long,
      this.entryIndex,
      i,
      i,
      this.entryPrice,
      price,
      units,
      pnl,
      pnl / this.entryNotional,
      fees,
      reason,
    );
  }

  /** Reports the open position as an open trade marked at `mark` (no exit costs). */
  markOpen(mark: number, last: number): void {
    const long = this.pos > 0;
    const units = long ? this.pos : -this.pos;
    const value = units * mark;
    const pnl = (long ? value - this.entryNotional : this.entryNotional - value) - this.entryFee;
    const ret = pnl / this.entryNotional;
    this.trades.push(long, this.entryIndex, -1, last, this.entryPrice, mark, units, pnl, ret, this.entryFee, R_OPEN);
  }
}
