// A durable JobQueue (the `dir` option): jobs are on disk before submit returns, and a new queue over the
// same folder (the lab after a restart) resumes the unfinished ones under their ids.
import assert from "node:assert/strict";
import { DatabaseSync } from "node:sqlite";
import { type JobContext, JobQueue, type JobSpec } from "./job_queue.ts";

/** A job that never finishes on its own (stands for work a crash interrupts). */
function hang(ctx: JobContext): Promise<never> {
  return new Promise((_, reject) => ctx.signal.addEventListener("abort", () => reject(ctx.signal.reason)));
}

function rows(dir: string): Record<string, unknown>[] {
  const db = new DatabaseSync(`${dir}/jobs.sqlite`, { readOnly: true });
  try {
    return db.prepare("SELECT id, state, request, error, attempts FROM jobs ORDER BY rowid").all() as Record<
      string,
      unknown
    >[];
  } finally {
    db.close();
  }
}

Deno.test("a durable queue has the job and its request on disk when submit returns", async () => {
  const dir = await Deno.makeTempDir();
  const jobs = new JobQueue({ dir });
  try {
    assert.equal(jobs.durable, true);
    const job = jobs.submit({ kind: "backtest", request: { strategy: "sma_cross", fast: 5 }, run: hang });
    // Read by another connection, as a new process would.
    const [row] = rows(dir);
    assert.equal(row!.id, job.id);
    assert.ok(row!.state === "queued" || row!.state === "running");
    assert.deepEqual(JSON.parse(String(row!.request)), { strategy: "sma_cross", fast: 5 });
  } finally {
    await jobs.shutdown();
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("after a crash, queued and running jobs run again under their ids; jobs without a request fail with the reason", async () => {
  const dir = await Deno.makeTempDir();
  // The crashed process: its queue is never shut down (the store is left as a kill -9 leaves it).
  const crashed = new JobQueue({ dir, concurrency: 1 });
  const running = crashed.submit({ kind: "backtest", request: { n: 1 }, run: hang });
  const queued = crashed.submit({ kind: "backtest", request: { n: 2 }, run: hang });
  const opaque = crashed.submit({ kind: "sweep", run: hang });
  await new Promise((r) => setTimeout(r, 10));
  assert.equal(running.state, "running");

  const jobs = new JobQueue({ dir, concurrency: 2 });
  try {
    // Before recovery, every id answers from the store.
    assert.equal(jobs.stored(queued.id)?.state, "queued");
    const seen: unknown[] = [];
    const report = await jobs.recover((job): JobSpec<unknown> => {
      seen.push(job.request);
      return { kind: job.kind, run: () => Promise.resolve({ runId: `run-${(job.request as { n: number }).n}`, n: 3 }) };
    });
    // Jobs that never started first, then the interrupted one.
    assert.deepEqual(report.resumed, [queued.id, running.id]);
    assert.deepEqual(report.failed, [opaque.id]);
    assert.deepEqual(seen, [{ n: 2 }, { n: 1 }]);
    assert.equal((await jobs.get(running.id)!.wait() as { runId: string }).runId, "run-1");
    await jobs.get(queued.id)!.settled();
    assert.deepEqual(jobs.stored(queued.id)?.result, { runId: "run-2", n: 3 });
    assert.equal(jobs.stored(queued.id)?.state, "done");
    const failed = jobs.stored(opaque.id)!;
    assert.equal(failed.state, "failed");
    assert.match(failed.error!, /^interrupted by a lab restart at \d{4}-\d\d-\d\dT[\d:.]+Z; .*resubmit it$/);
    // Recovery runs once per queue.
    assert.equal(await jobs.recover(() => assert.fail("second recovery")), await jobs.recovery);
    assert.equal(jobs.list().length, 3);
  } finally {
    await jobs.shutdown();
    await crashed.shutdown();
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("a graceful shutdown keeps unfinished jobs queued on disk; a user cancel is final", async () => {
  const dir = await Deno.makeTempDir();
  const first = new JobQueue({ dir });
  const a = first.submit({ kind: "backtest", request: { n: 1 }, run: hang });
  const b = first.submit({ kind: "backtest", request: { n: 2 }, run: hang });
  const c = first.submit({ kind: "backtest", request: { n: 3 }, run: hang });
  await new Promise((r) => setTimeout(r, 10));
  first.cancel(c.id);
  await first.shutdown();
  assert.deepEqual(rows(dir).map((r) => [r.id, r.state, r.attempts]), [
    [a.id, "queued", 0],
    [b.id, "queued", 0],
    [c.id, "cancelled", 0],
  ]);
  const second = new JobQueue({ dir });
  try {
    const report = await second.recover(() => ({ kind: "backtest", run: () => Promise.resolve("ok") }));
    assert.deepEqual(report.resumed, [a.id, b.id]);
    await second.get(b.id)!.settled();
    assert.equal(second.stored(a.id)?.state, "done");
    assert.equal(second.stored(c.id)?.state, "cancelled");
  } finally {
    await second.shutdown();
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("a job interrupted maxAttempts times is marked failed, not re-run forever; a resume error fails it", async () => {
  const dir = await Deno.makeTempDir();
  const queues: JobQueue[] = [];
  try {
    let q = new JobQueue({ dir, maxAttempts: 2 });
    queues.push(q);
    const job = q.submit({ kind: "backtest", request: {}, run: hang });
    const broken = q.submit({ kind: "backtest", request: { gone: true }, run: hang });
    for (let i = 0; i < 2; i++) {
      await new Promise((r) => setTimeout(r, 10));
      q = new JobQueue({ dir, maxAttempts: 2, concurrency: 1 });
      queues.push(q);
      const r = await q.recover((j) => {
        if ((j.request as { gone?: boolean }).gone) throw new RangeError("no stored series samples:X:1d");
        return { kind: "backtest", run: hang };
      });
      if (i === 0) {
        assert.deepEqual(r.resumed, [job.id]);
        assert.match(q.stored(broken.id)!.error!, /could not resume after a lab restart at .*: no stored series/);
      } else assert.deepEqual(r.failed, [job.id]);
    }
    assert.match(q.stored(job.id)!.error!, /after 2 attempts; resubmit it/);
  } finally {
    for (const q of queues) await q.shutdown();
    await Deno.remove(dir, { recursive: true });
  }
});
