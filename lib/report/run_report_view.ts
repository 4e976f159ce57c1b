import type { BacktestResult, PortfolioResult, SimResult } from "../backtest/mod.ts";
import type { Frame } from "../frame/mod.ts";
import type { PriceOverlay } from "../plots/mod.ts";
import type { Trade } from "../types/mod.ts";
import type { ReportFold } from "./walk_forward_folds.ts";

/** The equity curve of a run and the columns recorded beside it, aligned to `ts`. */
export interface ReportEquity {
  /** Bar times, epoch ms UTC. */
  ts: Float64Array;
  equity: Float64Array;
  /**
   * Fraction below the running peak (<= 0), as recorded; when absent (a fresh backtest's view),
   * the drawdown figure derives it from `equity` as it draws, without an 8 MB array at 1M bars.
   */
  drawdown?: Float64Array;
  /** Buy and hold of the traded asset, when recorded. */
  benchmark?: Float64Array;
  /** Cash per bar (single-asset runs): exposure over time is `1 - cash / equity`. */
  cash?: Float64Array;
}

/**
 * Everything a run report shows, from whichever surface has the run: a fresh backtest
 * ({@link runReportViewFromBacktest}) or a recorded run (the web lab builds it from the runs
 * registry and the store). {@link renderRunReport} turns it into sections.
 */
export interface RunReportView {
  /** Page title, e.g. `sma_cross on samples:SPX:1d`. */
  title: string;
  /** `single`, `sweep`, `walk_forward`, `portfolio`. */
  kind: string;
  strategy: string;
  series: string[];
  params: Record<string, unknown>;
  options: Record<string, unknown>;
  stats: Record<string, number>;
  /** The manifest as recorded: `data[].quality.warnings`, `timeframe`, `periods_per_year`, ... */
  manifest: Record<string, unknown>;
  equity?: ReportEquity;
  trades: readonly Trade[];
  /** The bars the run used and the strategy's indicator lines, for the price figure. */
  price?: { frame: Frame; overlays: PriceOverlay[] };
  /** Walk-forward folds (see {@link walkForwardFolds}) and the selection metric. */
  walkForward?: { folds: ReportFold[]; metric: string };
}

/** Options of {@link runReportViewFromBacktest}. */
export interface RunReportViewOptions {
  title?: string;
  /** The bars the run used; without it the price figure is left out. */
  frame?: Frame;
  /** Indicator lines over the price, aligned to `frame`. */
  overlays?: PriceOverlay[];
}

/**
 * The {@link RunReportView} of a backtest result (single-series or portfolio).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { Frame } from "../frame/mod.ts";
 * import { runBacktest } from "../backtest/mod.ts";
 * import { runReportViewFromBacktest } from "./run_report_view.ts";
 * const close = Float64Array.from({ length: 30 }, (_, i) => 100 + Math.sin(i));
 * const ts = Float64Array.from(close, (_, i) => Date.UTC(2024, 0, 1) + i * 86_400_000);
 * const frame = new Frame(ts, { open: close, high: close, low: close, close, volume: close });
 * const r = await runBacktest({ frame, strategy: "sma_cross", params: { fast: 2, slow: 5 } });
 * const view = runReportViewFromBacktest(r, { frame });
 * assert.equal(view.equity?.ts.length, 30);
 * assert.equal(view.title, "sma_cross on (unnamed data)");
 * ```
 */
export function runReportViewFromBacktest(
  result: BacktestResult<SimResult | PortfolioResult>,
  options: RunReportViewOptions = {},
): RunReportView {
  const m = result.manifest;
  const series = m.data.map((d) => d.series ?? "(unnamed data)");
  // The simulation's own arrays, not `result.equityTable()`: that builds BigInt64 times (and the
  // report converted them back to numbers) and a drawdown column, ~130 ms and three fresh 8 MB
  // arrays at 1M bars; the drawdown figure derives the drawdown from the equity as it draws.
  const { ts, equity } = result.sim;
  return {
    title: options.title ?? `${m.strategy.name} on ${series.join(", ")}`,
    kind: m.data.length > 1 ? "portfolio" : "single",
    strategy: m.strategy.name,
    series,
    params: m.params as Record<string, unknown>,
    options: m.options as unknown as Record<string, unknown>,
    stats: result.stats,
    manifest: m as unknown as Record<string, unknown>,
    equity: {
      ts,
      equity,
      ...(result.benchmark ? { benchmark: result.benchmark } : {}),
    },
    trades: result.trades,
    ...(options.frame ? { price: { frame: options.frame, overlays: options.overlays ?? [] } } : {}),
  };
}
