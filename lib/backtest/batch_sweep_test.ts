import assert from "node:assert/strict";
import { readCsv } from "../data/mod.ts";
import type { Frame } from "../frame/mod.ts";
import { defineStrategy, smaCross } from "../strategies/mod.ts";
import { type BatchSeries, runBatchSweep } from "./batch_sweep.ts";
import { evaluateSweepCombos, runSweep, type SweepExecutor, type SweepResult } from "./sweep.ts";
import { randomFrame } from "./_testing.ts";

const SAMPLES = ["ETH_BTC-5m", "LTC_BTC-5m", "ADA_BTC-5m"];
const frames: Frame[] = await Promise.all(
  SAMPLES.map(async (s) =>
    (await readCsv(new URL(`../../data/samples/${s}.csv`, import.meta.url).pathname, { sort: true })).frame
  ),
);
const items: BatchSeries[] = SAMPLES.map((s, i) => ({ key: s, frame: frames[i]!, timeframe: "5m", calendar: "24/7" }));
const grid = { fast: [2, 4, 6, 8, 10, 12, 14, 16, 18, 20], slow: [10, 20, 30, 40, 50, 60] };

/** sma_cross without the crossover hint: the general path (simulate per combination). */
const noHint = defineStrategy({ ...smaCross, name: "sma_cross_no_hint", crossover: undefined });

function rowsOf(r: SweepResult): unknown[] {
  return r.table.toArray().map((row) => row.toJSON());
}

async function alone(i: number, extra: Record<string, unknown>): Promise<SweepResult> {
  return await runSweep({ frame: frames[i]!, timeframe: "5m", calendar: "24/7", workers: 0, ...extra } as never);
}

function assertSame(batch: SweepResult, one: SweepResult, what: string): void {
  assert.deepEqual(rowsOf(batch), rowsOf(one), `${what}: rows`);
  assert.deepEqual(batch.best, one.best, `${what}: best`);
  assert.equal(batch.combos, one.combos, `${what}: combos`);
  assert.deepEqual(batch.skipped, one.skipped, `${what}: skipped`);
  assert.deepEqual(batch.table.schema.fields.map((f) => f.name), one.table.schema.fields.map((f) => f.name));
}

Deno.test("runBatchSweep: 3 sample series on 2 shared workers give each series' own sweep, row for row (kernel)", async () => {
  const options = { fill: "close" as const, fee: 0.001, finalize: "open" as const };
  const batch = await runBatchSweep({ items, strategy: "sma_cross", grid, options, workers: 2, batchSize: 7 });
  assert.equal(batch.workers, 2);
  assert.ok(batch.fastPath);
  assert.deepEqual(batch.items.map((x) => x.key), SAMPLES);
  for (const [i, s] of SAMPLES.entries()) {
    assertSame(batch.items[i]!.sweep, await alone(i, { strategy: "sma_cross", grid, options }), s);
  }
  assert.equal(batch.combos, batch.items.reduce((n, x) => n + x.sweep.combos, 0));
});

Deno.test("runBatchSweep: full stats (PSR, DSR, benchmark) and a random sample equal separate sweeps", async () => {
  const options = { fee: 0.001 };
  const args = { strategy: "sma_cross", grid, random: { n: 12, seed: 7 }, options, stats: "full" as const };
  const batch = await runBatchSweep({ items, ...args, workers: 2, metric: "sortino" });
  assert.equal(batch.metric, "sortino");
  for (const [i, s] of SAMPLES.entries()) {
    const one = await alone(i, { ...args, metric: "sortino" });
    assertSame(batch.items[i]!.sweep, one, s);
    assert.ok(Number.isFinite(one.best!.dsr));
  }
});

Deno.test("runBatchSweep: the general path in this thread equals separate sweeps; workers do not change rows", async () => {
  const options = { fill: "next_open" as const, stopLoss: 0.02 };
  const small = { fast: [3, 5, 8], slow: [13, 21] };
  const inThread = await runBatchSweep({ items, strategy: noHint, grid: small, options, workers: 0 });
  assert.equal(inThread.workers, 0);
  assert.ok(!inThread.fastPath);
  for (const [i, s] of SAMPLES.entries()) {
    assertSame(inThread.items[i]!.sweep, await alone(i, { strategy: noHint, grid: small, options }), s);
  }
  const pooled = await runBatchSweep({ items, strategy: "sma_cross", grid: small, options, workers: 3, batchSize: 1 });
  const local = await runBatchSweep({ items, strategy: "sma_cross", grid: small, options, workers: 0 });
  for (const [i, s] of SAMPLES.entries()) assertSame(pooled.items[i]!.sweep, local.items[i]!.sweep, s);
});

Deno.test("runBatchSweep: one pool of workers for the whole batch, not one per series", async () => {
  const Original = globalThis.Worker;
  const urls: string[] = [];
  globalThis.Worker = class extends Original {
    constructor(url: string | URL, options?: WorkerOptions) {
      super(url, options);
      urls.push(String(url));
    }
  };
  try {
    const options = { fill: "close" as const };
    const progress: { series: string; seriesDone: number; done: number }[] = [];
    const r = await runBatchSweep({
      items,
      strategy: "sma_cross",
      grid,
      options,
      workers: 2,
      batchSize: 5,
      onProgress: (p) => progress.push({ series: p.series, seriesDone: p.seriesDone, done: p.done }),
    });
    assert.equal(urls.length, 2);
    assert.ok(urls.every((u) => u.endsWith("/_batch_sweep_worker.ts")));
    assert.deepEqual([...new Set(progress.map((p) => p.series))].sort(), [...SAMPLES].sort());
    assert.deepEqual(progress.at(-1), { series: progress.at(-1)!.series, seriesDone: 3, done: r.combos });
  } finally {
    globalThis.Worker = Original;
  }
});

Deno.test("runBatchSweep: a series too short for some warm-ups skips them there only", async () => {
  const short = randomFrame(30, 3);
  const long = randomFrame(400, 4);
  const g = { fast: [5], slow: [20, 40, 60] };
  const r = await runBatchSweep({
    items: [{ key: "short", frame: short, timeframe: "1h" }, { key: "long", frame: long, timeframe: "1h" }],
    strategy: "sma_cross",
    grid: g,
    workers: 0,
  });
  assert.equal(r.items[0]!.sweep.combos, 1);
  assert.equal(r.items[0]!.sweep.skipped.count, 2);
  assert.match(r.items[0]!.sweep.skipped.reasons[0]!, /warm-up/);
  assert.equal(r.items[1]!.sweep.combos, 3);
  assert.equal(r.skipped, 2);
  const tooShort = await runBatchSweep({
    items: [{ key: "tiny", frame: randomFrame(10, 5), timeframe: "1h" }],
    strategy: "sma_cross",
    grid: g,
    workers: 0,
  });
  assert.equal(tooShort.combos, 0);
  assert.equal(tooShort.items[0]!.sweep.best, null);
});

Deno.test("runBatchSweep: bad input names the value", async () => {
  await assert.rejects(
    () => runBatchSweep({ items: [], strategy: "sma_cross", grid, workers: 0 }),
    /items lists no series/,
  );
  await assert.rejects(
    () => runBatchSweep({ items: [items[0]!, items[0]!], strategy: "sma_cross", grid, workers: 0 }),
    /series key "ETH_BTC-5m" is given twice/,
  );
  await assert.rejects(
    () => runBatchSweep({ items, strategy: "momentum_rotation", workers: 0 }),
    /runs single-asset strategies; "momentum_rotation" is a portfolio strategy/,
  );
  await assert.rejects(
    () => runBatchSweep({ items, strategy: "sma_cross", grid, workers: 0, metric: "sharpe" }),
    /metric "sharpe" is not a column of a "fast" sweep/,
  );
});

Deno.test("runBatchSweep: aborting stops the pool", async () => {
  const ac = new AbortController();
  const run = runBatchSweep({
    items,
    strategy: "sma_cross",
    grid,
    workers: 2,
    batchSize: 1,
    signal: ac.signal,
    onProgress: (p) => {
      if (p.done >= 3) ac.abort(new DOMException("stop", "AbortError"));
    },
  });
  await assert.rejects(run, (e: Error) => e.name === "AbortError");
});

Deno.test("runBatchSweep: an executor (a cluster's seam) gets one job per series, all at once; rows equal the local run", async () => {
  const options = { fill: "close" as const, fee: 0.001 };
  const jobs: number[] = [];
  let inFlight = 0, most = 0;
  const executor: SweepExecutor = {
    async run(job, accept) {
      jobs.push(job.combos.length);
      inFlight++;
      most = Math.max(most, inFlight);
      await new Promise((r) => setTimeout(r, 10));
      // Out of order, in uneven chunks: the batch must not care.
      const cut = Math.floor(job.combos.length / 3);
      accept(cut, await evaluateSweepCombos({ ...job, combos: job.combos.slice(cut) }));
      accept(0, await evaluateSweepCombos({ ...job, combos: job.combos.slice(0, cut) }));
      inFlight--;
    },
  };
  const remote = await runBatchSweep({ items, strategy: "sma_cross", grid, options, executor });
  const local = await runBatchSweep({ items, strategy: "sma_cross", grid, options, workers: 0 });
  assert.equal(jobs.length, 3);
  assert.equal(most, 3);
  for (const [i, s] of SAMPLES.entries()) assertSame(remote.items[i]!.sweep, local.items[i]!.sweep, s);
  const twice: SweepExecutor = {
    async run(job, accept) {
      const out = await evaluateSweepCombos({ ...job, combos: job.combos.slice(0, 1) });
      accept(0, out);
      accept(0, out);
    },
  };
  await assert.rejects(
    () => runBatchSweep({ items, strategy: "sma_cross", grid, options, executor: twice }),
    /executor returned combination 0 of ETH_BTC-5m twice/,
  );
});
