// What the SDK-client tests of both transports (in-memory/stdio in create_mcp_server_test.ts, Streamable HTTP in
// lib/http/_mcp_test.ts) check against one research data dir: one good and one bad call per tool, a capped answer,
// progress on a sweep, and an image from `plot` once that tool is registered.

import assert from "node:assert/strict";
import type { Client } from "./_sdk.ts";
import type { ResearchFixture } from "./tools/_research_testing.ts";

/** A tool call: name and arguments. */
export type Call = [name: string, args: Record<string, unknown>];

/**
 * One good call per tool over a {@link ResearchFixture} (samples:SPX:1d and samples:GOOG:1d, two runs, paper-1; the
 * agent run's `get_agent_run` when the fixture recorded one).
 */
export function goodCalls(fx: ResearchFixture): Call[] {
  return [
    ["list_datasets", {}],
    ["describe_dataset", { series: "samples:GOOG:1d" }],
    ["get_candles", { series: "samples:SPX:1d", timeframe: "1w", limit: 10 }],
    ["compute_indicators", { series: "samples:GOOG:1d", indicators: [{ name: "bollinger_bands" }], limit: 5 }],
    ["list_strategies", {}],
    ["explain_metric", { metric: "sortino" }],
    ["run_backtest", { strategy: "sma_cross", params: { fast: 5, slow: 20 }, series: "samples:SPX:1d" }],
    ["run_sweep", { strategy: "sma_cross", grid: { fast: [5, 10], slow: [20, 50] }, series: "samples:SPX:1d" }],
    ["walk_forward", {
      strategy: "sma_cross",
      grid: { fast: [5, 10], slow: [20, 50] },
      series: "samples:SPX:1d",
      train: 500,
      test: 250,
      folds: 2,
    }],
    ["list_runs", { limit: 5 }],
    ["get_run", { id: fx.runId, limit: 3 }],
    ["compare_runs", { ids: [fx.runId, fx.otherRunId] }],
    ["query_audit_log", { account: fx.account, limit: 10 }],
    ["get_account", { account: fx.account }],
    ["list_personas", {}],
    ...(fx.agentRunId ? [["get_agent_run", { id: fx.agentRunId, limit: 5 }] as Call] : []),
  ];
}

/** One bad call per tool, with what its error message must name (the field). */
export const BAD_CALLS: [name: string, args: Record<string, unknown>, names: RegExp][] = [
  ["list_datasets", { nope: true }, /^unknown argument "nope"; this tool takes no arguments/],
  ["run_backtest", { strategy: "sma_cross", series: "samples:SPX:1d", param: {} }, /"param"; this tool takes .*params/],
  ["describe_dataset", { series: "samples:NOPE:1d" }, /^series: /],
  ["get_candles", { series: "samples:GOOG:1d", limit: 10_000 }, /at limit$/],
  ["compute_indicators", { series: "samples:GOOG:1d", indicators: [{ name: "sma" }] }, /indicators\[0\]\.period/],
  ["list_strategies", { name: 3 }, /at name$/],
  ["explain_metric", { metric: "alphabet soup" }, /^metric: /],
  ["run_backtest", { strategy: "sma_cross", series: "samples:NEW:1d" }, /^series: /],
  ["run_sweep", { strategy: "sma_cross", grid: { fast: [5] }, series: "samples:SPX:1d", top: 0 }, /at top$/],
  [
    "walk_forward",
    { strategy: "sma_cross", grid: { fast: [5] }, series: "samples:SPX:1d", train: 1, test: 50 },
    /at train$/,
  ],
  ["list_runs", { kind: "everything" }, /at kind$/],
  ["get_run", { id: "0".repeat(10) }, /^id: /],
  ["compare_runs", { ids: ["a"] }, /at ids$/],
  ["query_audit_log", { account: "new-account" }, /^account: /],
  ["get_account", { account: "" }, /at account$/],
  ["list_personas", { name: "nobody" }, /^name: no persona "nobody"; use one of /],
  ["get_agent_run", { id: "x", offset: -1 }, /at offset$/],
];

/** The tools every transport must list (plus `plot` once it is registered). */
export const TOOL_NAMES: readonly string[] = [
  "list_datasets",
  "describe_dataset",
  "get_candles",
  "compute_indicators",
  "list_strategies",
  "explain_metric",
  "run_backtest",
  "run_sweep",
  "walk_forward",
  "list_runs",
  "get_run",
  "compare_runs",
  "query_audit_log",
  "get_account",
  "list_personas",
  "get_agent_run",
];

type Content = { type: string; text?: string; data?: string; mimeType?: string }[];

/** The first text block of a tool answer. */
export function firstText(res: object): string {
  const content = (res as { content?: Content }).content ?? [];
  return content.find((c) => c.type === "text")?.text ?? "";
}

// The SDK words a schema rejection itself; what follows its prefix is zod's message, ending with the field's path.
const SDK_PREFIX = /^MCP error -32602: Input validation error: Invalid arguments for tool \w+: /;

/** What {@link exerciseServer} saw. */
export interface Exercised {
  /** Names listed by `tools/list`. */
  tools: string[];
  /** Progress values seen on the sweep, in order. */
  progress: number[];
  /** Whether `plot` was listed and answered with a PNG. */
  plotted: boolean;
}

/**
 * Runs the whole client check through `client` against a server over `fx.dataDir`: every tool listed and read-only,
 * each good call answered with structured content and provenance, each bad call an `isError` answer that names the
 * field without a stack, a capped `get_candles` saying so, progress notifications on `run_sweep`, and a PNG from
 * `plot` when the server lists it.
 */
export async function exerciseServer(client: Client, fx: ResearchFixture): Promise<Exercised> {
  const { tools } = await client.listTools();
  const names = tools.map((t) => t.name);
  for (const name of TOOL_NAMES) assert.ok(names.includes(name), `${name} is listed`);
  for (const t of tools) {
    assert.equal(t.annotations?.readOnlyHint, true, `${t.name} is read-only`);
    assert.equal(t.annotations?.destructiveHint, false, t.name);
    assert.equal(t.outputSchema?.type, "object", t.name);
  }
  for (const [name, args] of goodCalls(fx)) {
    const res = await client.callTool({ name, arguments: args });
    assert.notEqual(res.isError, true, `${name}: ${firstText(res)}`);
    const structured = res.structuredContent as Record<string, unknown> | undefined;
    assert.ok(structured?.provenance, `${name} carries provenance`);
    assert.ok(firstText(res).length > 10, name);
  }
  for (const [name, args, field] of BAD_CALLS) {
    const res = await client.callTool({ name, arguments: args });
    const where = `${name} ${JSON.stringify(args)}`;
    assert.equal(res.isError, true, where);
    const msg = firstText(res).replace(SDK_PREFIX, "");
    assert.match(msg, field, `${where}: ${msg}`);
    assert.doesNotMatch(msg, /\n\s+at |file:\/\//, `${where}: no stack trace`);
  }
  const capped = await client.callTool({ name: "get_candles", arguments: { series: "samples:SPX:1d" } });
  assert.match(firstText(capped), /Capped: capped at 500 of 5105 rows/);
  assert.match((capped.structuredContent as { provenance: { capped: string } }).provenance.capped, /from=/);

  const progress: number[] = [];
  const sweep = await client.callTool(
    {
      name: "run_sweep",
      arguments: {
        strategy: "sma_cross",
        grid: { fast: [5, 10, 15, 20], slow: [30, 50, 100] },
        series: "samples:SPX:1d",
      },
    },
    undefined,
    { onprogress: (p) => void progress.push(p.progress) },
  );
  assert.notEqual(sweep.isError, true, firstText(sweep));
  assert.ok(progress.length > 0, "progress notifications reached the client");
  for (let i = 1; i < progress.length; i++) assert.ok(progress[i]! >= progress[i - 1]!, "progress never goes back");

  let plotted = false;
  if (names.includes("plot")) {
    const res = await client.callTool({ name: "plot", arguments: { kind: "equity", run: fx.runId } });
    assert.notEqual(res.isError, true, `plot: ${firstText(res)}`);
    const content = (res as { content: Content }).content;
    const png = content.find((c) => c.type === "image");
    assert.equal(png?.mimeType, "image/png");
    assert.ok(png?.data?.startsWith("iVBORw0KGgo"), "a PNG (base64 of its signature)");
    const svg = content.find((c) => c.type === "resource") as { resource?: { mimeType: string; text: string } };
    assert.equal(svg?.resource?.mimeType, "image/svg+xml");
    assert.match(svg?.resource?.text ?? "", /<svg/);
    const bad = await client.callTool({ name: "plot", arguments: { kind: "pie", run: fx.runId } });
    assert.equal(bad.isError, true);
    assert.match(firstText(bad).replace(SDK_PREFIX, ""), /at kind$/);
    plotted = true;
  }
  return { tools: names, progress, plotted };
}
