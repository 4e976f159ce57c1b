// No answer names the local data dir: every tool (good and bad arguments, unknown ids, damaged files), every
// resource and prompt, over a temp data dir whose path must never reach the client.

import assert from "node:assert/strict";
import { join } from "node:path";
import { BAD_CALLS, type Call, firstText, goodCalls } from "./_client_testing.ts";
import { DATA_DIR_LABEL } from "./_redact.ts";
import { connectedClient } from "./resources/_testing.ts";
import { ALL_TOOLS, closeReadOnlyStores } from "./tools/mod.ts";
import { researchDataDir, type ResearchFixture } from "./tools/_research_testing.ts";

const MISSING_RUN = "20240102T030405678Z-1a2b3c4d-9f0e";

/** Calls whose errors come from deeper down (the registry, the store, the audit log), not from the schemas. */
function errorCalls(fx: ResearchFixture): Call[] {
  return [
    ["describe_dataset", { series: "samples:NOPE:1d" }],
    ["get_candles", { series: "samples:SPX:1d", from: "2099-01-01" }],
    ["run_backtest", { strategy: "sma_cross", series: "samples:SPX:1d", params: { fast: 50, slow: 10 } }],
    ["run_backtest", { strategy: "sma_cross", series: "samples:SPX:1d", options: { fill: "x" } }],
    ["walk_forward", { strategy: "sma_cross", grid: { fast: [5] }, series: "samples:SPX:1d", train: 5000, test: 5000 }],
    ["get_run", { id: MISSING_RUN }],
    ["get_run", { id: "../../etc/passwd" }],
    ["compare_runs", { ids: [fx.runId, MISSING_RUN] }],
    ["plot", { kind: "equity", run: MISSING_RUN }],
    ["get_agent_run", { id: MISSING_RUN }],
    ["get_agent_run", { id: fx.runId }],
    ["query_audit_log", { account: "nope" }],
    ["get_account", { account: "../x" }],
  ];
}

/** Every spelling of the dir a message could carry. */
function spellings(dir: string): string[] {
  return [...new Set([dir, Deno.realPathSync(dir)])];
}

function assertNoPath(what: string, value: unknown, dirs: string[]): void {
  const text = JSON.stringify(value);
  for (const d of dirs) assert.ok(!text.includes(d), `${what} names the data dir: ${text.slice(0, 600)}`);
}

Deno.test("no tool answer, error, resource or prompt names the data dir's path, even when its files are damaged", async () => {
  const fx = await researchDataDir({ agentRun: true });
  const dirs = spellings(fx.dataDir);
  try {
    await using client = await connectedClient(fx.dataDir);
    const calls = [...goodCalls(fx), ...BAD_CALLS.map(([n, a]): Call => [n, a]), ...errorCalls(fx)];
    assert.deepEqual(
      ALL_TOOLS.map((t) => t.name).filter((n) => !calls.some(([c]) => c === n)),
      [],
      "every tool is called",
    );
    let errors = 0;
    for (const [name, args] of calls) {
      const res = await client.callTool({ name, arguments: args });
      if (res.isError) errors++;
      assertNoPath(`${name} ${JSON.stringify(args)}`, res, dirs);
    }
    assert.ok(errors >= BAD_CALLS.length + errorCalls(fx).length - 1, `errors ${errors}`);

    const { resources } = await client.listResources();
    for (const r of resources) assertNoPath(r.uri, await client.readResource({ uri: r.uri }), dirs);
    const { prompts } = await client.listPrompts();
    for (const p of prompts) {
      const args = Object.fromEntries((p.arguments ?? []).map((a) => [a.name, a.name === "series" ? "x:Y:1d" : "x"]));
      await client.getPrompt({ name: p.name, arguments: args }).then(
        (r) => assertNoPath(p.name, r, dirs),
        (e: Error) => assertNoPath(p.name, e.message, dirs),
      );
    }

    // Damaged files: DuckDB, the registry and the account config name the file they failed on.
    const runDir = join(fx.dataDir, "_runs", fx.runId);
    await Deno.writeTextFile(join(runDir, "trades.parquet"), "damaged");
    await Deno.writeTextFile(join(runDir, "equity.parquet"), "damaged");
    for await (const e of Deno.readDir(join(fx.dataDir, "samples", "GOOG", "1d"))) {
      if (e.name.endsWith(".parquet")) await Deno.writeTextFile(join(fx.dataDir, "samples", "GOOG", "1d", e.name), "x");
    }
    await Deno.writeTextFile(join(fx.dataDir, "_accounts", fx.account, "account.json"), "{ damaged");
    const damaged: Call[] = [
      ["get_run", { id: fx.runId }],
      ["plot", { kind: "equity", run: fx.runId }],
      ["list_datasets", {}],
      ["describe_dataset", { series: "samples:GOOG:1d" }],
      ["get_candles", { series: "samples:GOOG:1d", timeframe: "1w" }],
      ["run_backtest", { strategy: "sma_cross", series: "samples:GOOG:1d" }],
      ["get_account", { account: fx.account }],
    ];
    let redacted = 0;
    for (const [name, args] of damaged) {
      const res = await client.callTool({ name, arguments: args });
      assertNoPath(`damaged: ${name}`, res, dirs);
      const text = JSON.stringify(res);
      if (text.includes(DATA_DIR_LABEL)) redacted++;
      if (res.isError) assert.doesNotMatch(firstText(res), /\n\s+at |LINE 1:|SELECT /, `${name}: no stack, no SQL`);
    }
    assert.ok(redacted >= 3, `the damaged files are named relative to ${DATA_DIR_LABEL} (${redacted})`);
    await client.readResource({ uri: `sentinel://runs/${fx.runId}/trades.csv` }).then(
      (r) => assertNoPath("trades.csv", r, dirs),
      (e: Error) => assertNoPath("trades.csv", e.message, dirs),
    );
  } finally {
    await closeReadOnlyStores();
    await Deno.remove(fx.dataDir, { recursive: true });
  }
});
