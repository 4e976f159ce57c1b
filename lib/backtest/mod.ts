/**
 * The simulation core: signals or target weights -> orders -> fills -> cash, positions and
 * equity per bar, in one pass over typed arrays, with no allocation per bar (orders and trades
 * are allocated only when they happen). Deterministic: no clock, no randomness.
 *
 * - {@link simulate}: one asset, a {@link Frame} and {@link Signals}; returns a {@link SimResult}.
 * - {@link simulatePortfolio}: several assets sharing one cash account on the union timeline
 *   ({@link alignFrames}); returns a {@link PortfolioResult} with missing bars reported.
 * - {@link simulateFinalEquity}: the allocation-free sweep kernel for crossover systems,
 *   bit-identical to `simulate` for the options it supports.
 * - {@link BacktestOptionsSchema} / {@link parseBacktestOptions}: every option with its default;
 *   results carry the parsed options for the manifest, with {@link hashFrame} and {@link ENGINE_VERSION}.
 *
 * Conventions (each option's JSDoc in {@link BacktestOptions} has the details):
 * - Fill timing: `next_open` (default; a signal on bar t fills at open[t+1], one on the last bar
 *   does nothing) or `close` (fills at close[t]). Order `ts` is the open time of the fill bar.
 * - Prices: buys fill at `ref * (1 + spread/2 + slippage)`, sells at `ref * (1 - spread/2 - slippage)`.
 *   Each order pays `fee * notional + fixedFee`.
 * - Sizing budgets include fees: all-in buys `(cash - fixedFee) / (price * (1 + fee))` units, so
 *   cash ends at 0. All-in shorts sell the same count of units; cash grows by the proceeds net of
 *   fees, the position is negative, equity = cash + position * price. Units round down to `lot`.
 *   Entries that cannot be made are counted in `skipped` (minNotional, lotZero, insufficientCash,
 *   missingBar); `minNotional` is checked on units x fill price, in every run. Signal exits
 *   always close the whole position and are never skipped.
 * - Direction: a missing `shortExits` means the long `entries` close shorts, with `"short"` as
 *   with `"both"` (where a long entry reverses a short); `"short"` without `shortEntries` runs
 *   the long pair as the short pair.
 * - Portfolios ({@link simulatePortfolio}, target weights): sells first, then buys, all scaled by
 *   one factor when the cash is short (the order of the assets does not matter); a rebalancing
 *   sell whose proceeds do not pay its fixed fee is skipped (`skipped.minNotional`). With
 *   `next_open`, an order due where the asset has no bar waits for the asset's next open.
 * - Stops (single asset): checked on each bar's open/high/low after entry (next-open entries:
 *   from the entry bar; close entries: from the next bar). The open comes first: a gap through
 *   any level (stop-loss, trailing stop or take-profit) fills at the open, so a take-profit
 *   gapped through at the open wins even if the stop is crossed later in the bar. Inside the bar,
 *   stop-loss and trailing stop come before take-profit (if both could trigger, the stop is
 *   assumed first) and fill at the level. The trailing stop is `trailingStop` as a fraction from
 *   the best price since entry (long: highest high, short: lowest low), starting at the entry
 *   fill price; a bar's own high (low) moves it only after that bar is checked.
 * - Ruin: when equity marked at a close is <= 0, any position is closed at that close (exit
 *   reason `end`), `ruinedAt` records the bar, and nothing trades any more; equity stays at the
 *   remaining cash (which may be negative).
 * - Trades: `pnl` is net of entry and exit fees; `return = pnl / (entryPrice * size)`. Open
 *   trades (`finalize: "open"`) are marked at the last close without exit costs.
 * - `exposure`: fraction of bars holding a position at the close (a position sold by
 *   `finalize: "close"` at the last close is not held there). `turnover`: traded notional
 *   (sum of size * price over orders) divided by the mean equity over the bars.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { Frame } from "../frame/mod.ts";
 * import { ENGINE_VERSION, hashFrame, simulate } from "./mod.ts";
 * const closes = [100, 100, 110, 121];
 * const frame = Frame.fromBars(closes.map((c, i) => ({ ts: i * 60_000, open: c, high: c, low: c, close: c, volume: 1 })));
 * const entries = new Uint8Array([1, 0, 0, 0]), exits = new Uint8Array([0, 0, 1, 0]);
 * const r = simulate(frame, { kind: "signals", entries, exits }, { fill: "close", fee: 0.001, cash: 1000 });
 * // Buys 1000 / (100 * 1.001) units at 100, sells them at 110 paying 0.1% again.
 * const units = 1000 / 100.1;
 * assert.ok(Math.abs(r.finalEquity - units * 110 * 0.999) < 1e-9);
 * assert.equal(r.trades[0]!.exitReason, "signal");
 * assert.equal(r.options.fill, "close");
 * assert.equal((await hashFrame(frame)).length, 64);
 * assert.equal(typeof ENGINE_VERSION, "string");
 * ```
 * @module
 */
export * from "./align_frames.ts";
export * from "./backtest_options.ts";
export * from "./engine_version.ts";
export * from "./hash_frame.ts";
export * from "./parse_backtest_options.ts";
export * from "./portfolio_result.ts";
export * from "./sim_result.ts";
export * from "./simulate.ts";
export * from "./simulate_with_risk.ts";
export * from "./simulate_final_equity.ts";
export * from "./simulate_portfolio.ts";
export * from "./backtest.ts";
export * from "./backtest_portfolio.ts";
export * from "./backtest_result.ts";
export * from "./check_warmup.ts";
export * from "./manifest.ts";
export * from "./sweep.ts";
export { SweepWorkerPool } from "./sweep_worker_pool.ts";
export * from "./batch_sweep.ts";
export * from "./walk_forward.ts";
export * from "./portfolio_sweep.ts";
export * from "./portfolio_walk_forward.ts";
