import assert from "node:assert/strict";
import { join } from "node:path";
import { RunRegistry } from "../../runs/mod.ts";
import { closeReadOnlyStores } from "../tools/_series.ts";
import { connectedClient, manyTradesRun } from "../resources/_testing.ts";
import { explainDrawdownPrompt } from "./explain_drawdown.ts";

Deno.test("explain_drawdown: a curve that never falls says so; a run with no equity curve is an error naming the fix", async () => {
  const dataDir = await Deno.makeTempDir({ prefix: "mcp-dd-" });
  try {
    const rising = await manyTradesRun(dataDir, 5);
    const runs = await RunRegistry.open({ dir: join(dataDir, "_runs") });
    const sweep = await runs.record({
      kind: "sweep",
      series: ["x:X:1d"],
      strategy: "sma_cross",
      params: {},
      options: {},
      manifest: { id: "e".repeat(64) },
      stats: {},
      sweep: { fast: new Float64Array([5, 10]), sharpe: new Float64Array([0.1, 0.2]) },
    }, { now: new Date(Date.UTC(2030, 0, 1)) });
    await runs.close();

    const ctx = { dataDir, signal: new AbortController().signal };
    const flat = await explainDrawdownPrompt.build({ run: rising }, ctx);
    assert.match(flat.text, /never falls below a previous peak/);
    assert.deepEqual(flat.calls.map((c) => c.tool), ["get_run", "plot"]);

    await using client = await connectedClient(dataDir);
    await assert.rejects(
      client.getPrompt({ name: "explain_drawdown", arguments: { run: sweep.id } }),
      /run: .* is a sweep run with no equity curve; pass a single backtest run \(list_runs with kind=single\)/,
    );
  } finally {
    await closeReadOnlyStores();
    await Deno.remove(dataDir, { recursive: true });
  }
});
