import type { Table } from "apache-arrow";
import type { Order, Trade } from "../types/mod.ts";
import type { BacktestOptions } from "./backtest_options.ts";
import type { MissingReport } from "./align_frames.ts";
import type { SkipCounts } from "./sim_result.ts";
import { equityTable } from "./_equity_table.ts";

/** The fields of a {@link PortfolioResult}. */
export interface PortfolioResultInit {
  ts: Float64Array;
  assets: string[];
  orders: Order[];
  trades: Trade[];
  equity: Float64Array;
  cash: Float64Array;
  positions: Record<string, Float64Array>;
  exposure: number;
  turnover: number;
  feesPaid: number;
  skipped: SkipCounts;
  missing: Record<string, MissingReport>;
  ruinedAt: number;
  options: BacktestOptions;
}

/**
 * The outcome of a multi-asset simulation over the union timeline of the frames. Assets without
 * a bar at some time are marked at their last known close there.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { Frame } from "../frame/mod.ts";
 * import { simulatePortfolio } from "./simulate_portfolio.ts";
 * const f = (c: number[]) => new Frame(new Float64Array(c.map((_, i) => i)), { close: new Float64Array(c) });
 * const w = (x: number[]) => ({ kind: "weights" as const, weights: new Float64Array(x) });
 * const r = simulatePortfolio({ a: f([10, 20]), b: f([10, 10]) }, { a: w([0.5, NaN]), b: w([0.5, NaN]) }, {
 *   fill: "close",
 *   cash: 100,
 * });
 * // 5 units of each at 10; then a doubles: 5 * 20 + 5 * 10 = 150 (closed at the end: no costs here).
 * assert.deepEqual([...r.equity], [100, 150]);
 * assert.equal(r.equityArrow().getChild("position:a")!.get(0), 5);
 * ```
 */
export class PortfolioResult {
  /** Union timeline. */
  readonly ts: Float64Array;
  /** Asset names in processing order (the key order of the frames). */
  readonly assets: string[];
  /** Every fill, in time order (within a bar: sells before buys). */
  readonly orders: Order[];
  /** Round trips (flat to flat), in exit order; open ones last with `finalize: "open"`. */
  readonly trades: Trade[];
  /** Cash + sum of units * last known close, per union bar. */
  readonly equity: Float64Array;
  /** Cash per union bar. */
  readonly cash: Float64Array;
  /** Signed units per asset per union bar. */
  readonly positions: Record<string, Float64Array>;
  /** Fraction of bars with any position at the close. */
  readonly exposure: number;
  /** Traded notional divided by the mean of `equity`. */
  readonly turnover: number;
  /** Sum of all fees. */
  readonly feesPaid: number;
  /** Orders not made, by cause. */
  readonly skipped: SkipCounts;
  /** Per asset: union bars it has no bar for (reported, never filled in). */
  readonly missing: Record<string, MissingReport>;
  /** Bar at which equity first reached <= 0 (trading stopped there), or -1. */
  readonly ruinedAt: number;
  /** The options as parsed, defaults included. */
  readonly options: BacktestOptions;

  constructor(init: PortfolioResultInit) {
    this.ts = init.ts;
    this.assets = init.assets;
    this.orders = init.orders;
    this.trades = init.trades;
    this.equity = init.equity;
    this.cash = init.cash;
    this.positions = init.positions;
    this.exposure = init.exposure;
    this.turnover = init.turnover;
    this.feesPaid = init.feesPaid;
    this.skipped = init.skipped;
    this.missing = init.missing;
    this.ruinedAt = init.ruinedAt;
    this.options = init.options;
  }

  /** Final equity (the start cash for an empty timeline). */
  get finalEquity(): number {
    return this.equity.length ? this.equity[this.equity.length - 1]! : this.options.cash;
  }

  /** The equity curve as an Arrow table: ts, equity, cash, `position:<asset>` per asset, drawdown. */
  equityArrow(): Table {
    const cols: Record<string, Float64Array> = { cash: this.cash };
    for (const a of this.assets) cols[`position:${a}`] = this.positions[a]!;
    return equityTable(this.ts, this.equity, cols);
  }
}
