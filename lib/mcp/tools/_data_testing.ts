// Test fixtures of the data tools: one data dir per test process with the bundled samples imported, a ToolContext
// over it, and a call that parses arguments with the tool's input schema first, as the server does.

import { importSamples } from "../../data/mod.ts";
import { Store } from "../../store/mod.ts";
import type { McpTool, ToolContext, ToolResult } from "../mcp_tool.ts";

let seeded: Promise<string> | undefined;

/** A temp data dir holding every sample series (imported once per process; removed at exit). */
export function samplesDataDir(): Promise<string> {
  seeded ??= (async () => {
    const dir = await Deno.makeTempDir({ prefix: "sentinel-mcp-" });
    globalThis.addEventListener("unload", () => Deno.removeSync(dir, { recursive: true }));
    using store = await Store.open({ dir });
    await importSamples({ sink: store });
    return dir;
  })();
  return seeded;
}

/** A ToolContext over `dataDir` that ignores progress. */
export function dataContext(dataDir: string): ToolContext {
  return { dataDir, signal: new AbortController().signal, progress: () => Promise.resolve() };
}

/** Parses `args` with the tool's input schema, runs the tool and checks the answer against its output schema. */
export async function callTool<O>(tool: McpTool, args: unknown, dataDir: string): Promise<ToolResult<O>> {
  const res = await tool.run(tool.input.parse(args) as never, dataContext(dataDir));
  tool.output.parse(res.structured);
  return res as ToolResult<O>;
}
