/**
 * The runs registry: every backtest, sweep and walk-forward is recorded with its manifest,
 * stats, equity curve and trades, so the web lab, notebooks and the MCP server can list,
 * reload and compare runs later. See {@link RunRegistry} for the layout (one immutable folder
 * per run, DuckDB-queryable JSON and Parquet) and why it is safe with several processes.
 *
 * Also the table writers the backtest command uses for its `--out` folder: {@link writeParquet}
 * (atomic, through DuckDB), {@link columnsToCsv}, {@link tradeColumns}, {@link columnsFromArrow}.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { parseRunId, RunRegistry } from "./mod.ts";
 * const dir = await Deno.makeTempDir();
 * const runs = await RunRegistry.open({ dir });
 * const a = await runs.record({
 *   kind: "single", series: ["samples:GOOG:1d"], strategy: "sma_cross", params: { fast: 10 }, options: {},
 *   manifest: { id: "01".repeat(32) }, stats: { sharpe: 0.8, profit_factor: Infinity },
 * });
 * const b = await runs.record({
 *   kind: "single", series: ["samples:GOOG:1d"], strategy: "sma_cross", params: { fast: 20 }, options: {},
 *   manifest: { id: "02".repeat(32) }, stats: { sharpe: 1.2, profit_factor: 2 },
 * });
 * assert.equal(parseRunId(a.id), a.id);
 * assert.equal((await runs.get(a.id)).stats.profit_factor, Infinity);
 * const sharpe = (await runs.compare(a.id, b.id)).find((r) => r.key === "sharpe")!;
 * assert.equal(sharpe.better, "b");
 * assert.throws(() => runs.path("../../etc", "run.json"), /Invalid run id/);
 * await Deno.remove(dir, { recursive: true });
 * ```
 * @module
 */
export * from "./columns.ts";
export * from "./columns_to_csv.ts";
export * from "./new_run_id.ts";
export * from "./parse_run_id.ts";
export * from "./run_input_from_backtest.ts";
export * from "./run_record.ts";
export * from "./run_registry.ts";
export * from "./trade_columns.ts";
export * from "./write_parquet.ts";
