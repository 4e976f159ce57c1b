/**
 * Performance metrics over returns, equity curves and trades, and the typed stats registry the
 * backtester, the web lab and notebooks share.
 *
 * Conventions (each function's doc says which library definition it follows):
 * - **Returns** are simple per-bar returns (`returnsFromEquity`), one fewer than the equity bars.
 *   A NaN return is a missing observation: skipped by moment statistics (mean, std, skew,
 *   quantiles), a flat period when compounding (total return, CAGR, drawdowns), as empyrical's
 *   `nanmean`/`cum_returns` do.
 * - **Annualization** is always explicit: `periodsPerYear` (`periodsPerYear("1d")` is 365 for
 *   crypto, 252 for `weekdays` markets, 260 for `fx`). Volatility and Sharpe-like ratios scale by
 *   `sqrt(periodsPerYear)`. `annual_return` is empyrical's geometric growth over
 *   `n / periodsPerYear` years; the `cagr` stat counts calendar years from the bar times
 *   (quantstats); `annual_return_arithmetic` is `mean * periodsPerYear`. Stats flagged
 *   `annualized` extrapolate when a run spans less than a year.
 * - **Risk-free** rates are yearly fractions, de-annualized by compounding
 *   (`(1 + rf) ** (1 / periodsPerYear) - 1`, quantstats' conversion).
 * - **Standard deviations** use ddof = 1 (sample), like empyrical and quantstats.
 * - **Signs**: drawdowns, VaR, CVaR and average losses are negative numbers, as in empyrical.
 * - **Undefined** cases return NaN (or ±Infinity where a ratio is unbounded and the doc says so);
 *   bad arguments (a non-positive `periodsPerYear`, a confidence outside (0, 1)) throw RangeError.
 * - **Trade statistics** use closed trades only; open trades are marked, not realized. With the
 *   backtester's default `finalize: "close"` a position open at the end is closed at the last
 *   bar's close; backtesting.py's `finalize_trades=True` closes it at the last bar's open, so its
 *   last trade (and trade stats) can differ from ours by that bar's open-to-close move.
 * - **Formatting** happens only at display time (`formatStat`, `statsTable`, `formatFixed`): fixed
 *   decimals per unit and one minus sign, U+2212 (`MINUS`), in every displayed number.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { computeStats, coreStats, periodsPerYear, returnsFromEquity, statsTable } from "./mod.ts";
 *
 * const equity = new Float64Array([100, 102, 99, 104, 108]);
 * const ppy = periodsPerYear("1d", { calendar: "24/7" }); // 365
 * const core = coreStats(returnsFromEquity(equity), { periodsPerYear: ppy });
 * assert.ok(Math.abs(core.totalReturn - 0.08) < 1e-12);
 * assert.ok(Math.abs(core.maxDrawdown - (99 / 102 - 1)) < 1e-12);
 *
 * const day = 86_400_000;
 * const ts = new Float64Array([0, 1, 2, 3, 4].map((i) => i * day));
 * const stats = computeStats({ ts, equity, periodsPerYear: ppy });
 * assert.equal(stats.sharpe, core.sharpe);
 * assert.match(statsTable(stats).toString(), /Max drawdown +\u22122\.94%/);
 * ```
 * @module
 */
export * from "./alpha.ts";
export * from "./annual_return.ts";
export * from "./annual_return_arithmetic.ts";
export * from "./annual_volatility.ts";
export * from "./avg_drawdown.ts";
export * from "./avg_drawdown_duration.ts";
export * from "./avg_loss.ts";
export * from "./avg_trade.ts";
export * from "./avg_win.ts";
export * from "./best_trade.ts";
export * from "./beta.ts";
export * from "./cagr.ts";
export * from "./calmar.ts";
export * from "./compute_stats.ts";
export * from "./conditional_value_at_risk.ts";
export * from "./core_stats.ts";
export * from "./drawdown_periods.ts";
export * from "./drawdown_series.ts";
export * from "./dsr.ts";
export * from "./expectancy.ts";
export * from "./expected_max_sharpe.ts";
export * from "./exposure.ts";
export * from "./format_fixed.ts";
export * from "./format_stat.ts";
export * from "./kelly.ts";
export * from "./kurtosis.ts";
export * from "./max_consecutive_losses.ts";
export * from "./max_consecutive_wins.ts";
export * from "./max_drawdown.ts";
export * from "./max_drawdown_duration.ts";
export * from "./monthly_returns.ts";
export * from "./omega.ts";
export * from "./options.ts";
export * from "./payoff_ratio.ts";
export * from "./periods_per_year.ts";
export * from "./probabilistic_sharpe.ts";
export * from "./profit_factor.ts";
export * from "./psr.ts";
export * from "./returns_from_equity.ts";
export * from "./rolling_beta.ts";
export * from "./rolling_sharpe.ts";
export * from "./sharpe.ts";
export * from "./skew.ts";
export * from "./sortino.ts";
export * from "./sqn.ts";
export * from "./stability_of_timeseries.ts";
export * from "./stats.ts";
export * from "./stats_table.ts";
export * from "./stats_table_view.ts";
export * from "./tail_ratio.ts";
export * from "./total_return.ts";
export * from "./turnover.ts";
export * from "./ulcer_index.ts";
export * from "./value_at_risk.ts";
export * from "./win_rate.ts";
export * from "./worst_trade.ts";
export * from "./yearly_returns.ts";
