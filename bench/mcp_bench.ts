/**
 * The read-only MCP server (lib/mcp) through a real client: the SDK's `Client` over `StdioClientTransport`, spawning
 * `deno task mcp`'s command (`./denow run --allow-read --allow-env --allow-ffi --allow-sys cli/mcp.ts --data-dir`)
 * on a temp data dir with every sample imported and one recorded run. Each figure is a whole round trip: the JSON-RPC
 * request written to the child's stdin, the tool's work, the answer (structured content, text, image) read back and
 * parsed by the SDK.
 *
 * - "call": list_datasets; run_backtest of sma_cross on the last 5,000 daily bars of samples:SPX:1d (`from`);
 *   plot of a 5,000-bar equity, of the recorded run (figure, PNG render and base64 only) and of a fresh backtest.
 *   Issue 9's targets: list_datasets 20 ms, run_backtest 100 ms, plot 150 ms.
 * - "start": spawn the server, connect (initialize), one list_datasets; the close after it is not timed. Issue 9's
 *   target: 1 s.
 *
 *   ./denow bench -A bench/mcp_bench.ts
 */
import { fileURLToPath } from "node:url";
import { runBacktest } from "../lib/backtest/mod.ts";
import { importSamples } from "../lib/data/mod.ts";
import { Client, StdioClientTransport } from "../lib/mcp/_sdk.ts";
import { RunRegistry } from "../lib/runs/mod.ts";
import { Store } from "../lib/store/mod.ts";

const ROOT = fileURLToPath(new URL("../", import.meta.url));
const SERIES = "samples:SPX:1d";
const BARS = 5_000;

const dataDir = await Deno.makeTempDir({ prefix: "sentinel-mcp-bench-" });
globalThis.addEventListener("unload", () => Deno.removeSync(dataDir, { recursive: true }));
let from: string;
let runId: string;
{
  using store = await Store.open({ dir: dataDir });
  await importSamples({ sink: store });
  const id = { exchange: "samples", symbol: "SPX", timeframe: "1d" };
  const all = await store.read(id);
  if (all.length < BARS) throw new Error(`setup: ${SERIES} has ${all.length} bars, fewer than ${BARS}`);
  from = new Date(all.ts[all.length - BARS]!).toISOString();
  const frame = await store.read(id, { from: Date.parse(from) });
  const bt = await runBacktest({ frame, strategy: "sma_cross", params: { fast: 10, slow: 50 }, series: id });
  await using runs = await RunRegistry.open({ dir: `${dataDir}/_runs` });
  runId = (await runs.record(bt, { source: "cli", label: "mcp bench" })).id;
}

/** The stdio server as `deno task mcp` runs it (its permissions exactly), through ./denow. */
function transport(): StdioClientTransport {
  return new StdioClientTransport({
    command: `${ROOT}denow`,
    args: ["run", "--allow-read", "--allow-env", "--allow-ffi", "--allow-sys", "cli/mcp.ts", "--data-dir", dataDir],
    cwd: ROOT,
    stderr: "ignore",
  });
}

async function connect(): Promise<Client> {
  const client = new Client({ name: "mcp-bench", version: "1.0.0" });
  await client.connect(transport());
  return client;
}

/** Calls a tool; an error answer fails the bench instead of timing an error. */
async function call(client: Client, name: string, args: Record<string, unknown>): Promise<void> {
  const res = await client.callTool({ name, arguments: args });
  if (res.isError) throw new Error(`${name}: ${JSON.stringify(res.content)}`);
}

// One server for the "call" group, spawned once per bench file and closed when it ends.
const client = await connect();
globalThis.addEventListener("unload", () => void client.close());
const backtestArgs = { strategy: "sma_cross", params: { fast: 10, slow: 50 }, series: SERIES, from };
// Warm each path once (module graphs, the store's first read, resvg's first render) so the groups time steady state.
await call(client, "list_datasets", {});
await call(client, "run_backtest", backtestArgs);
await call(client, "plot", { kind: "equity", run: runId });

Deno.bench("list_datasets (target 20 ms)", { group: "call", baseline: true }, async () => {
  await call(client, "list_datasets", {});
});

Deno.bench("run_backtest sma_cross, 5,000 daily bars (target 100 ms)", { group: "call" }, async () => {
  await call(client, "run_backtest", backtestArgs);
});

Deno.bench("plot equity of a recorded 5,000-bar run: 900 px PNG + SVG (target 150 ms)", { group: "call" }, async () => {
  await call(client, "plot", { kind: "equity", run: runId });
});

Deno.bench("plot equity of a fresh 5,000-bar backtest: backtest + PNG + SVG", { group: "call" }, async () => {
  await call(client, "plot", { kind: "equity", ...backtestArgs });
});

Deno.bench(
  "server start to first answer: spawn, initialize, list_datasets (target 1 s; the close is not timed)",
  { group: "start", n: 10, warmup: 1 },
  async (b) => {
    b.start();
    const c = await connect();
    try {
      await call(c, "list_datasets", {});
      b.end();
    } finally {
      await c.close();
    }
  },
);
