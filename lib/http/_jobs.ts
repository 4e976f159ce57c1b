// /api/jobs: status, server-sent progress events, cancel.
import { Hono } from "hono";
import { streamSSE } from "hono/streaming";
import { HttpError } from "./_errors.ts";
import type { Lab } from "./_lab.ts";
import type { Job, JobEvent, JobInfo } from "./job_queue.ts";

function requireJob(lab: Lab, id: string | undefined): Job<unknown> {
  const job = lab.jobs.get(id ?? "");
  if (job === undefined) throw new HttpError(404, `no job ${JSON.stringify(id ?? "")} in this lab session`);
  return job;
}

/** A job's JSON: its info plus a small result summary once done. */
function jobJson(job: Job<unknown>): JobInfo & { result?: Record<string, unknown> } {
  const info = job.info();
  if (job.state !== "done" || job.result === null || typeof job.result !== "object") return info;
  const r = job.result as Record<string, unknown>;
  const result: Record<string, unknown> = {};
  for (const k of ["runId", "combos", "skipped", "metric", "best", "elapsedMs", "finalEquity", "trades"]) {
    if (k in r) result[k] = r[k];
  }
  if (typeof r.runId === "string") result.url = `/runs/${r.runId}`;
  return { ...info, result };
}

/** Routes under /api/jobs. */
export function jobsApi(lab: Lab): Hono {
  const app = new Hono();

  app.get("/", (c) => c.json({ running: lab.jobs.running, pending: lab.jobs.pending, jobs: lab.jobs.list() }));

  app.get("/:id", (c) => c.json(jobJson(requireJob(lab, c.req.param("id")))));

  app.post("/:id/cancel", (c) => {
    const job = requireJob(lab, c.req.param("id"));
    return c.json({ cancelled: lab.jobs.cancel(job.id), job: job.info() });
  });

  app.delete("/:id", (c) => {
    const job = requireJob(lab, c.req.param("id"));
    return c.json({ cancelled: lab.jobs.cancel(job.id), job: job.info() });
  });

  // Server-sent events: the current state first, then every progress tick and state change,
  // closing after the final state. A client that goes away only drops its subscription.
  app.get("/:id/events", (c) => {
    const job = requireJob(lab, c.req.param("id"));
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
