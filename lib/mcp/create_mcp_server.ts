import { McpServer } from "./_sdk.ts";
import type { CallToolResult, RequestHandlerExtra, ServerNotification, ServerRequest } from "./_sdk.ts";
import { ENGINE_VERSION } from "../backtest/engine_version.ts";
import { resolveDataDir } from "../fs/mod.ts";
import type { McpTool, ToolContext } from "./mcp_tool.ts";
import { type Redactor, redactor } from "./_redact.ts";
import { ALL_TOOLS } from "./tools/mod.ts";
import { registerPrompts } from "./prompts/mod.ts";
import { registerResources } from "./resources/mod.ts";

/** Options of {@link createMcpServer}. */
export interface CreateMcpServerOptions {
  /** The data dir the tools read (store, runs, accounts). Default: env `SENTINEL_DATA_DIR`, else `data/store`. */
  dataDir?: string;
  /** The tools to register. Default: every tool of `lib/mcp/tools/` ({@link ALL_TOOLS}). */
  tools?: readonly McpTool[];
}

/** Every tool is registered with these hints: the server reads the lab's data and changes nothing. */
export const READ_ONLY_ANNOTATIONS = Object.freeze({
  readOnlyHint: true,
  destructiveHint: false,
  idempotentHint: true,
  openWorldHint: false,
});

type Extra = RequestHandlerExtra<ServerRequest, ServerNotification>;

/**
 * Builds the read-only Sentinel MCP server: registers each tool with its zod input and output schemas and the
 * read-only annotations, runs it with a {@link ToolContext} (progress notifications when the client sent a
 * `progressToken`, the request's abort signal), and turns any thrown error into an MCP tool error whose text is
 * the message only. No answer, error, resource or prompt names the data dir's path (it reads `<data dir>`). Connect it to a transport (`StdioServerTransport`, Streamable HTTP, in-memory).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { Client, InMemoryTransport } from "./_sdk.ts";
 * import { createMcpServer } from "./create_mcp_server.ts";
 *
 * const dataDir = await Deno.makeTempDir();
 * const server = createMcpServer({ dataDir });
 * const [a, b] = InMemoryTransport.createLinkedPair();
 * await server.connect(a);
 * const client = new Client({ name: "example", version: "1.0.0" });
 * await client.connect(b);
 * const { tools } = await client.listTools();
 * assert.ok(tools.every((t) => t.annotations?.readOnlyHint === true));
 * const res = await client.callTool({ name: "list_datasets", arguments: {} });
 * assert.equal((res.structuredContent as { datasets: unknown[] }).datasets.length, 0);
 * await client.close();
 * await Deno.remove(dataDir, { recursive: true });
 * ```
 */
export function createMcpServer(options: CreateMcpServerOptions = {}): McpServer {
  const dataDir = resolveDataDir(options.dataDir);
  const tools = options.tools ?? ALL_TOOLS;
  const server = new McpServer(
    { name: "sentinel", title: "Sentinel research lab (read-only)", version: ENGINE_VERSION },
    {
      instructions: "Read-only access to Sentinel's stored market data, indicators, strategies and metrics. " +
        "No tool writes, trades or runs code. Start with list_datasets; series are named exchange:SYMBOL:timeframe. " +
        "plot returns a PNG to look at; list_personas and get_agent_run show the LLM agents and what a recorded agent " +
        "run decided and cost; the review_strategy, compare_runs and explain_drawdown prompts walk through " +
        "common research, and sentinel://datasets/... and sentinel://runs/... resources hold the same facts.",
    },
  );
  const redact = redactor(dataDir);
  const seen = new Set<string>();
  for (const tool of tools) {
    if (seen.has(tool.name)) throw new Error(`Tool ${JSON.stringify(tool.name)} is listed twice; keep one`);
    seen.add(tool.name);
    server.registerTool(
      tool.name,
      {
        title: tool.title,
        description: tool.description,
        inputSchema: tool.input,
        outputSchema: tool.output,
        annotations: { title: tool.title, ...READ_ONLY_ANNOTATIONS },
      },
      // The SDK has validated the arguments against `tool.input` before this runs.
      (args: unknown, extra: Extra) => runTool(tool, args, extra, dataDir, redact),
    );
  }
  registerResources(server, { dataDir });
  registerPrompts(server, { dataDir });
  return server;
}

async function runTool(
  tool: McpTool,
  args: unknown,
  extra: Extra,
  dataDir: string,
  redact: Redactor,
): Promise<CallToolResult> {
  const token = extra._meta?.progressToken;
  const ctx: ToolContext = {
    dataDir,
    signal: extra.signal,
    progress: async (progress, total, message) => {
      if (token === undefined) return;
      await extra.sendNotification({
        method: "notifications/progress",
        params: { progressToken: token, progress, total, message },
      });
    },
  };
  try {
    const res = await tool.run(args as never, ctx);
    return {
      structuredContent: redact.json(res.structured as Record<string, unknown>),
      content: [
        { type: "text", text: redact.text(res.text) },
        ...(res.images ?? []).map((img) => ({ type: "image" as const, data: img.data, mimeType: img.mimeType })),
        ...(res.resources ?? []).map((resource) => ({ type: "resource" as const, resource: redact.json(resource) })),
      ],
    };
  } catch (e) {
    // The message only: a stack names our files, not the model's mistake, and the messages say the fix.
    return { isError: true, content: [{ type: "text", text: redact.message(e) }] };
  }
}
