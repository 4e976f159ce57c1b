import type { TradingState } from "../types/mod.ts";

/**
 * An account's money and state as the runner holds them now (paper: its risk session's state), read by the monitor
 * when Prometheus scrapes and when an alert rule needs equity. Money is in the account's quote currency.
 */
export interface AccountSnapshot {
  equity: number;
  /** Highest equity so far (the drawdown reference). */
  equityPeak: number;
  /** Equity the UTC day started with (the daily-loss reference). */
  dayStartEquity: number;
  tradingState: TradingState;
}
