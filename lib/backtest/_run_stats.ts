import { computeStats, type StatsInput } from "../metrics/mod.ts";
import type { Order, Trade } from "../types/mod.ts";

/** What the stats of one simulation are computed from (SimResult and PortfolioResult both fit). */
export interface RunForStats {
  ts: Float64Array;
  equity: Float64Array;
  trades: readonly Trade[];
  orders: readonly Order[];
  exposure: number;
  feesPaid: number;
}

/**
 * The registry stats of one run, computed the same way everywhere (runBacktest, full-stats
 * sweeps, walk-forward folds) so a sweep row and a single backtest agree exactly. `entries`
 * (every trade entered, an open one included) is added to the registry's keys.
 */
export function runStats(
  run: RunForStats,
  ann: { periodsPerYear: number; riskFree: number },
  benchmark?: Float64Array,
  keys?: readonly string[],
  extra: Partial<StatsInput> = {},
): Record<string, number> {
  const stats = computeStats({
    ts: run.ts,
    equity: run.equity,
    periodsPerYear: ann.periodsPerYear,
    riskFree: ann.riskFree,
    trades: run.trades,
    orders: run.orders,
    exposure: run.exposure,
    fees: run.feesPaid,
    ...(benchmark ? { benchmark } : {}),
    ...extra,
  }, keys ? { keys } : {});
  stats.entries = run.trades.length;
  return stats;
}

/**
 * Buy-and-hold equity of one price series scaled to `cash` at its first finite positive price
 * (NaN before it; a missing price later holds the last value). No costs: it is a yardstick.
 */
export function buyAndHold(close: Float64Array, cash: number): Float64Array {
  const n = close.length;
  const out = new Float64Array(n);
  let i = 0;
  while (i < n && !(close[i]! > 0 && close[i]! < Infinity)) out[i++] = NaN;
  if (i === n) return out;
  // Every bar from the first valid price on is written below, so only the lead-in needs its NaN.
  const base = close[i]!;
  let last = NaN;
  for (; i < n; i++) {
    const c = close[i]!;
    if (c > 0 && c < Infinity) last = cash * (c / base);
    out[i] = last;
  }
  return out;
}
