/**
 * The read-only MCP research server: Sentinel's stored data, indicators, strategies and metrics for an LLM client
 * (Claude Desktop, an IDE agent, an Anthropic SDK agent) over the Model Context Protocol. Every tool is registered
 * with `readOnlyHint: true`, reads the data dir through a store opened `readOnly` (no folder creation, no cleanup,
 * every write throws), returns structured content checked against its zod output schema with its provenance
 * (series, range, quality, caps), and reports bad arguments as MCP tool errors that name the field. The LLM agents are
 * read too: `list_personas` and `get_agent_run` (a recorded agent run's decisions, abstentions, tokens, cost, cache hit
 * rate and model-memory label), without opening the LLM store. No answer names the data dir's local path. Read-only
 * resources (`sentinel://datasets/{series}` and its `candles.csv`, `sentinel://runs/{id}` and its `trades.csv`, the
 * series percent-encoded) and prompts for common research tasks (`review_strategy`, `compare_runs`,
 * `explain_drawdown`) come with it. Serve it with `deno task mcp` (stdio) or connect {@link createMcpServer} to any
 * transport.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { Client, InMemoryTransport } from "./_sdk.ts";
 * import { createMcpServer } from "./mod.ts";
 *
 * const dataDir = await Deno.makeTempDir();
 * const [serverSide, clientSide] = InMemoryTransport.createLinkedPair();
 * await createMcpServer({ dataDir }).connect(serverSide);
 * const client = new Client({ name: "doc", version: "1.0.0" });
 * await client.connect(clientSide);
 * const res = await client.callTool({ name: "explain_metric", arguments: { metric: "sharpe" } });
 * assert.equal((res.structuredContent as { key: string }).key, "sharpe");
 * const bad = await client.callTool({ name: "get_candles", arguments: { series: "x:BTC/USDT:1h", limit: 0 } });
 * assert.equal(bad.isError, true);
 * await client.close();
 * await Deno.remove(dataDir, { recursive: true });
 * ```
 * @module
 */
export * from "./create_mcp_server.ts";
export * from "./mcp_tool.ts";
export { ALL_TOOLS, closeReadOnlyStores, readOnlyStore } from "./tools/mod.ts";
