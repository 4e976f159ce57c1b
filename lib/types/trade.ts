/** Why a position was closed. */
export type ExitReason =
  | "signal"
  | "reversal"
  | "stop_loss"
  | "take_profit"
  | "trailing_stop"
  | "rebalance"
  | "end"
  | "liquidation"
  | "open";

/** One fill the engine made. Prices include spread and slippage; `fee` is the total fee paid on it. */
export interface Order {
  /** Bar index of the fill in the (aligned) frame. */
  index: number;
  /** Fill time, epoch ms (the bar's open time; for `fill: "close"` the bar whose close filled it). */
  ts: number;
  /** Asset symbol (multi-asset runs) or the series symbol. */
  asset: string;
  side: "buy" | "sell";
  /** Units, always positive. */
  size: number;
  price: number;
  fee: number;
  reason: "entry" | ExitReason;
}

/** A round trip (or an open position at the end when `finalize: "open"`). */
export interface Trade {
  asset: string;
  direction: "long" | "short";
  entryIndex: number;
  /** -1 while open. */
  exitIndex: number;
  entryTs: number;
  /** NaN while open. */
  exitTs: number;
  /** Average entry fill price. */
  entryPrice: number;
  /** Exit fill price, or the last close for an open trade (mark). */
  exitPrice: number;
  /** Units, positive. */
  size: number;
  /** Profit and loss net of all fees of this trade, in quote currency. */
  pnl: number;
  /** pnl / (entryPrice * size): net return on the capital put in. */
  return: number;
  /** Fees paid on entry and exit. */
  fees: number;
  /** Bars held (exitIndex - entryIndex, or to the last bar when open). */
  bars: number;
  /** Milliseconds held. */
  durationMs: number;
  exitReason: ExitReason;
}
