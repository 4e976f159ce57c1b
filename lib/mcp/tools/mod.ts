/**
 * The tools of the read-only MCP server, one file each. {@link ALL_TOOLS} is what `createMcpServer` registers:
 * add a tool with one line there.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { ALL_TOOLS } from "./mod.ts";
 * assert.ok(ALL_TOOLS.some((t) => t.name === "get_candles"));
 * ```
 * @module
 */
import type { McpTool } from "../mcp_tool.ts";
import { computeIndicators } from "./compute_indicators.ts";
import { describeDataset } from "./describe_dataset.ts";
import { explainMetric } from "./explain_metric.ts";
import { getCandles } from "./get_candles.ts";
import { listDatasets } from "./list_datasets.ts";
import { listStrategies } from "./list_strategies.ts";
import { compareRunsTool } from "./compare_runs.ts";
import { getAccountTool } from "./get_account.ts";
import { getRunTool } from "./get_run.ts";
import { listRunsTool } from "./list_runs.ts";
import { plotTool } from "./plot.ts";
import { queryAuditLogTool } from "./query_audit_log.ts";
import { runBacktestTool } from "./run_backtest.ts";
import { runSweepTool } from "./run_sweep.ts";
import { walkForwardTool } from "./walk_forward.ts";
import { getAgentRunTool } from "./get_agent_run.ts";
import { listPersonasTool } from "./list_personas.ts";

export { closeReadOnlyStores, readOnlyStore } from "./_series.ts";
export * from "./compute_indicators.ts";
export * from "./describe_dataset.ts";
export * from "./explain_metric.ts";
export * from "./get_agent_run.ts";
export * from "./get_candles.ts";
export * from "./list_datasets.ts";
export * from "./list_personas.ts";
export * from "./list_strategies.ts";
export * from "./plot.ts";

/** Every tool the server registers, in the order `tools/list` shows them. One line per tool. */
export const ALL_TOOLS: readonly McpTool[] = [
  listDatasets as unknown as McpTool,
  describeDataset as unknown as McpTool,
  getCandles as unknown as McpTool,
  computeIndicators as unknown as McpTool,
  listStrategies as unknown as McpTool,
  explainMetric as unknown as McpTool,
  runBacktestTool as unknown as McpTool,
  runSweepTool as unknown as McpTool,
  walkForwardTool as unknown as McpTool,
  listRunsTool as unknown as McpTool,
  getRunTool as unknown as McpTool,
  compareRunsTool as unknown as McpTool,
  queryAuditLogTool as unknown as McpTool,
  getAccountTool as unknown as McpTool,
  plotTool as unknown as McpTool,
  listPersonasTool as unknown as McpTool,
  getAgentRunTool as unknown as McpTool,
];
