// Issue 9: "every answer carries its provenance: data range and quality (gaps), fill timing, fees and slippage,
// annualization, engine version, run or manifest hash". Checked field by field on every answer that computes or
// reads results, through the SDK client.

import assert from "node:assert/strict";
import type { Call } from "./_client_testing.ts";
import { firstText } from "./_client_testing.ts";
import { connectedClient } from "./resources/_testing.ts";
import { closeReadOnlyStores } from "./tools/mod.ts";
import { researchDataDir } from "./tools/_research_testing.ts";

type Provenance = Record<string, string | number | undefined>;

/** What a result's provenance must say; `recorded` adds the run id. */
function assertFull(what: string, p: Provenance | undefined, recorded: boolean): void {
  assert.ok(p, `${what}: provenance`);
  assert.match(String(p.series), /^samples:(SPX|GOOG):1d$/, `${what}: series`);
  assert.match(String(p.from), /^\d{4}-\d\d-\d\dT/, `${what}: from`);
  assert.match(String(p.to), /^\d{4}-\d\d-\d\dT/, `${what}: to`);
  assert.ok(typeof p.bars === "number" && p.bars > 0, `${what}: bars`);
  assert.match(String(p.quality), /bars, calendar \w+, (no gaps|\d+ missing bars in \d+ gaps)/, `${what}: quality`);
  assert.match(String(p.fill), /^(next_open|close): a signal on bar t fills/, `${what}: fill timing`);
  assert.match(String(p.costs), /^fee [\d.]+% of notional.*slippage [\d.]+% adverse$/, `${what}: fees and slippage`);
  assert.match(String(p.annualization), /^\d+ periods per year/, `${what}: annualization`);
  assert.match(String(p.engineVersion), /^\d+\.\d+\.\d+$/, `${what}: engine version`);
  assert.match(String(p.manifestHash), /^[0-9a-f]{64}$/, `${what}: manifest hash`);
  if (recorded) assert.match(String(p.runId), /^\d{8}T\d{9}Z-[0-9a-f]{8}-[0-9a-f]{4}$/, `${what}: run id`);
}

Deno.test("provenance: run_backtest, run_sweep, walk_forward, get_run, compare_runs, plot and get_agent_run name range, quality, fill, costs, annualization, engine and hash", async () => {
  const fx = await researchDataDir({ agentRun: true });
  try {
    await using client = await connectedClient(fx.dataDir);
    const grid = { fast: [5, 10], slow: [20, 50] };
    const sweep = { strategy: "sma_cross", grid, series: "samples:SPX:1d" };
    const cases: [Call, boolean][] = [
      [["run_backtest", { strategy: "sma_cross", series: "samples:SPX:1d", options: { slippage: 0.0005 } }], false],
      [["run_sweep", sweep], false],
      [["walk_forward", { ...sweep, train: 500, test: 250, folds: 2 }], false],
      [["get_run", { id: fx.runId, limit: 1 }], true],
      [["get_agent_run", { id: fx.agentRunId!, limit: 1 }], true],
      [["plot", { kind: "equity", run: fx.runId }], true],
      [["plot", { kind: "drawdown", strategy: "sma_cross", series: "samples:GOOG:1d" }], false],
      [["plot", { kind: "sweep_heatmap", ...sweep }], false],
    ];
    const hashes = new Map<string, string>();
    for (const [[name, args], recorded] of cases) {
      const res = await client.callTool({ name, arguments: args });
      assert.notEqual(res.isError, true, `${name}: ${firstText(res)}`);
      const p = (res.structuredContent as { provenance: Provenance }).provenance;
      assertFull(`${name} ${JSON.stringify(args)}`, p, recorded);
      hashes.set(`${name} ${JSON.stringify(args)}`, String(p.manifestHash));
    }
    assert.match(
      String(
        ((await client.callTool({ name: "run_backtest", arguments: cases[0]![0][1] })).structuredContent as {
          provenance: Provenance;
        }).provenance.costs,
      ),
      /slippage 0\.05% adverse/,
    );

    const compared = await client.callTool({ name: "compare_runs", arguments: { ids: [fx.runId, fx.otherRunId] } });
    const runs = (compared.structuredContent as { runs: { provenance: Provenance }[] }).runs;
    assert.equal(runs.length, 2);
    for (const r of runs) assertFull("compare_runs", r.provenance, true);

    // A sweep's hash is of its inputs: the same call gives the same hash, another grid another one.
    const again = await client.callTool({ name: "run_sweep", arguments: sweep });
    const other = await client.callTool({
      name: "run_sweep",
      arguments: { ...sweep, grid: { fast: [5, 15], slow: [20] } },
    });
    const hashOf = (r: object) => (r as { structuredContent: { provenance: Provenance } }).structuredContent.provenance;
    assert.equal(hashOf(again).manifestHash, hashes.get(`run_sweep ${JSON.stringify(sweep)}`));
    assert.notEqual(hashOf(other).manifestHash, hashOf(again).manifestHash);
  } finally {
    await closeReadOnlyStores();
    await Deno.remove(fx.dataDir, { recursive: true });
  }
});
