// Every research and account tool over one data dir (store, runs registry, an account's audit log and config),
// with good and bad arguments: the data dir must be byte-identical afterwards, and no file or folder may appear.

import assert from "node:assert/strict";
import { dirSnapshot as snapshot, snapshotChanges } from "../../testing/mod.ts";
import type { McpTool } from "../mcp_tool.ts";
import { compareRunsTool } from "./compare_runs.ts";
import { getAccountTool } from "./get_account.ts";
import { getRunTool } from "./get_run.ts";
import { listRunsTool } from "./list_runs.ts";
import { plotTool } from "./plot.ts";
import { queryAuditLogTool } from "./query_audit_log.ts";
import { runBacktestTool } from "./run_backtest.ts";
import { runSweepTool } from "./run_sweep.ts";
import { walkForwardTool } from "./walk_forward.ts";
import { getAgentRunTool } from "./get_agent_run.ts";
import { listPersonasTool } from "./list_personas.ts";
import { call, fakeContext, researchDataDir } from "./_research_testing.ts";
import { closeReadOnlyStores, readOnlyStore } from "./_series.ts";
import { openRuns } from "./_research.ts";
import { AuditLog } from "../../audit/mod.ts";
import { Frame } from "../../frame/mod.ts";

Deno.test("a session of every research, account and agent tool leaves the data dir byte-identical", async () => {
  const fx = await researchDataDir({ agentRun: true });
  try {
    const before = await snapshot(fx.dataDir);
    assert.ok([...before.keys()].some((p) => p.endsWith("audit.sqlite")), "the fixture has an audit log");
    assert.ok([...before.keys()].some((p) => p.endsWith("run.json")), "the fixture has a recorded run");
    assert.ok([...before.keys()].some((p) => p.endsWith(".parquet") && p.includes("SPX")), "the fixture has bars");
    assert.ok([...before.keys()].some((p) => p.endsWith("llm_store.sqlite")), "the fixture has an LLM store");
    assert.ok([...before.keys()].some((p) => p.endsWith("decisions.jsonl")), "the fixture has an agent run");
    const { ctx, progress } = fakeContext(fx.dataDir);
    // deno-lint-ignore no-explicit-any
    const good: [McpTool<any, any>, Record<string, unknown>][] = [
      [runBacktestTool, { strategy: "sma_cross", params: { fast: 5, slow: 20 }, series: "samples:SPX:1d" }],
      [runBacktestTool, { strategy: "rsi_reversion", series: "samples:GOOG:1d", from: "2010-01-01" }],
      [runSweepTool, { strategy: "sma_cross", grid: { fast: [5, 10], slow: [20, 50] }, series: "samples:SPX:1d" }],
      [walkForwardTool, {
        strategy: "sma_cross",
        grid: { fast: [5, 10], slow: [20, 50] },
        series: "samples:SPX:1d",
        train: 500,
        test: 250,
        folds: 3,
      }],
      [listRunsTool, {}],
      [listRunsTool, { strategy: "sma_cross", limit: 1 }],
      [getRunTool, { id: fx.runId, offset: 2, limit: 3 }],
      [compareRunsTool, { ids: [fx.runId, fx.otherRunId] }],
      [queryAuditLogTool, { account: fx.account, limit: 20 }],
      [queryAuditLogTool, { account: fx.account, symbol: "GOOG", kinds: ["order_filled"] }],
      [getAccountTool, { account: fx.account }],
      [plotTool, { kind: "price", run: fx.runId }],
      [listPersonasTool, {}],
      [getAgentRunTool, { id: fx.agentRunId!, limit: 10 }],
      [getAgentRunTool, { id: fx.agentRunId!, persona: "trend_follower", offset: 2 }],
      [plotTool, { kind: "equity", run: fx.agentRunId! }],
      [plotTool, { kind: "monthly_returns", strategy: "sma_cross", series: "samples:GOOG:1d" }],
      [plotTool, {
        kind: "sweep_heatmap",
        strategy: "sma_cross",
        grid: { fast: [5, 10], slow: [20, 50] },
        series: "samples:SPX:1d",
      }],
    ];
    for (const [tool, args] of good) await call(tool, args, ctx);
    // deno-lint-ignore no-explicit-any
    const bad: [McpTool<any, any>, Record<string, unknown>][] = [
      [runBacktestTool, { strategy: "sma_cross", series: "samples:NEW:1d" }],
      [runSweepTool, { strategy: "sma_cross", grid: { fast: [1, 2, 3] }, series: "nope:X:1d" }],
      [getRunTool, { id: "0".repeat(10) }],
      [queryAuditLogTool, { account: "new-account" }],
      [getAccountTool, { account: "new-account" }],
      [getAgentRunTool, { id: fx.runId }],
      [getAgentRunTool, { id: fx.agentRunId!, persona: "nobody" }],
      [listPersonasTool, { name: "nobody" }],
      [plotTool, { kind: "equity", run: "0".repeat(10) }],
      [plotTool, { kind: "price", strategy: "sma_cross", series: "samples:NEW:1d" }],
    ];
    for (const [tool, args] of bad) await assert.rejects(() => call(tool, args, ctx));
    assert.ok(progress.length > 0);
    const after = await snapshot(fx.dataDir);
    for (const [path, hash] of before) assert.equal(after.get(path), hash, `${path} changed or vanished`);
    // Not even SQLite's -wal and -shm: a closed audit log is in rollback-journal mode (AuditLog's close), which a
    // read-only connection reads from the database file alone.
    assert.deepEqual([...after.keys()].filter((p) => !before.has(p)), [], "no file or folder appeared");
  } finally {
    await closeReadOnlyStores();
    await Deno.remove(fx.dataDir, { recursive: true });
  }
});

Deno.test("the tools read a data dir with no runs folder and no accounts without creating either", async () => {
  const dataDir = await Deno.makeTempDir({ prefix: "mcp-empty-" });
  try {
    const { ctx } = fakeContext(dataDir);
    const r = await call<{ runs: unknown[] }>(listRunsTool, {}, ctx);
    assert.deepEqual(r.structured.runs, []);
    await assert.rejects(() => call(getAccountTool, { account: "paper-1" }, ctx), /accounts here: \(none\)/);
    await assert.rejects(() => call(queryAuditLogTool, { account: "paper-1" }, ctx), /use one of: \(none\)/);
    await assert.rejects(() => call(runBacktestTool, { strategy: "sma_cross", series: "a:B:1d" }, ctx), /not stored/);
    assert.deepEqual([...Deno.readDirSync(dataDir)], []);
  } finally {
    await closeReadOnlyStores();
    await Deno.remove(dataDir, { recursive: true });
  }
});

Deno.test("a write through the connections the tools read with fails, and changes nothing", async () => {
  const fx = await researchDataDir();
  try {
    const before = await snapshot(fx.dataDir);
    // The store the data tools share.
    const store = await readOnlyStore(fx.dataDir);
    const bar = Frame.fromBars([{ ts: Date.UTC(2030, 0, 1), open: 1, high: 1, low: 1, close: 1, volume: 1 }]);
    await assert.rejects(store.append({ exchange: "samples", symbol: "SPX", timeframe: "1d" }, bar), /read-only/);
    // The runs registry as get_run, list_runs and compare_runs open it.
    await using runs = await openRuns(fx.dataDir);
    await assert.rejects(runs.remove(fx.runId), /read-only/);
    // The audit log as query_audit_log opens it: SQLite itself refuses, not only our class.
    using log = AuditLog.open({ dataDir: fx.dataDir, account: fx.account, readOnly: true });
    assert.throws(
      () => log.append({ kind: "pause", runId: "r1", payload: { by: "operator", reason: "through the MCP server" } }),
      /readonly database/,
    );
    assert.deepEqual(snapshotChanges(before, await snapshot(fx.dataDir)), []);
  } finally {
    await closeReadOnlyStores();
    await Deno.remove(fx.dataDir, { recursive: true });
  }
});
