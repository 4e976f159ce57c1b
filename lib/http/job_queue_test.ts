import assert from "node:assert/strict";
import { type JobContext, type JobEvent, JobQueue, QueueFullError } from "./job_queue.ts";

/** A job that waits until released or aborted. */
function gate(): { run: (ctx: JobContext) => Promise<string>; release: () => void } {
  let release!: () => void;
  const opened = new Promise<void>((r) => (release = r));
  return {
    release,
    run: (ctx) =>
      new Promise<string>((resolve, reject) => {
        if (ctx.signal.aborted) return reject(ctx.signal.reason);
        ctx.signal.addEventListener("abort", () => reject(ctx.signal.reason), { once: true });
        opened.then(() => resolve("ok"));
      }),
  };
}

Deno.test("JobQueue runs at most `concurrency` jobs and queues the rest in order", async () => {
  const jobs = new JobQueue({ concurrency: 2, maxPending: 10 });
  const gates = [gate(), gate(), gate()];
  const started: number[] = [];
  const submitted = gates.map((g, i) =>
    jobs.submit({
      kind: "t",
      run: (ctx) => {
        started.push(i);
        return g.run(ctx);
      },
    })
  );
  await Promise.resolve();
  assert.equal(jobs.running, 2);
  assert.equal(jobs.pending, 1);
  assert.equal(submitted[2]!.state, "queued");
  gates[0]!.release();
  assert.equal(await submitted[0]!.wait(), "ok");
  await new Promise((r) => setTimeout(r, 0));
  assert.deepEqual(started, [0, 1, 2]);
  gates[1]!.release();
  gates[2]!.release();
  await Promise.all(submitted.map((j) => j.wait()));
  assert.equal(jobs.running, 0);
  await jobs.shutdown();
});

Deno.test("JobQueue refuses a job beyond maxPending with QueueFullError", async () => {
  const jobs = new JobQueue({ concurrency: 1, maxPending: 1 });
  const a = gate(), b = gate();
  jobs.submit({ kind: "t", run: a.run });
  jobs.submit({ kind: "t", run: b.run });
  assert.throws(() => jobs.submit({ kind: "t", run: () => Promise.resolve(1) }), QueueFullError);
  a.release();
  b.release();
  await jobs.shutdown();
});

Deno.test("JobQueue cancels a running job through its AbortSignal and a queued one at once", async () => {
  const jobs = new JobQueue({ concurrency: 1 });
  const a = gate(), b = gate();
  const running = jobs.submit({ kind: "t", run: a.run });
  const queued = jobs.submit({ kind: "t", run: b.run });
  assert.equal(jobs.cancel(queued.id), true);
  assert.equal(queued.state, "cancelled");
  assert.equal(jobs.cancel(running.id, "stop"), true);
  await assert.rejects(running.wait(), { name: "AbortError", message: "stop" });
  assert.equal(running.state, "cancelled");
  assert.equal(running.info().error, "stop");
  assert.equal(jobs.cancel(running.id), false);
  await jobs.shutdown();
});

Deno.test("JobQueue fans progress out to every subscriber and ends with a final state event", async () => {
  const jobs = new JobQueue({ progressIntervalMs: 0 });
  const g = gate();
  let ctxRef!: JobContext;
  const job = jobs.submit({
    kind: "t",
    run: (ctx) => {
      ctxRef = ctx;
      return g.run(ctx);
    },
  });
  const a: JobEvent[] = [], b: JobEvent[] = [];
  jobs.subscribe(job.id, (e) => a.push(e));
  const unsubscribe = jobs.subscribe(job.id, (e) => b.push(e))!;
  await Promise.resolve();
  await Promise.resolve();
  ctxRef.progress({ done: 1, total: 4 });
  unsubscribe();
  ctxRef.progress({ done: 4, total: 4 });
  g.release();
  await job.wait();
  assert.deepEqual(a.map((e) => [e.type, e.job.progress.pct]), [["progress", 25], ["progress", 100], ["state", 100]]);
  assert.equal(a.at(-1)!.job.state, "done");
  assert.equal(b.length, 1);
  await jobs.shutdown();
});

Deno.test("JobQueue throttles progress events but always sends the latest tick", async () => {
  const jobs = new JobQueue({ progressIntervalMs: 30 });
  const seen: number[] = [];
  const job = jobs.submit({
    kind: "t",
    run: async (ctx) => {
      for (let i = 1; i <= 99; i++) ctx.progress({ done: i, total: 100 });
      await new Promise((r) => setTimeout(r, 60));
    },
  });
  jobs.subscribe(job.id, (e) => e.type === "progress" && seen.push(e.job.progress.done));
  await job.wait();
  assert.ok(seen.length <= 3, `throttled: ${seen}`);
  assert.equal(seen.at(-1), 99);
  await jobs.shutdown();
});

Deno.test("JobQueue keeps a failure's message, and shutdown cancels running jobs and refuses new ones", async () => {
  const jobs = new JobQueue({ concurrency: 2 });
  const failed = jobs.submit({
    kind: "t",
    run: () => Promise.reject(new RangeError("bad fold")),
  });
  await assert.rejects(failed.wait(), RangeError);
  assert.equal(failed.info().error, "bad fold");
  const g = gate();
  const long = jobs.submit({ kind: "t", run: g.run });
  await jobs.shutdown();
  assert.equal(long.state, "cancelled");
  assert.throws(() => jobs.submit({ kind: "t", run: () => Promise.resolve(1) }), QueueFullError);
  assert.equal(jobs.get("../../etc/passwd"), undefined);
  assert.equal(jobs.list().length, 2);
});

Deno.test("JobQueue forgets the oldest finished jobs beyond keepFinished", async () => {
  const jobs = new JobQueue({ keepFinished: 2 });
  const ids: string[] = [];
  for (let i = 0; i < 4; i++) {
    const j = jobs.submit({ kind: "t", run: () => Promise.resolve(i) });
    ids.push(j.id);
    await j.wait();
  }
  assert.equal(jobs.get(ids[0]!), undefined);
  assert.equal(jobs.get(ids[3]!)?.result, 3);
  await jobs.shutdown();
});

Deno.test("JobQueue rejects bad options", () => {
  assert.throws(() => new JobQueue({ concurrency: 0 }), /concurrency must be an integer >= 1, got 0/);
});
