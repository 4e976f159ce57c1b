import type { BacktestOptionsInput } from "../backtest/mod.ts";
import type { Strategy } from "../strategies/mod.ts";

/**
 * One promoted strategy trading one symbol inside an account, with its own cash (a sub-account, as a freqtrade
 * stake or a NautilusTrader strategy's allocation): the unit the paper runner and the parity check run. Its fills
 * follow the backtester's model with `options` (fill timing, fees, spread, slippage, lot, sizing, stops), so a sleeve
 * replayed over a series matches `runBacktest` of the same strategy, params and options order for order.
 */
export interface SleeveSpec<P = any> {
  /** Unique in the account, 1-64 characters (`sma_cross@BTC/USDT`). */
  id: string;
  strategy: Strategy<P>;
  /** Parsed params. */
  params: P;
  /** Code hash of the strategy version (recorded in `run_started`). */
  codeHash?: string;
  /** The traded symbol (as the feed names it). */
  symbol: string;
  /**
   * ccxt exchange id of the promotion's market (`binance` of `binance:BTC/USDT:1h`): where a live account trades this
   * sleeve. Absent for an old promotion without a market.
   */
  exchange?: string;
  /** ccxt timeframe the strategy was promoted on (the runner checks that its feed's matches). */
  timeframe?: string;
  /** Backtest options; `cash` is the sleeve's allocation (default: the account's starting cash split evenly). */
  options?: BacktestOptionsInput;
}
