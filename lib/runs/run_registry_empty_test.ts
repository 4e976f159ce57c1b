// Runs with no rows (no trades, no orders, an empty equity curve or sweep table) must read back after a
// reopen: a zero-trade backtest is a valid result, and the registry is the only copy once the lab restarts.
import assert from "node:assert/strict";
import { Frame } from "../frame/mod.ts";
import { runBacktest } from "../backtest/mod.ts";
import { RunRegistry } from "./run_registry.ts";

const DAY = 86_400_000;

function flatFrame(n: number): Frame {
  const close = new Float64Array(n).fill(100);
  const ts = Float64Array.from(close, (_, i) => Date.UTC(2024, 0, 1) + i * DAY);
  return new Frame(ts, { open: close, high: close, low: close, close, volume: close });
}

async function reopened<T>(fn: (write: RunRegistry) => Promise<T>, read: (r: RunRegistry, x: T) => Promise<void>) {
  const dir = await Deno.makeTempDir();
  try {
    const w = await RunRegistry.open({ dir });
    const x = await fn(w);
    await w.close();
    // A fresh registry: nothing of the writer's process is reused (the lab after a restart).
    const r = await RunRegistry.open({ dir });
    try {
      await read(r, x);
    } finally {
      await r.close();
    }
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

Deno.test("a zero-trade backtest reads back after a reopen: trades [], equity, compare", async () => {
  // A flat price never crosses: no signal, no order, no trade.
  const result = await runBacktest({ frame: flatFrame(60), strategy: "sma_cross", params: { fast: 5, slow: 20 } });
  assert.equal(result.trades.length, 0);
  assert.equal(result.sim.orders.length, 0);
  await reopened(async (w) => (await w.record(result)).id, async (r, id) => {
    const rec = await r.get(id);
    assert.ok(rec.files.includes("trades.parquet"));
    assert.deepEqual(await r.trades(id), []);
    assert.equal((await r.equity(id)).length, 60);
    assert.ok((await r.compare(id, id)).length > 0);
  });
});

Deno.test("a zero-order backtest (every order under minNotional) reads back after a reopen", async () => {
  const close = Float64Array.from({ length: 80 }, (_, i) => 100 + 10 * Math.sin(i / 5));
  const ts = Float64Array.from(close, (_, i) => i * DAY);
  const frame = new Frame(ts, { open: close, high: close, low: close, close, volume: close });
  const result = await runBacktest({
    frame,
    strategy: "sma_cross",
    params: { fast: 3, slow: 10 },
    options: { minNotional: 1e12 },
  });
  assert.equal(result.sim.orders.length, 0);
  assert.ok(result.sim.skipped.minNotional > 0);
  await reopened(async (w) => (await w.record(result)).id, async (r, id) => {
    assert.deepEqual(await r.trades(id), []);
    assert.equal((await r.equity(id)).length, 80);
  });
});

Deno.test("0-row Parquet files of any kind (trades, equity, sweep) read back with their column types", async () => {
  await reopened(async (w) =>
    (await w.record({
      kind: "sweep",
      series: ["samples:SPX:1d"],
      strategy: "sma_cross",
      params: {},
      options: {},
      manifest: { id: "ee".repeat(32) },
      stats: {},
      trades: [],
      equity: { ts: new Float64Array(0), equity: new Float64Array(0), drawdown: new Float64Array(0) },
      sweep: { fast: new Float64Array(0), note: [] as string[] },
    })).id, async (r, id) => {
    assert.deepEqual(await r.trades(id), []);
    const eq = await r.equity(id);
    assert.equal(eq.length, 0);
    assert.deepEqual(Object.keys(eq.columns).sort(), ["drawdown", "equity"]);
    const sweep = await r.sweep(id);
    assert.ok(sweep.fast instanceof Float64Array && sweep.fast.length === 0);
    assert.deepEqual(sweep.note, []);
  });
});
