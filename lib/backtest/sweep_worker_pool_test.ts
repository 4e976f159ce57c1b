import assert from "node:assert/strict";
import { runSweep, type SweepRow } from "./sweep.ts";
import { SweepWorkerPool } from "./sweep_worker_pool.ts";
import { randomFrame } from "./_testing.ts";

const frame = randomFrame(20_000, 7);
const grid = { fast: [2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13], slow: [5, 8, 13, 21, 34, 55] };
const options = { fill: "close" as const, fee: 0.001, finalize: "open" as const };

function rows(t: { toArray(): { toJSON(): unknown }[] }): unknown[] {
  return t.toArray().map((r) => r.toJSON());
}

Deno.test("SweepWorkerPool: one pool serves sweep after sweep, rows equal the in-thread run, progress only goes up", async () => {
  using pool = new SweepWorkerPool(2);
  const local = await runSweep({ frame, strategy: "sma_cross", grid, options, workers: 0 });
  for (let round = 0; round < 2; round++) {
    const seen: number[] = [];
    const streamed: SweepRow[] = [];
    const r = await runSweep({
      frame,
      strategy: "sma_cross",
      grid,
      options,
      pool,
      workers: 2,
      retain: true,
      onBatch: (b) => streamed.push(...b),
      onProgress: (p) => seen.push(p.done),
    });
    assert.equal(r.workers, 2);
    assert.ok(r.fastPath);
    assert.deepEqual(rows(r.table), rows(local.table));
    assert.deepEqual(r.best, local.best);
    assert.deepEqual(streamed.map((x) => x.combo).sort((a, b) => (a as number) - (b as number)), [
      ...Array(r.combos).keys(),
    ]);
    for (let i = 1; i < seen.length; i++) assert.ok(seen[i]! >= seen[i - 1]!, `progress went back: ${seen}`);
    assert.equal(seen.at(-1), r.combos);
  }
  // The general path (full stats) on the same threads: they load the engine at its first batch.
  const full = await runSweep({ frame, strategy: "sma_cross", grid, options, stats: "full", pool, workers: 2 });
  const fullLocal = await runSweep({ frame, strategy: "sma_cross", grid, options, stats: "full", workers: 0 });
  assert.equal(full.workers, 2);
  assert.deepEqual(rows(full.table), rows(fullLocal.table));
});

Deno.test("SweepWorkerPool: worker counts, batch sizes and a pool smaller than asked give the same rows", async () => {
  const local = await runSweep({ frame, strategy: "sma_cross", grid, options, workers: 0 });
  using pool = new SweepWorkerPool(3);
  for (const [workers, batchSize] of [[3, undefined], [2, 5], [3, 1], [8, undefined]] as const) {
    const r = await runSweep({ frame, strategy: "sma_cross", grid, options, pool, workers, batchSize });
    assert.equal(r.workers, Math.min(workers, 3));
    assert.deepEqual(rows(r.table), rows(local.table), `workers ${workers}, batch ${batchSize}`);
  }
  const own = await runSweep({ frame, strategy: "sma_cross", grid, options, workers: 3 });
  assert.deepEqual(rows(own.table), rows(local.table));
  const inThread = await runSweep({ frame, strategy: "sma_cross", grid, options, pool, workers: 0 });
  assert.equal(inThread.workers, 0);
  await assert.rejects(
    () => runSweep({ frame, strategy: "sma_cross", grid, options, pool, workers: 2, batchSize: 0 }),
    /batchSize must be an integer >= 1, got 0/,
  );
});

Deno.test("SweepWorkerPool: an aborted sweep leaves the pool usable; one sweep at a time; closing fails the sweep", async () => {
  using pool = new SweepWorkerPool(2);
  const big = randomFrame(200_000, 5);
  const spec = { frame: big, strategy: "sma_cross", grid, options, pool, workers: 2 };
  const ac = new AbortController();
  const aborted = runSweep({ ...spec, signal: ac.signal });
  setTimeout(() => ac.abort(new DOMException("stop", "AbortError")), 1);
  await assert.rejects(aborted, /stop/);

  const first = runSweep(spec);
  await assert.rejects(() => runSweep(spec), /another sweep is running on this pool/);
  const r = await first;
  const local = await runSweep({ ...spec, workers: 0 });
  assert.deepEqual(rows(r.table), rows(local.table));

  const closing = runSweep(spec);
  setTimeout(() => pool.close(), 1);
  await assert.rejects(closing, /SweepWorkerPool was closed|pool is closed/);
  assert.ok(pool.closed);
  await assert.rejects(() => runSweep(spec), /pool is closed/);
  assert.throws(() => new SweepWorkerPool(0), /pool size must be an integer >= 1/);
});
