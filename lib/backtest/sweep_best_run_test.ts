import assert from "node:assert/strict";
import { runBacktest } from "./backtest.ts";
import { runSweep } from "./sweep.ts";
import { randomFrame } from "./_testing.ts";
import type { BacktestResult } from "./backtest_result.ts";

const frame = randomFrame(3000, 11);
const grid = { fast: [2, 3, 5, 8, 13], slow: [5, 10, 21, 34] };
const common = { frame, strategy: "sma_cross", timeframe: "1m", calendar: "24/7" as const, riskFree: 0.01 };

/** Everything a user sees of a run but the manifest's creation time. */
function seen(r: BacktestResult): unknown {
  const { created_at: _, ...manifest } = r.manifest as unknown as Record<string, unknown>;
  return {
    json: r.toJSON().stats,
    finalEquity: r.finalEquity,
    trades: r.trades,
    equity: [...r.sim.equity],
    position: [...r.sim.position],
    benchmark: r.benchmark ? [...r.benchmark] : null,
    manifest,
  };
}

for (
  const [stats, options] of [
    ["fast", { fill: "close", fee: 0.001, finalize: "open" }],
    ["full", { fill: "next_open", fee: 0.002, slippage: 0.001 }],
  ] as const
) {
  Deno.test(`runSweep keepBestRun (${stats} stats): bestRun is runBacktest of the best params, bit for bit`, async () => {
    const sweep = await runSweep({ ...common, grid, options, stats, workers: 0, keepBestRun: true });
    assert.ok(sweep.best !== null && sweep.bestRun !== undefined);
    const single = await runBacktest({ ...common, options, params: sweep.best.params });
    assert.deepEqual(seen(sweep.bestRun), seen(single));
    // Without the option nothing more is built.
    const plain = await runSweep({ ...common, grid, options, stats, workers: 0 });
    assert.equal(plain.bestRun, undefined);
    assert.deepEqual(plain.best, sweep.best);
  });
}
