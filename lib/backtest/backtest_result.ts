import type { Table } from "apache-arrow";
import { statsTable } from "../metrics/mod.ts";
import { JUPYTER_DISPLAY, type MimeBundle, type Order, type Trade } from "../types/mod.ts";
import { equityTable } from "./_equity_table.ts";
import type { Manifest } from "./manifest.ts";
import type { PortfolioResult } from "./portfolio_result.ts";
import type { DeniedOrder, SimResult } from "./sim_result.ts";

// By a computed specifier: Deno loads a literal import() with the module graph at start-up.
const plots = (): Promise<typeof import("../plots/mod.ts")> => import(new URL("../plots/mod.ts", import.meta.url).href);

/** The fields of a {@link BacktestResult}. */
export interface BacktestResultInit<S extends SimResult | PortfolioResult> {
  stats: Record<string, number>;
  sim: S;
  manifest: Manifest;
  /** Benchmark equity aligned to `sim.ts` (scaled to the starting cash), if any. */
  benchmark?: Float64Array;
}

/** The JSON form of a {@link BacktestResult}: no per-bar arrays, no order or trade lists. */
export interface BacktestResultJson {
  stats: Record<string, number>;
  final_equity: number;
  /** Round trips, an open one included. */
  trades: number;
  manifest: Manifest;
  /** Orders the risk engine denied (runs with risk limits only). */
  denied?: DeniedOrder[];
}

/**
 * The outcome of {@link runBacktest} or {@link runPortfolioBacktest}: registry stats (snake_case
 * keys, plus `entries`: trades entered, an open one included), orders, trades, the raw
 * simulation, the equity curve as Arrow, and the {@link Manifest} that reproduces it.
 * It displays itself in Jupyter (stats table, equity and drawdown figures).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { Frame } from "../frame/mod.ts";
 * import { runBacktest } from "./mod.ts";
 * const close = Float64Array.of(5, 4, 3, 4, 5, 6, 5, 4, 3);
 * const ts = Float64Array.from(close, (_, i) => i * 86_400_000);
 * const frame = new Frame(ts, { open: close, high: close, low: close, close, volume: close });
 * const r = await runBacktest({ frame, strategy: "sma_cross", params: { fast: 1, slow: 3 }, options: { fill: "close" } });
 * // Buys at 4 on bar 3 (close crosses above SMA3), sells at 5 on bar 6: 10,000 * 5 / 4.
 * assert.equal(r.stats.final_equity, 12_500);
 * assert.equal(r.toJSON().trades, 1);
 * assert.equal(r.equityTable().numRows, 9);
 * ```
 */
export class BacktestResult<S extends SimResult | PortfolioResult = SimResult> {
  readonly stats: Record<string, number>;
  readonly sim: S;
  readonly manifest: Manifest;
  /** Benchmark equity aligned to the bars, or undefined. */
  readonly benchmark: Float64Array | undefined;
  #equityTable: Table | undefined;

  constructor(init: BacktestResultInit<S>) {
    this.stats = init.stats;
    this.sim = init.sim;
    this.manifest = init.manifest;
    this.benchmark = init.benchmark;
  }

  /** Every fill, in time order. */
  get orders(): Order[] {
    return this.sim.orders;
  }

  /** Round trips in exit order (an open one last with `finalize: "open"`). */
  get trades(): Trade[] {
    return this.sim.trades;
  }

  /** Orders the risk engine denied, in decision order (empty without risk limits). */
  get denied(): DeniedOrder[] {
    return "denied" in this.sim ? this.sim.denied : [];
  }

  /** Final equity. */
  get finalEquity(): number {
    return this.sim.finalEquity;
  }

  /**
   * ts (Int64 epoch ms), equity, drawdown (fraction, <= 0) and, with a benchmark, benchmark equity. Built on the
   * first call and kept: the same Table after that (on 1M bars a build is two fresh 8 MB columns, ~50 ms, and the
   * CLI, the lab and {@link toHtml} may each ask for it).
   */
  equityTable(): Table {
    return this.#equityTable ??= equityTable(
      this.sim.ts,
      this.sim.equity,
      this.benchmark ? { benchmark: this.benchmark } : {},
    );
  }

  /** Stats, final equity, trade count and manifest; arrays are left out. */
  toJSON(): BacktestResultJson {
    return {
      stats: this.stats,
      final_equity: this.sim.finalEquity,
      trades: this.sim.trades.length,
      manifest: this.manifest,
      ...(this.manifest.risk !== undefined ? { denied: this.denied } : {}),
    };
  }

  /**
   * HTML: the stats table, then the equity (with the benchmark) and drawdown figures. Asynchronous: Observable Plot
   * and linkedom are loaded on first use, not with the engine (0.2 s of every backtest process's start-up).
   */
  async toHtml(): Promise<string> {
    const { drawdownFigure, equityFigure } = await plots();
    const t = this.equityTable();
    const ts = this.sim.ts;
    const drawdown = t.getChild("drawdown")!.toArray() as Float64Array;
    const title = `${this.manifest.strategy.name} ${JSON.stringify(this.manifest.params)}`;
    const eq = equityFigure({
      ts,
      equity: this.sim.equity,
      ...(this.benchmark ? { benchmark: this.benchmark, benchmarkLabel: "Buy and hold" } : {}),
      title,
    });
    const dd = drawdownFigure({ ts, drawdown });
    return `<div class="sentinel-backtest">${statsTable(this.stats).toHtml()}${eq.toHtml()}${dd.toHtml()}</div>`;
  }

  /** Deno's Jupyter kernel calls this to display the result (and awaits it). */
  async [JUPYTER_DISPLAY](): Promise<MimeBundle> {
    const s = this.stats;
    return {
      "text/html": await this.toHtml(),
      "text/plain": `${this.manifest.strategy.name}: final equity ${s.final_equity}, total return ${s.total_return}, ` +
        `sharpe ${s.sharpe}, max drawdown ${s.max_drawdown}, trades ${s.trades}`,
    };
  }
}
