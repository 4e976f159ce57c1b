// /api/jobs: status, server-sent progress events, cancel.
import { Hono } from "hono";
import { streamSSE } from "hono/streaming";
import { backtestJob, BacktestRequestSchema, prepareRun } from "./_backtests.ts";
import { HttpError } from "./_errors.ts";
import { prepareSweep, sweepJob, SweepRequestSchema, walkForwardJob } from "./_sweeps.ts";
import type { Lab } from "./_lab.ts";
import type { Job, JobEvent, JobInfo, JobSpec, RecoveredJob } from "./job_queue.ts";

/** A job of this process (live or remembered), or the stored state of one of an earlier process. */
type Found = { job: Job<unknown>; info: JobInfo } | { job: undefined; info: JobInfo };

function requireJob(lab: Lab, id: string | undefined): Found {
  const job = lab.jobs.get(id ?? "");
  if (job !== undefined) return { job, info: job.info() };
  const stored = lab.jobs.stored(id ?? "");
  if (stored !== undefined) return { job: undefined, info: stored };
  throw new HttpError(
    404,
    lab.jobs.durable
      ? `no job ${JSON.stringify(id ?? "")} in this lab's job store`
      : `no job ${JSON.stringify(id ?? "")} in this lab session`,
  );
}

/** A job's JSON: its info plus a small result summary once done. */
function jobJson(info: JobInfo): JobInfo {
  if (info.state !== "done" || info.result === undefined) return info;
  const r = info.result;
  const result: Record<string, unknown> = {};
  for (const k of ["runId", "combos", "skipped", "metric", "best", "elapsedMs", "finalEquity", "trades"]) {
    if (k in r) result[k] = r[k];
  }
  if (typeof r.runId === "string") result.url = `/runs/${r.runId}`;
  return { ...info, result };
}

/**
 * Re-makes a job of an earlier lab process from its stored request (see `JobQueue.recover`):
 * the request is validated again against today's store (a series deleted meanwhile fails the
 * job with the reason). Backtests, sweeps and walk-forwards carry their request.
 */
export async function resumeJob(lab: Lab, job: RecoveredJob): Promise<JobSpec<unknown>> {
  if (job.kind === "backtest") {
    const run = await prepareRun(lab, BacktestRequestSchema.parse(job.request));
    return backtestJob(lab, run) as JobSpec<unknown>;
  }
  if (job.kind === "sweep") {
    const req = SweepRequestSchema.parse(job.request);
    const { run, grid } = await prepareSweep(lab, req);
    return (req.walkForward ? walkForwardJob(lab, run, grid, req) : sweepJob(lab, run, grid, req)) as JobSpec<unknown>;
  }
  throw new RangeError(`jobs of kind ${JSON.stringify(job.kind)} cannot be resumed`);
}

/** Starts {@link resumeJob} over the stored unfinished jobs of a durable queue (once per queue). */
export function startRecovery(lab: Lab): void {
  if (!lab.jobs.durable) return;
  lab.jobs.recover((job) => resumeJob(lab, job)).then(
    (r) => {
      if (r.resumed.length + r.failed.length > 0) {
        console.error(`Jobs of the last lab run: ${r.resumed.length} resumed, ${r.failed.length} marked failed.`);
      }
    },
    (e) => console.error(`job recovery failed: ${(e as Error).message}`),
  );
}

/** Routes under /api/jobs. */
export function jobsApi(lab: Lab): Hono {
  const app = new Hono();

  app.get("/", (c) => c.json({ running: lab.jobs.running, pending: lab.jobs.pending, jobs: lab.jobs.list() }));

  app.get("/:id", (c) => c.json(jobJson(requireJob(lab, c.req.param("id")).info)));

  const cancel = (id: string | undefined) => {
    const { job, info } = requireJob(lab, id);
    // A job of an earlier process that is not queued here again has finished: nothing to cancel.
    if (job === undefined) return { cancelled: false, job: info };
    return { cancelled: lab.jobs.cancel(job.id), job: job.info() };
  };
  app.post("/:id/cancel", (c) => c.json(cancel(c.req.param("id"))));
  app.delete("/:id", (c) => c.json(cancel(c.req.param("id"))));

  // Server-sent events: the current state first, then every progress tick and state change,
  // closing after the final state. A client that goes away only drops its subscription.
  app.get("/:id/events", (c) => {
    const found = requireJob(lab, c.req.param("id"));
    if (found.job === undefined) {
      const info = found.info;
      return streamSSE(c, async (stream) => {
        await stream.writeSSE({ event: "progress", data: JSON.stringify(info), id: "0" });
        await stream.writeSSE({ event: "state", data: JSON.stringify(info), id: "1" });
      });
    }
    const job = found.job;
    return streamSSE(c, async (stream) => {
      const queue: JobEvent[] = [];
      let wake: (() => void) | undefined;
      const push = (e: JobEvent) => {
        queue.push(e);
        wake?.();
      };
      const unsubscribe = lab.jobs.subscribe(job.id, push);
      let closed = false;
      stream.onAbort(() => {
        closed = true;
        unsubscribe?.();
        wake?.();
      });
      let seq = 0;
      const send = (type: string, info: JobInfo) =>
        stream.writeSSE({ event: type, data: JSON.stringify(info), id: String(seq++) });
      await send("progress", job.info());
      if (job.finished) {
        unsubscribe?.();
        await send("state", job.info());
        return;
      }
      while (!closed) {
        if (queue.length === 0) {
          const ping = setTimeout(() => wake?.(), 15_000);
          await new Promise<void>((r) => (wake = r));
          clearTimeout(ping);
          wake = undefined;
          if (queue.length === 0 && !closed) {
            await stream.write(": keep-alive\n\n");
            continue;
          }
        }
        const e = queue.shift();
        if (e === undefined) continue;
        await send(e.type, e.job);
        if (e.type === "state" && e.job.state !== "running" && e.job.state !== "queued") break;
      }
      unsubscribe?.();
    });
  });

  return app;
}
