import assert from "node:assert/strict";
import { Frame } from "../frame/mod.ts";
import { runPortfolioBacktest } from "./backtest_portfolio.ts";
import { runPortfolioSweep } from "./portfolio_sweep.ts";
import type { SweepRow } from "./sweep.ts";
import { randomFrame } from "./_testing.ts";

const HOUR = 3_600_000;

/** Three random-walk assets on an hourly clock; b lacks a few bars, c starts late. */
function assets(n = 600): Record<string, Frame> {
  const hourly = (f: Frame, keep: (i: number) => boolean): Frame => {
    const rows = Array.from({ length: f.length }, (_, i) => i).filter(keep);
    const pick = (x: Float64Array) => Float64Array.from(rows, (i) => x[i]!);
    return new Frame(Float64Array.from(rows, (i) => i * HOUR), {
      open: pick(f.open),
      high: pick(f.high),
      low: pick(f.low),
      close: pick(f.close),
      volume: pick(f.col("volume")),
    });
  };
  return {
    a: hourly(randomFrame(n, 1), () => true),
    b: hourly(randomFrame(n, 2), (i) => i % 97 !== 50),
    c: hourly(randomFrame(n, 3), (i) => i >= 40),
  };
}

const rowsOf = (t: { numRows: number; schema: { fields: { name: string }[] }; getChild(n: string): unknown }) =>
  Array.from({ length: t.numRows }, (_, i) =>
    Object.fromEntries(
      t.schema.fields.map((f) => [f.name, (t.getChild(f.name) as { get(i: number): unknown }).get(i)]),
    ));

Deno.test("every sweep row equals a separate portfolio backtest with those params (full stats, costs, stops)", async () => {
  const frames = assets();
  const options = { fee: 0.001, fixedFee: 0.2, spread: 0.0005, lot: 0.01, stopLoss: 0.03, trailingStop: 0.05 };
  const grid = { lookback: [6, 24], k: [1, 2], every: [3, 12] };
  const r = await runPortfolioSweep({ frames, strategy: "momentum_rotation", grid, options, stats: "full" });
  assert.equal(r.combos, 8);
  assert.equal(r.metric, "sharpe");
  const rows = rowsOf(r.table);
  let stopped = 0;
  for (const row of rows) {
    const params = { lookback: row.lookback, k: row.k, every: row.every };
    const one = await runPortfolioBacktest({ frames, strategy: "momentum_rotation", params, options });
    stopped += one.trades.filter((t) => t.exitReason === "stop_loss" || t.exitReason === "trailing_stop").length;
    for (const k of r.statColumns) assert.deepEqual(row[k], one.stats[k], `${JSON.stringify(params)} ${k}`);
    assert.equal(row.weight, 0);
  }
  assert.ok(stopped > 0, "the grid must exercise the stops");
  // The best row is the highest Sharpe, its stats those of the single run plus the DSR over 8 trials.
  const sharpes = rows.map((x) => x.sharpe as number);
  const best = r.best!;
  assert.equal(best.value, Math.max(...sharpes));
  assert.equal(best.combo, sharpes.indexOf(best.value));
  assert.equal(best.trials, 8);
  const one = await runPortfolioBacktest({ frames, strategy: "momentum_rotation", params: best.params, options });
  assert.equal(best.stats.sharpe, one.stats.sharpe);
  assert.ok(best.psr >= 0 && best.psr <= 1);
  assert.ok(best.dsr >= 0 && best.dsr <= 1);
});

Deno.test("fast stats: final equity, return, closed trades and entries of the same runs", async () => {
  const frames = assets(300);
  const r = await runPortfolioSweep({
    frames,
    strategy: "momentum_rotation",
    grid: { lookback: [5, 10, 20], every: [1, 7] },
    options: { fill: "close", finalize: "open" },
  });
  assert.deepEqual(r.statColumns, ["final_equity", "total_return", "trades", "entries"]);
  assert.equal(r.metric, "final_equity");
  assert.ok(Number.isNaN(r.best!.dsr));
  for (const row of rowsOf(r.table)) {
    const one = await runPortfolioBacktest({
      frames,
      strategy: "momentum_rotation",
      params: { lookback: row.lookback, every: row.every },
      options: { fill: "close", finalize: "open" },
    });
    assert.equal(row.final_equity, one.stats.final_equity);
    assert.equal(row.total_return, one.sim.finalEquity / 10_000 - 1);
    assert.equal(row.entries, one.trades.length);
    assert.equal(row.trades, one.trades.filter((t) => t.exitIndex >= 0).length);
  }
});

Deno.test("random search is deterministic by seed, draws distinct grid points, and stays in the schema's ranges", async () => {
  const frames = assets(300);
  const grid = { lookback: [4, 8, 12, 16, 20], k: [1, 2, 3], every: [2, 4, 6, 8] };
  const run = (seed: number) =>
    runPortfolioSweep({ frames, strategy: "momentum_rotation", grid, random: { n: 12, seed } }).then((r) =>
      rowsOf(r.table)
    );
  const a = await run(7), b = await run(7), c = await run(8);
  assert.deepEqual(a, b);
  assert.notDeepEqual(a, c);
  const keys = a.map((x) => `${x.lookback}/${x.k}/${x.every}`);
  assert.equal(new Set(keys).size, 12);
  for (const x of a) assert.ok(grid.lookback.includes(x.lookback as number) && grid.k.includes(x.k as number));

  // Without a grid: draws from each param's range (momentum_rotation's k*weight <= 1 rule skips some).
  const free = await runPortfolioSweep({ frames, strategy: "momentum_rotation", random: { n: 20, seed: 3 } });
  const again = await runPortfolioSweep({ frames, strategy: "momentum_rotation", random: { n: 20, seed: 3 } });
  assert.deepEqual(rowsOf(free.table), rowsOf(again.table));
  assert.equal(free.combos + free.skipped.count, 20);
});

Deno.test("invalid combinations are skipped with reasons; bad inputs name the value and the fix", async () => {
  const frames = assets(100);
  const r = await runPortfolioSweep({
    frames,
    strategy: "momentum_rotation",
    grid: { lookback: [5, 100], k: [1, 2], weight: [0.6] },
  });
  // lookback 100 needs 100 bars of warm-up on 100 union bars; k=2 with weight 0.6 invests 120%.
  assert.equal(r.combos, 1);
  assert.equal(r.skipped.count, 3);
  assert.match(r.skipped.reasons.join("\n"), /needs 100 bars of warm-up; the union timeline has 100 bars/);
  assert.match(r.skipped.reasons.join("\n"), /k \* weight must be <= 1/);
  await assert.rejects(
    () => runPortfolioSweep({ frames, strategy: "sma_cross" }),
    /single-asset strategy: use runSweep/,
  );
  await assert.rejects(
    () => runPortfolioSweep({ frames, strategy: "momentum_rotation", grid: { lookbak: [1] } }),
    /"lookbak" is not a param of momentum_rotation/,
  );
  await assert.rejects(
    () => runPortfolioSweep({ frames, strategy: "momentum_rotation", metric: "sharpe" }),
    /not a column of a "fast" sweep/,
  );
});

Deno.test("onBatch streams rows with their combo position; progress reaches the total; abort stops it", async () => {
  const frames = assets(200);
  const got: SweepRow[] = [];
  let last = { done: 0, total: 0 };
  const r = await runPortfolioSweep({
    frames,
    strategy: "momentum_rotation",
    grid: { lookback: [2, 3, 4, 5, 6, 7, 8, 9, 10, 11] },
    onBatch: (rows) => got.push(...rows),
    onProgress: (p) => (last = p),
  });
  assert.equal(r.table.numRows, 0); // not retained with onBatch
  assert.deepEqual(got.map((x) => x.combo), [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
  assert.deepEqual(got.map((x) => x.lookback), [2, 3, 4, 5, 6, 7, 8, 9, 10, 11]);
  assert.deepEqual([last.done, last.total], [10, 10]);
  const ac = new AbortController();
  ac.abort(new Error("stop here"));
  await assert.rejects(
    () => runPortfolioSweep({ frames, strategy: "momentum_rotation", signal: ac.signal }),
    /stop here/,
  );
});

Deno.test("worker threads give the same rows, best and DSR as this thread", async () => {
  const frames = assets(400);
  const input = {
    frames,
    strategy: "momentum_rotation",
    grid: { lookback: [4, 8, 16, 32], k: [1, 2], every: [2, 6, 12] },
    options: { fee: 0.001, stopLoss: 0.02, takeProfit: 0.03 },
    stats: "full" as const,
  };
  const here = await runPortfolioSweep({ ...input, workers: 0 });
  const pool = await runPortfolioSweep({ ...input, workers: 2 });
  assert.equal(here.workers, 0);
  assert.equal(pool.workers, 2);
  assert.deepEqual(rowsOf(pool.table), rowsOf(here.table));
  assert.deepEqual(pool.best, here.best);

  const streamed: SweepRow[] = [];
  await runPortfolioSweep({ ...input, workers: 2, onBatch: (rows) => streamed.push(...rows) });
  streamed.sort((a, b) => (a.combo as number) - (b.combo as number));
  assert.deepEqual(streamed.map((r) => r.sharpe), rowsOf(here.table).map((r) => r.sharpe));

  const ac = new AbortController();
  const run = runPortfolioSweep({
    ...input,
    workers: 2,
    signal: ac.signal,
    onBatch: () => ac.abort(new Error("enough")),
  });
  await assert.rejects(() => run, /enough/);
});

Deno.test("a strategy object not in the registry runs in this thread, with a note", async () => {
  const { momentumRotation } = await import("../strategies/momentum_rotation.ts");
  const copy = { ...momentumRotation, name: "momentum_copy_test" };
  const r = await runPortfolioSweep({ frames: assets(100), strategy: copy, grid: { lookback: [3, 5] }, workers: 2 });
  assert.equal(r.workers, 0);
  assert.match(r.notes.join("\n"), /not the registry's: workers load strategies by name/);
  assert.equal(r.combos, 2);
});
