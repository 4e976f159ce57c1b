import type { Table } from "apache-arrow";
import type { Trade } from "../types/mod.ts";
import type { RunInput } from "./run_record.ts";

/** The shape of a `BacktestResult` (lib/backtest) that the registry needs. */
export interface BacktestLike {
  stats: Readonly<Record<string, number>>;
  trades: readonly Trade[];
  /** A `Manifest`: `strategy.name`, `params`, `options`, `data[].series`, `id`. */
  manifest: object;
  equityTable(): Table;
}

/**
 * A single run to record from a backtest result: series, strategy, params and options come
 * from its manifest; the equity curve and trades become Parquet files. Add `files` (a report)
 * or `detail` to the returned object before recording when there is more to keep.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { Frame } from "../frame/mod.ts";
 * import { runBacktest } from "../backtest/mod.ts";
 * import { runInputFromBacktest } from "./run_input_from_backtest.ts";
 * const close = Float64Array.of(5, 4, 3, 4, 5, 6, 5, 4, 3);
 * const frame = new Frame(Float64Array.from(close, (_, i) => i * 86_400_000), { open: close, high: close, low: close, close });
 * const r = await runBacktest({ frame, strategy: "sma_cross", params: { fast: 1, slow: 3 }, series: { exchange: "x", symbol: "Y", timeframe: "1d" } });
 * const input = runInputFromBacktest(r);
 * assert.equal(input.kind, "single");
 * assert.deepEqual(input.series, ["x:Y:1d"]);
 * assert.deepEqual(input.params, { fast: 1, slow: 3 });
 * ```
 */
export function runInputFromBacktest(result: BacktestLike): RunInput {
  const m = JSON.parse(JSON.stringify(result.manifest)) as Record<string, any>;
  const data: unknown[] = Array.isArray(m.data) ? m.data : [];
  return {
    kind: "single",
    series: data.map((d) => String((d as { series?: unknown })?.series ?? "")).filter((s) => s !== ""),
    strategy: String(m.strategy?.name ?? ""),
    params: (m.params ?? {}) as Record<string, unknown>,
    options: (m.options ?? {}) as Record<string, unknown>,
    manifest: m,
    stats: result.stats,
    equity: result.equityTable(),
    trades: result.trades,
  };
}
