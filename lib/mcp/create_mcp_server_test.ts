import assert from "node:assert/strict";
import { dirSnapshot as snapshot } from "../testing/mod.ts";
import { z } from "zod";
import { Frame } from "../frame/mod.ts";
import { fileURLToPath } from "node:url";
import { Client, InMemoryTransport, StdioClientTransport } from "./_sdk.ts";
import { exerciseServer, TOOL_NAMES } from "./_client_testing.ts";
import { createMcpServer } from "./create_mcp_server.ts";
import { defineTool, type McpTool } from "./mcp_tool.ts";
import { closeReadOnlyStores, readOnlyStore } from "./tools/mod.ts";
import { samplesDataDir } from "./tools/_data_testing.ts";
import { researchDataDir } from "./tools/_research_testing.ts";

const MINE = [
  "list_datasets",
  "describe_dataset",
  "get_candles",
  "compute_indicators",
  "list_strategies",
  "explain_metric",
];

async function connect(options: Parameters<typeof createMcpServer>[0]): Promise<Client> {
  const [serverSide, clientSide] = InMemoryTransport.createLinkedPair();
  await createMcpServer(options).connect(serverSide);
  const client = new Client({ name: "test", version: "1.0.0" });
  await client.connect(clientSide);
  return client;
}

const text = (res: object): string => (res as { content: { text: string }[] }).content[0]!.text;

// One good call per tool, and bad ones whose error must name the field.
const GOOD: [string, Record<string, unknown>][] = [
  ["list_datasets", {}],
  ["describe_dataset", { series: "samples:GOOG:1d" }],
  ["get_candles", { series: "samples:SPX:1d", timeframe: "1w", limit: 10 }],
  ["compute_indicators", { series: "samples:GOOG:1d", indicators: [{ name: "bollinger_bands" }], limit: 5 }],
  ["list_strategies", {}],
  ["explain_metric", { metric: "sortino" }],
];
const BAD: [string, Record<string, unknown>, RegExp][] = [
  ["list_datasets", { nope: true }, /nope/],
  ["describe_dataset", {}, /series/],
  ["describe_dataset", { series: "samples:NOPE:1d" }, /^series: /],
  ["get_candles", { series: "samples:GOOG:1d", limit: 10_000 }, /limit/],
  ["get_candles", { series: "samples:GOOG:1d", from: "someday" }, /^from: /],
  ["compute_indicators", { series: "samples:GOOG:1d", indicators: [{ name: "sma" }] }, /indicators\[0\]\.period/],
  ["compute_indicators", { series: "samples:GOOG:1d", indicators: [{ name: "rsi", period: "14" }] }, /period/],
  ["list_strategies", { name: 3 }, /name/],
  ["explain_metric", { metric: "alphabet soup" }, /^metric: /],
];

Deno.test("MCP server: every tool is read-only with an output schema; good calls answer, bad ones are tool errors naming the field", async () => {
  const dataDir = await samplesDataDir();
  const before = await snapshot(dataDir);
  const client = await connect({ dataDir });
  try {
    const { tools } = await client.listTools();
    for (const name of MINE) assert.ok(tools.some((t) => t.name === name), `${name} is listed`);
    for (const t of tools) {
      assert.equal(t.annotations?.readOnlyHint, true, t.name);
      assert.equal(t.annotations?.destructiveHint, false, t.name);
      assert.equal(t.annotations?.openWorldHint, false, t.name);
      assert.equal(t.outputSchema?.type, "object", t.name);
      assert.ok(t.description && t.description.length > 40, t.name);
    }
    for (const [name, args] of GOOD) {
      const res = await client.callTool({ name, arguments: args });
      assert.notEqual(res.isError, true, `${name}: ${text(res)}`);
      assert.ok(res.structuredContent, name);
      assert.ok((res.structuredContent as Record<string, unknown>).provenance, `${name} carries provenance`);
      assert.ok(text(res).length > 10, name);
    }
    for (const [name, args, field] of BAD) {
      const res = await client.callTool({ name, arguments: args });
      assert.equal(res.isError, true, `${name} ${JSON.stringify(args)}`);
      const msg = text(res).replace(/^MCP error -32602: Input validation error: Invalid arguments for tool \w+: /, "");
      assert.match(msg, field, `${name} ${JSON.stringify(args)}: ${msg}`);
      assert.doesNotMatch(msg, /\n\s+at |file:\/\//, "no stack trace");
    }
    const capped = await client.callTool({ name: "get_candles", arguments: { series: "samples:SPX:1d" } });
    assert.match(text(capped), /Capped: capped at 500 of 5105 rows/);
    assert.match((capped.structuredContent as { provenance: { capped: string } }).provenance.capped, /from=/);
  } finally {
    await client.close();
  }
  assert.deepEqual(await snapshot(dataDir), before, "the data dir is byte-identical after a session of calls");
});

Deno.test("MCP server: the store it reads through refuses writes", async () => {
  const dataDir = await samplesDataDir();
  const store = await readOnlyStore(dataDir);
  assert.equal(store.readOnly, true);
  const bar = Frame.fromBars([{ ts: 0, open: 1, high: 1, low: 1, close: 1, volume: 1 }]);
  await assert.rejects(store.append({ exchange: "samples", symbol: "GOOG", timeframe: "1d" }, bar), /read-only/);
});

Deno.test("MCP server: progress notifications, abort signal, and a thrown error is its message only", async () => {
  const dataDir = await Deno.makeTempDir();
  let sawSignal = false;
  const slow = defineTool({
    name: "count",
    title: "Count",
    description: "counts to n, reporting progress",
    input: z.strictObject({ n: z.number().int().min(1).max(10) }),
    output: z.strictObject({ n: z.number() }),
    async run({ n }, ctx) {
      sawSignal = ctx.signal instanceof AbortSignal && !ctx.signal.aborted;
      for (let i = 1; i <= n; i++) await ctx.progress(i, n, `step ${i}`);
      return { structured: { n }, text: `counted to ${n}` };
    },
  });
  const broken = defineTool({
    name: "broken",
    title: "Broken",
    description: "always throws",
    input: z.strictObject({}),
    output: z.strictObject({}),
    run() {
      throw new Error("the data dir has no runs; record one with deno task backtest --save");
    },
  });
  const client = await connect({ dataDir, tools: [slow, broken] as unknown as McpTool[] });
  try {
    const seen: number[] = [];
    const res = await client.callTool({ name: "count", arguments: { n: 3 } }, undefined, {
      onprogress: (p) => seen.push(p.progress),
    });
    assert.deepEqual(res.structuredContent, { n: 3 });
    assert.deepEqual(seen, [1, 2, 3]);
    assert.ok(sawSignal);
    const plain = await client.callTool({ name: "count", arguments: { n: 2 } });
    assert.deepEqual(plain.structuredContent, { n: 2 }, "without a progress token progress is a no-op");
    const err = await client.callTool({ name: "broken", arguments: {} });
    assert.equal(err.isError, true);
    assert.equal(text(err), "the data dir has no runs; record one with deno task backtest --save");
    assert.throws(() => createMcpServer({ dataDir, tools: [slow, slow] as unknown as McpTool[] }), /listed twice/);
  } finally {
    await client.close();
    await Deno.remove(dataDir, { recursive: true });
  }
});

Deno.test("MCP server in memory: the SDK client lists every tool and calls each with good and bad arguments, capped, with sweep progress", async () => {
  const fx = await researchDataDir({ agentRun: true });
  const client = await connect({ dataDir: fx.dataDir });
  try {
    const seen = await exerciseServer(client, fx);
    assert.ok(seen.tools.length >= TOOL_NAMES.length);
  } finally {
    await client.close();
    await closeReadOnlyStores();
    await Deno.remove(fx.dataDir, { recursive: true });
  }
});

const ROOT = fileURLToPath(new URL("../../", import.meta.url));

/** `deno task mcp` as deno.json declares it (same permissions), with the test's deno binary. */
async function mcpTaskArgs(): Promise<string[]> {
  const config = JSON.parse(await Deno.readTextFile(`${ROOT}deno.json`)) as { tasks: Record<string, string> };
  const [deno, ...args] = config.tasks.mcp!.split(/\s+/);
  assert.equal(deno, "deno");
  return args;
}

Deno.test("deno task mcp over stdio: the SDK client lists every tool and calls each with good and bad arguments, capped, with sweep progress", async () => {
  const fx = await researchDataDir({ agentRun: true });
  const stderr: string[] = [];
  const transport = new StdioClientTransport({
    command: Deno.execPath(),
    args: [...await mcpTaskArgs(), "--data-dir", fx.dataDir],
    cwd: ROOT,
    env: { ...Deno.env.toObject(), NO_COLOR: "1" },
    stderr: "pipe",
  });
  transport.stderr?.on("data", (chunk: Uint8Array) => stderr.push(new TextDecoder().decode(chunk)));
  const client = new Client({ name: "stdio-test", version: "1.0.0" });
  try {
    const t0 = performance.now();
    await client.connect(transport);
    await client.callTool({ name: "list_datasets", arguments: {} });
    const firstAnswerMs = performance.now() - t0;
    const seen = await exerciseServer(client, fx);
    assert.ok(seen.tools.length >= TOOL_NAMES.length);
    console.log(`stdio: spawn to first list_datasets answer ${firstAnswerMs.toFixed(0)} ms`);
  } catch (e) {
    throw new Error(`${(e as Error).message}\nserver stderr:\n${stderr.join("")}`);
  } finally {
    await client.close();
    await Deno.remove(fx.dataDir, { recursive: true });
  }
  assert.doesNotMatch(stderr.join(""), /\n\s+at /, "no stack on the server's stderr");
});
