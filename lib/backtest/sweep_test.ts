import assert from "node:assert/strict";
import { Frame } from "../frame/mod.ts";
import { defineStrategy, rsiReversion, smaCross } from "../strategies/mod.ts";
import { runBacktest } from "./backtest.ts";
import { runSweep, type SweepRow } from "./sweep.ts";
import { randomFrame } from "./_testing.ts";

const frame = randomFrame(3000, 11);
const grid = { fast: [2, 3, 5, 8, 13], slow: [5, 10, 21, 34] };
const options = { fill: "close" as const, fee: 0.001, finalize: "open" as const };

/** sma_cross without the crossover hint: forces the general path (simulate per combination). */
const noHint = defineStrategy({ ...smaCross, name: "sma_cross_no_hint", crossover: undefined });

function col(t: { getChild(name: string): { toArray(): unknown } | null }, name: string): number[] {
  return [...(t.getChild(name)!.toArray() as Float64Array)];
}

Deno.test("runSweep: grid validated by the schema, invalid combinations skipped and counted", async () => {
  const r = await runSweep({ frame, strategy: "sma_cross", grid, options, workers: 0, timeframe: "1m" });
  // fast < slow, counted by slow: 5 -> fast 2, 3; 10 -> 2, 3, 5, 8; 21 -> all 5; 34 -> all 5.
  assert.equal(r.combos, 2 + 4 + 5 + 5);
  assert.equal(r.skipped.count, 20 - 16);
  assert.equal(r.skipped.reasons.length, 4);
  assert.match(r.skipped.reasons[0]!, /fast/);
  assert.equal(r.table.numRows, 16);
  assert.deepEqual(r.paramColumns, ["fast", "slow"]);
  // Each distinct SMA once: 2, 3, 5, 8, 13 (fast) and 10, 21, 34 (slow; 5 already counted).
  assert.equal(r.indicators, 8);
});

Deno.test("runSweep: the fused kernel equals the general path and runBacktest exactly", async () => {
  const fast = await runSweep({ frame, strategy: "sma_cross", grid, options, workers: 0, timeframe: "1m" });
  const general = await runSweep({ frame, strategy: noHint, grid, options, workers: 0, timeframe: "1m" });
  assert.ok(fast.fastPath);
  assert.ok(!general.fastPath);
  for (const c of ["fast", "slow", "final_equity", "total_return", "trades", "entries"]) {
    assert.deepEqual(col(fast.table, c), col(general.table, c), c);
  }
  // A row reproduced by a single backtest.
  const p = { fast: col(fast.table, "fast")[5]!, slow: col(fast.table, "slow")[5]! };
  const one = await runBacktest({ frame, strategy: "sma_cross", params: p, options, timeframe: "1m" });
  assert.equal(col(fast.table, "final_equity")[5], one.stats.final_equity);
  assert.equal(col(fast.table, "trades")[5], one.stats.trades);
  assert.equal(col(fast.table, "entries")[5], one.trades.length);
});

Deno.test("runSweep: 2 workers give the same table as in-process, batch size does not matter", async () => {
  const a = await runSweep({ frame, strategy: "sma_cross", grid, options, workers: 0, timeframe: "1m" });
  const b = await runSweep({ frame, strategy: "sma_cross", grid, options, workers: 2, batchSize: 3, timeframe: "1m" });
  assert.equal(b.workers, 2);
  for (const c of a.table.schema.fields.map((f) => f.name)) assert.deepEqual(col(a.table, c), col(b.table, c), c);
  assert.deepEqual(a.best, b.best);
});

Deno.test("runSweep: full stats rows equal runBacktest's stats; best has PSR and DSR over the trials", async () => {
  const r = await runSweep({
    frame,
    strategy: "sma_cross",
    grid: { fast: [3, 5], slow: [10, 21] },
    options: { fee: 0.001 },
    stats: "full",
    workers: 2,
    timeframe: "1m",
    calendar: "24/7",
  });
  assert.equal(r.workers, 2);
  assert.ok(!r.fastPath);
  assert.equal(r.metric, "sharpe");
  const one = await runBacktest({
    frame,
    strategy: "sma_cross",
    params: { fast: 5, slow: 21 },
    options: { fee: 0.001 },
    timeframe: "1m",
    calendar: "24/7",
  });
  const row = 3; // fast 5, slow 21 (first key slowest)
  for (const [k, v] of Object.entries(one.stats)) {
    if (k === "dsr") continue; // no trials in a single run
    assert.deepEqual(col(r.table, k)[row], v, k);
  }
  const best = r.best!;
  const sharpes = col(r.table, "sharpe");
  assert.equal(best.value, Math.max(...sharpes));
  assert.equal(best.trials, 4);
  assert.ok(best.psr >= 0 && best.psr <= 1);
  assert.ok(best.dsr <= best.psr);
  assert.equal(best.stats.sharpe, best.value);
});

Deno.test("runSweep: onBatch streams rows, retain false keeps none, progress counts up, works for other strategies", async () => {
  const rows: SweepRow[] = [];
  const seen: number[] = [];
  const r = await runSweep({
    frame,
    strategy: rsiReversion,
    grid: { period: [7, 14], lower: [20, 30] },
    options: { fee: 0.001 },
    workers: 0,
    batchSize: 1,
    timeframe: "1m",
    onBatch: (b) => rows.push(...b),
    onProgress: (p) => {
      seen.push(p.done);
      assert.equal(p.total, 4);
      assert.ok(p.etaSec >= 0);
    },
  });
  assert.equal(r.table.numRows, 0);
  assert.deepEqual(seen, [1, 2, 3, 4]);
  assert.equal(rows.length, 4);
  assert.deepEqual(rows.map((x) => [x.period, x.lower]), [[7, 20], [7, 30], [14, 20], [14, 30]]);
  const one = await runBacktest({
    frame,
    strategy: rsiReversion,
    params: { period: 14, lower: 30 },
    options: { fee: 0.001 },
    timeframe: "1m",
  });
  assert.equal(rows[3]!.final_equity, one.stats.final_equity);
  assert.equal(r.best!.value, Math.max(...rows.map((x) => x.final_equity as number)));
});

Deno.test("runSweep: random search samples distinct grid points reproducibly", async () => {
  const a = await runSweep({
    frame,
    strategy: "sma_cross",
    grid,
    random: { n: 7, seed: 3 },
    options,
    workers: 0,
    timeframe: "1m",
  });
  const b = await runSweep({
    frame,
    strategy: "sma_cross",
    grid,
    random: { n: 7, seed: 3 },
    options,
    workers: 0,
    timeframe: "1m",
  });
  assert.equal(a.combos + a.skipped.count, 7);
  assert.deepEqual(col(a.table, "fast"), col(b.table, "fast"));
  const pairs = new Set(col(a.table, "fast").map((f, i) => `${f}/${col(a.table, "slow")[i]}`));
  assert.equal(pairs.size, a.combos);
  const free = await runSweep({
    frame,
    strategy: "sma_cross",
    random: { n: 5, seed: 1 },
    options,
    workers: 0,
    timeframe: "1m",
  });
  assert.equal(free.combos + free.skipped.count, 5);
});

Deno.test("runSweep: abort terminates workers and rejects with the reason", async () => {
  const big = randomFrame(200_000, 5);
  const ac = new AbortController();
  const p = runSweep({
    frame: big,
    strategy: "sma_cross",
    grid: { fast: [2, 3, 4, 5, 6, 7, 8], slow: [20, 30, 40, 50, 60, 70, 80, 90] },
    options: { fee: 0.001 },
    stats: "full",
    workers: 2,
    batchSize: 1,
    timeframe: "1m",
    signal: ac.signal,
    onProgress: () => ac.abort(new DOMException("stop", "AbortError")),
  });
  await assert.rejects(p, /stop/);
  const pre = new AbortController();
  pre.abort();
  await assert.rejects(() => runSweep({ frame, strategy: "sma_cross", signal: pre.signal, workers: 0 }));
});

Deno.test("runSweep: bad grids and options throw with the fix in the message", async () => {
  await assert.rejects(
    () => runSweep({ frame, strategy: "sma_cross", grid: { fats: [1] }, workers: 0 }),
    /grid param "fats" is not a param of sma_cross; its params are fast, slow/,
  );
  await assert.rejects(() => runSweep({ frame, strategy: "sma_cross", grid: { fast: [] }, workers: 0 }), /no values/);
  await assert.rejects(() => runSweep({ frame, strategy: "sma_cross", metric: "sharpe", workers: 0 }), /not a column/);
  await assert.rejects(() => runSweep({ frame, strategy: "momentum_rotation", workers: 0 }), /portfolio/);
  await assert.rejects(() => runSweep({ frame, strategy: "sma_cross", workers: -1 }), /workers must be/);
});

Deno.test("runSweep: an unregistered strategy runs in this thread with a note", async () => {
  const r = await runSweep({ frame, strategy: noHint, grid: { fast: [3], slow: [9] }, workers: 2, timeframe: "1m" });
  assert.equal(r.workers, 0);
  assert.match(r.notes[0]!, /not the registry's/);
  assert.equal(r.combos, 1);
});

Deno.test("runSweep: a combination whose warm-up the frame cannot cover is skipped as invalid, not a 0-trade row", async () => {
  const f = new Frame(Float64Array.of(0, 60_000, 120_000), { close: Float64Array.of(1, 2, 3) });
  const r = await runSweep({ frame: f, strategy: "sma_cross", grid: { fast: [2], slow: [5] }, options, workers: 0 });
  assert.equal(r.combos, 0);
  assert.equal(r.skipped.count, 1);
  assert.match(r.skipped.reasons[0]!, /needs 5 bars of warm-up; the data has 3 bars/);
  assert.equal(r.best, null);
});
