/**
 * The research prompts of the MCP server, one file each: `review_strategy` (look-ahead, costs and overfitting with
 * PSR/DSR and walk-forward), `compare_runs` (two recorded runs) and `explain_drawdown` (a run's worst drawdown). Each
 * reads the data dir read-only to fill in facts (a series' range, a run's worst drawdown and the trades in it) and
 * names the exact tool calls to make, with their arguments. {@link registerPrompts} is what `createMcpServer` calls.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { Client, InMemoryTransport, McpServer } from "../_sdk.ts";
 * import { registerPrompts } from "./mod.ts";
 *
 * const dataDir = await Deno.makeTempDir();
 * const server = new McpServer({ name: "doc", version: "1.0.0" });
 * registerPrompts(server, { dataDir });
 * const [a, b] = InMemoryTransport.createLinkedPair();
 * await server.connect(a);
 * const client = new Client({ name: "doc", version: "1.0.0" });
 * await client.connect(b);
 * const { prompts } = await client.listPrompts();
 * assert.deepEqual(prompts.map((p) => p.name), ["review_strategy", "compare_runs", "explain_drawdown"]);
 * await assert.rejects(client.getPrompt({ name: "explain_drawdown", arguments: { run: "nope" } }), /run: no recorded run/);
 * await client.close();
 * await Deno.remove(dataDir, { recursive: true });
 * ```
 * @module
 */
export * from "./register_prompts.ts";
export * from "./review_strategy.ts";
export * from "./compare_runs.ts";
export * from "./explain_drawdown.ts";
export type { McpPrompt, PlannedCall, PromptAnswer, PromptContext, PromptLink } from "./_prompt.ts";
