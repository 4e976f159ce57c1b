import type { AccountName, Position, TradingState } from "../types/mod.ts";
import type { OrderRing } from "./order_ring.ts";

/** A position with the last price it was marked at (a fill or a bar close). */
export interface PositionState extends Position {
  /** Last known price of the symbol (quote currency); values the position for exposure. */
  lastPrice: number;
}

/**
 * Everything the risk rules read, for one account. Made by `createRiskState`, updated by the runner through
 * `recordOrder`, `recordFill`, `recordTradeClosed`, `recordBar` and `markEquity` (which change it in place: they
 * are called per order and per bar, and rebuild it from the audit log on replay), and moved between trading
 * states by `applyVerdict`, `pause`, `resume` and `kill` (which return a new state and leave theirs alone).
 * Snapshots: `riskStateToJSON` / `riskStateFromJSON`.
 */
export interface RiskState {
  account: AccountName;
  /** `active`: everything allowed by the rules; `reducing`: exits only; `halted`: nothing. */
  tradingState: TradingState;
  /** Why the account is not `active` (the verdict's code and detail, or the operator's reason); "" when active. */
  reason: string;
  /** Account equity at the last `markEquity` (quote currency). */
  equity: number;
  /** Cash (quote currency), moved by fills and fees. */
  cash: number;
  /** Highest equity marked so far (the drawdown reference). */
  equityPeak: number;
  /** UTC day number (floor(ms / 86,400,000)) of the last `markEquity`. */
  day: number;
  /** Equity carried into that UTC day: the last mark before its 00:00 (the daily-loss reference). */
  dayStartEquity: number;
  positions: Map<string, PositionState>;
  /** Times of the account's orders (rate limits). */
  orders: OrderRing;
  /** Time of the last order per symbol (minimum interval between trades). */
  lastOrderAt: Map<string, number>;
  /** Closed trades in a row that lost money. */
  consecutiveLosses: number;
  /** Volatility figure per symbol, as computed by the runner (see the `volatilityHalt` rule). */
  volatility: Map<string, number>;
  /** Close time (epoch ms UTC) of the last bar seen per symbol (stale-data guard). */
  lastBarClose: Map<string, number>;
}
