// The MCP Inspector's CLI (npm @modelcontextprotocol/inspector, `--cli`, pinned in .tools/mcp-inspector/package.json)
// against `deno task mcp` over stdio: a client we did not write lists the tools and calls run_backtest. The server
// runs with the task's own narrow permissions, on a temp data dir holding the bundled samples.
import assert from "node:assert/strict";
import { join } from "node:path";
import { importSamples } from "../lib/data/mod.ts";
import { Store } from "../lib/store/mod.ts";

const ROOT = new URL("..", import.meta.url).pathname;
const INSPECTOR = join(ROOT, ".tools/mcp-inspector/node_modules/.bin/mcp-inspector");
const INSTALL = "npm ci --prefix .tools/mcp-inspector (what .ci/run does)";

/** Runs the inspector CLI on `deno task mcp --data-dir <dataDir>` and parses its JSON answer. */
async function inspect(dataDir: string, args: string[]): Promise<Record<string, unknown>> {
  try {
    await Deno.stat(INSPECTOR);
  } catch {
    throw new Error(`The MCP Inspector is not installed at ${INSPECTOR}: run \`${INSTALL}\` in ${ROOT}`);
  }
  // The inspector spawns everything after --cli up to its own flags as the server command; --cwd runs it in the repo.
  const out = await new Deno.Command("node", {
    args: [INSPECTOR, "--cli", "--cwd", ROOT, "./denow", "task", "mcp", "--data-dir", dataDir, ...args],
    cwd: dataDir,
    env: { NO_COLOR: "1" },
    stdout: "piped",
    stderr: "piped",
  }).output();
  const stdout = new TextDecoder().decode(out.stdout);
  const stderr = new TextDecoder().decode(out.stderr);
  assert.equal(out.code, 0, `mcp-inspector ${args.join(" ")} exited ${out.code}\n${stderr}\n${stdout}`);
  try {
    return JSON.parse(stdout);
  } catch {
    throw new Error(`mcp-inspector ${args.join(" ")} printed no JSON:\n${stdout}\n${stderr}`);
  }
}

Deno.test("MCP Inspector CLI: lists the read-only tools and runs a backtest through deno task mcp", async () => {
  const dataDir = await Deno.makeTempDir({ prefix: "mcp-inspector-" });
  try {
    {
      using store = await Store.open({ dir: dataDir });
      await importSamples({ sink: store });
    }

    const t0 = performance.now();
    const listed = await inspect(dataDir, ["--method", "tools/list"]);
    const listMs = performance.now() - t0;
    const tools = listed.tools as { name: string; annotations?: { readOnlyHint?: boolean }; outputSchema?: unknown }[];
    assert.ok(Array.isArray(tools), "tools/list answered a tools array");
    assert.ok(tools.length >= 17, `17 or more tools, got ${tools.length}: ${tools.map((t) => t.name).join(", ")}`);
    for (const t of tools) {
      assert.equal(t.annotations?.readOnlyHint, true, `${t.name} is registered with readOnlyHint: true`);
      assert.ok(t.outputSchema, `${t.name} has an output schema`);
    }
    for (const name of ["run_backtest", "plot", "list_personas", "get_agent_run"]) {
      assert.ok(tools.some((t) => t.name === name), `${name} is listed`);
    }

    const t1 = performance.now();
    const res = await inspect(dataDir, [
      "--method",
      "tools/call",
      "--tool-name",
      "run_backtest",
      "--tool-arg",
      "strategy=sma_cross",
      "series=samples:SPX:1d",
      'params={"fast":10,"slow":50}',
      'options={"fee":0.001}',
    ]);
    const callMs = performance.now() - t1;
    assert.notEqual(res.isError, true, `run_backtest failed: ${JSON.stringify(res.content)}`);
    const sc = res.structuredContent as {
      strategy: string;
      params: Record<string, number>;
      stats: { key: string; value: number | null }[];
      provenance: { series?: string; bars?: number };
    };
    assert.equal(sc.strategy, "sma_cross");
    assert.deepEqual(sc.params, { fast: 10, slow: 50 });
    const stat = (k: string): number | null | undefined => sc.stats.find((s) => s.key === k)?.value;
    for (const k of ["total_return", "sharpe", "max_drawdown", "final_equity"]) {
      assert.equal(typeof stat(k), "number", `stats has ${k}`);
    }
    assert.ok(stat("max_drawdown")! <= 0);
    assert.equal(sc.provenance.series, "samples:SPX:1d");
    assert.ok((sc.provenance.bars ?? 0) > 5_000);
    const text = (res.content as { type: string; text?: string }[]).find((c) => c.type === "text")?.text ?? "";
    assert.match(text, /sma_cross .* on samples:SPX:1d/);
    // Whole inspector runs (node start, server start, one request): a coarse bound that catches a hung server.
    console.log(`inspector: tools/list ${listMs.toFixed(0)} ms, tools/call run_backtest ${callMs.toFixed(0)} ms`);
    assert.ok(listMs < 30_000 && callMs < 30_000);
  } finally {
    await Deno.remove(dataDir, { recursive: true });
  }
});
