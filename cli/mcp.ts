// `deno task mcp`: the read-only Sentinel MCP server over stdio. stdout carries the protocol, so every log line
// goes to stderr.
import process from "node:process";
import { StdioServerTransport } from "../lib/mcp/_sdk.ts";
import { closeReadOnlyStores, createMcpServer } from "../lib/mcp/mod.ts";
import { listDatasets } from "../lib/mcp/tools/mod.ts";
import { resolveDataDir } from "../lib/fs/mod.ts";
import { commandFlags, runCli } from "./_cli.ts";

const USAGE = `Usage: deno task mcp [--data-dir DIR]

Serves Sentinel's read-only research tools over the Model Context Protocol on stdio (for Claude Desktop, an IDE
agent, or an Anthropic SDK agent). No tool writes, trades or runs code; the store is opened read-only.

Options:
  --data-dir DIR  the lab's data dir (default: $SENTINEL_DATA_DIR or data/store)
  --help          this text

Client configuration (Claude Desktop, claude_desktop_config.json):
  { "mcpServers": { "sentinel": { "command": "deno", "args": ["task", "--cwd", "/path/to/sentinel", "mcp"] } } }`;

if (import.meta.main) {
  runCli(async (args, signal) => {
    const flags = commandFlags(args, { "data-dir": { type: "string" }, help: { type: "boolean" } }, "mcp", USAGE);
    if (!flags) return 0;
    const dataDir = resolveDataDir(flags["data-dir"] as string | undefined);
    const server = createMcpServer({ dataDir });
    const closed = new Promise<void>((resolve) => {
      server.server.onclose = () => resolve();
      process.stdin.once("end", () => resolve());
      signal.addEventListener("abort", () => resolve(), { once: true });
    });
    await server.connect(new StdioServerTransport());
    console.error(`sentinel mcp: serving ${dataDir} read-only on stdio`);
    // Warm the store and the per-series quality reports so the client's first list_datasets is as fast as later ones.
    const warm = { dataDir, signal, progress: () => Promise.resolve() };
    listDatasets.run({}, warm).catch((e) => console.error(`sentinel mcp: warm-up failed: ${(e as Error).message}`));
    await closed;
    await server.close().catch(() => {});
    await closeReadOnlyStores();
    return 0;
  });
}
