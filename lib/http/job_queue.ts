import { JobStore, type StoredJob } from "./_job_store.ts";

/** Lifecycle of a {@link Job}. `done`, `failed` and `cancelled` are final. */
export type JobState = "queued" | "running" | "done" | "failed" | "cancelled";

/** Progress of a running job; `pct` is 0..100 (100 only when `done === total`). */
export interface JobProgress {
  done: number;
  total: number;
  pct: number;
  /** Seconds left, when the job can tell. */
  etaSec?: number;
  /** A short human note (`fold 2 of 5`). */
  message?: string;
}

/** What a job's run function gets: the cancel signal and a progress reporter. */
export interface JobContext {
  /** Aborted by {@link JobQueue.cancel} and {@link JobQueue.shutdown}; long work must stop when it fires. */
  signal: AbortSignal;
  /** Reports progress; events reach subscribers at most every `progressIntervalMs` (and always the last one). */
  progress(p: { done: number; total: number; etaSec?: number; message?: string }): void;
}

/** What {@link JobQueue.submit} takes. */
export interface JobSpec<T> {
  /** `backtest`, `sweep`, `walk_forward`: shown in lists, used for filtering. */
  kind: string;
  /** One line for people (`sma_cross on samples:SPX:1d`). */
  label?: string;
  /** The work. It runs off the request path; its result (or error) is kept on the job. */
  run(ctx: JobContext): Promise<T>;
  /**
   * The validated request the job was made from (JSON-serializable). In a durable queue
   * (`dir`) it is stored with the job, and {@link JobQueue.recover} re-makes the job from it
   * after a restart; a job without one is marked failed on restart instead.
   */
  request?: unknown;
}

/** A job of an earlier lab process, as {@link JobQueue.recover} hands it to its resume function. */
export interface RecoveredJob {
  id: string;
  kind: string;
  label: string;
  /** The stored request (parsed JSON). */
  request: unknown;
  /** Whether it was running (not only queued) when the process stopped. */
  wasRunning: boolean;
}

/** What {@link JobQueue.recover} did. */
export interface RecoverReport {
  /** Ids queued again (same ids as before the restart). */
  resumed: string[];
  /** Ids marked failed, with the reason stored on each. */
  failed: string[];
}

/** A JSON view of a job (for the API and the SSE stream). */
export interface JobInfo {
  id: string;
  kind: string;
  label: string;
  state: JobState;
  progress: JobProgress;
  createdAt: string;
  startedAt: string | null;
  finishedAt: string | null;
  /** The error message of a failed job (never a stack). */
  error: string | null;
  /** A small JSON summary of the result once done (scalar fields and small objects: run id, stats, counts). */
  result?: Record<string, unknown>;
}

/** One event sent to subscribers: a progress tick or a state change. */
export type JobEvent = { type: "progress"; job: JobInfo } | { type: "state"; job: JobInfo };

/** Options of {@link JobQueue}. */
export interface JobQueueOptions {
  /** Jobs running at once. Default 1 (sweeps already use every core through their workers). */
  concurrency?: number;
  /** Jobs waiting beyond the running ones; one more is refused with {@link QueueFullError}. Default 64. */
  maxPending?: number;
  /** Finished jobs remembered (oldest forgotten first), so a page can still show them. Default 200. */
  keepFinished?: number;
  /** Least time between two progress events of one job. Default 100 ms. */
  progressIntervalMs?: number;
  /**
   * Makes the queue durable: every accepted job is written to `<dir>/jobs.sqlite` (SQLite, WAL,
   * synchronous=FULL) before {@link JobQueue.submit} returns, with each state change after it,
   * so a job acknowledged to a client survives a crash. {@link JobQueue.recover} resumes the
   * unfinished ones on the next start and {@link JobQueue.stored} answers for jobs of earlier
   * processes (the newest 10,000; older finished ones are dropped when a queue opens the folder).
   * One lab process per folder: two would both resume the same jobs. Default: in memory only.
   */
  dir?: string;
  /** Starts a job may get across restarts before it is marked failed (a job that kills the process must not loop). Default 3. */
  maxAttempts?: number;
}

/**
 * The queue refused a job because `maxPending` jobs are already waiting. The caller should retry
 * later (HTTP 429 with `Retry-After`).
 */
export class QueueFullError extends Error {
  override name = "QueueFullError";
}

/** A unit of work in a {@link JobQueue}. */
export class Job<T = unknown> {
  readonly id: string;
  readonly kind: string;
  readonly label: string;
  readonly createdAt: Date;
  state: JobState = "queued";
  progress: JobProgress = { done: 0, total: 0, pct: 0 };
  startedAt: Date | null = null;
  finishedAt: Date | null = null;
  /** The run function's result once `done`. */
  result: T | undefined;
  /** The failure once `failed` or `cancelled`. */
  error: Error | undefined;
  /** @internal */
  readonly controller: AbortController = new AbortController();
  /** @internal */
  readonly listeners: Set<(e: JobEvent) => void> = new Set();
  /** @internal */
  readonly spec: JobSpec<T>;
  /** @internal */
  lastEmit = 0;
  /** @internal */
  timer: ReturnType<typeof setTimeout> | undefined;
  readonly #settled: Promise<void>;
  #resolve!: () => void;

  /** @internal Jobs are made by {@link JobQueue.submit}. */
  constructor(id: string, spec: JobSpec<T>, createdAt: Date = new Date()) {
    this.id = id;
    this.createdAt = createdAt;
    this.kind = spec.kind;
    this.label = spec.label ?? spec.kind;
    this.spec = spec;
    this.#settled = new Promise((resolve) => (this.#resolve = resolve));
  }

  /** True once the job is done, failed or cancelled. */
  get finished(): boolean {
    return this.state === "done" || this.state === "failed" || this.state === "cancelled";
  }

  /** Resolves with the result when done; rejects with the error when failed or cancelled. */
  async wait(): Promise<T> {
    await this.#settled;
    if (this.state === "done") return this.result as T;
    throw this.error ?? new Error(`job ${this.id} ${this.state}`);
  }

  /** Resolves when the job reaches a final state, whatever it is. */
  settled(): Promise<void> {
    return this.#settled;
  }

  /** @internal */
  markSettled(): void {
    this.#resolve();
  }

  /** A JSON-friendly snapshot. */
  info(): JobInfo {
    return {
      id: this.id,
      kind: this.kind,
      label: this.label,
      state: this.state,
      progress: { ...this.progress },
      createdAt: this.createdAt.toISOString(),
      startedAt: this.startedAt?.toISOString() ?? null,
      finishedAt: this.finishedAt?.toISOString() ?? null,
      error: this.state === "failed" || this.state === "cancelled" ? (this.error?.message ?? this.state) : null,
      ...(this.state === "done" ? { result: resultSummary(this.result) } : {}),
    };
  }
}

/**
 * The part of a result worth keeping with the job: scalar fields and small plain objects (a
 * run id, stats, counts), not tables or columns, so the stored row stays small.
 */
export function resultSummary(result: unknown): Record<string, unknown> {
  if (result === null || typeof result !== "object" || Array.isArray(result)) return {};
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(result as Record<string, unknown>)) {
    if (v === null || ["number", "string", "boolean"].includes(typeof v)) out[k] = v;
    else if (
      typeof v === "object" && !Array.isArray(v) && !ArrayBuffer.isView(v) &&
      !Object.values(v).some((x) => Array.isArray(x) || ArrayBuffer.isView(x))
    ) {
      const text = JSON.stringify(v);
      if (text !== undefined && text.length <= 8192) out[k] = JSON.parse(text);
    }
  }
  return out;
}

/** A stored job's info (a job of an earlier process, or one the memory forgot). */
function storedInfo(s: StoredJob): JobInfo {
  const done = s.state === "done";
  return {
    id: s.id,
    kind: s.kind,
    label: s.label,
    state: s.state,
    progress: done ? { done: 1, total: 1, pct: 100 } : { done: 0, total: 0, pct: 0 },
    createdAt: s.createdAt,
    startedAt: s.startedAt,
    finishedAt: s.finishedAt,
    error: s.error,
    ...(done ? { result: s.result === null ? {} : JSON.parse(s.result) as Record<string, unknown> } : {}),
  };
}

const JOB_ID = /^job-[0-9a-z]{8,12}-[0-9a-f]{8}$/;

/**
 * A bounded in-process job queue for long work started from web requests (backtests, sweeps,
 * walk-forward): at most `concurrency` jobs run at once, at most `maxPending` wait (more are
 * refused with {@link QueueFullError}, HTTP 429). A job keeps running when the browser that
 * started it goes away; its progress fans out to any number of subscribers (SSE streams), it is
 * cancelled through its AbortSignal, and {@link JobQueue.shutdown} cancels everything and waits.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { JobQueue } from "./job_queue.ts";
 * const jobs = new JobQueue({ concurrency: 1, maxPending: 1 });
 * const seen: number[] = [];
 * const job = jobs.submit({
 *   kind: "demo",
 *   run: async (ctx) => {
 *     for (let i = 1; i <= 3; i++) ctx.progress({ done: i, total: 3 });
 *     return 42;
 *   },
 * });
 * jobs.subscribe(job.id, (e) => seen.push(e.job.progress.pct));
 * assert.equal(await job.wait(), 42);
 * assert.equal(job.state, "done");
 * assert.equal(seen.at(-1), 100);
 * await jobs.shutdown();
 * ```
 */
export class JobQueue {
  readonly concurrency: number;
  readonly maxPending: number;
  readonly #keep: number;
  readonly #interval: number;
  readonly #jobs = new Map<string, Job<unknown>>();
  readonly #waiting: Job<unknown>[] = [];
  readonly #store: JobStore | undefined;
  readonly #maxAttempts: number;
  #running = 0;
  #closed = false;
  #recovery: Promise<RecoverReport> | undefined;

  constructor(options: JobQueueOptions = {}) {
    const { concurrency = 1, maxPending = 64, keepFinished = 200, progressIntervalMs = 100, maxAttempts = 3 } = options;
    for (
      const [name, v, min] of [
        ["concurrency", concurrency, 1],
        ["maxPending", maxPending, 0],
        [
          "keepFinished",
          keepFinished,
          0,
        ],
        ["progressIntervalMs", progressIntervalMs, 0],
        ["maxAttempts", maxAttempts, 1],
      ] as const
    ) {
      if (!Number.isSafeInteger(v) || v < min) {
        throw new RangeError(`JobQueue: ${name} must be an integer >= ${min}, got ${v}`);
      }
    }
    this.concurrency = concurrency;
    this.maxPending = maxPending;
    this.#keep = keepFinished;
    this.#interval = progressIntervalMs;
    this.#maxAttempts = maxAttempts;
    this.#store = options.dir === undefined ? undefined : new JobStore(options.dir);
  }

  /** True when jobs are stored on disk before they are acknowledged (the `dir` option). */
  get durable(): boolean {
    return this.#store !== undefined;
  }

  /** Jobs running now. */
  get running(): number {
    return this.#running;
  }

  /** Jobs waiting for a free slot. */
  get pending(): number {
    return this.#waiting.length;
  }

  /** True after {@link shutdown}: no new job is accepted. */
  get closed(): boolean {
    return this.#closed;
  }

  /**
   * Queues a job (it starts at once when a slot is free). Throws {@link QueueFullError} when
   * `maxPending` jobs already wait, and an Error after {@link shutdown}.
   */
  submit<T>(spec: JobSpec<T>): Job<T> {
    if (this.#closed) throw new QueueFullError("the lab is shutting down; no new jobs are accepted");
    if (this.#running >= this.concurrency && this.#waiting.length >= this.maxPending) {
      throw new QueueFullError(
        `the job queue is full (${this.#running} running, ${this.#waiting.length} waiting); try again shortly`,
      );
    }
    const id = `job-${Date.now().toString(36)}-${
      crypto.getRandomValues(new Uint32Array(1))[0]!.toString(16).padStart(8, "0")
    }`;
    const job = new Job<T>(id, spec);
    if (this.#store !== undefined) {
      const request = spec.request === undefined ? null : JSON.stringify(spec.request);
      // Synchronous and fsynced: once submit returns, the job survives a crash.
      this.#store.insert({ id, kind: job.kind, label: job.label, request, createdAt: job.createdAt });
    }
    this.#jobs.set(id, job as Job<unknown>);
    this.#waiting.push(job as Job<unknown>);
    this.#pump();
    return job;
  }

  /** The job with this id (running, waiting or remembered), or undefined (also for malformed ids). */
  get(id: string): Job<unknown> | undefined {
    return JOB_ID.test(id) ? this.#jobs.get(id) : undefined;
  }

  /**
   * A job of this or an earlier process from the durable store (its last stored state and
   * result summary), or undefined when the queue is not durable or has no such job.
   */
  stored(id: string): JobInfo | undefined {
    if (this.#store === undefined || !JOB_ID.test(id)) return undefined;
    const s = this.#store.get(id);
    return s === undefined ? undefined : storedInfo(s);
  }

  /**
   * Every remembered job, newest first (in a durable queue, the newest `keepFinished` stored jobs
   * of earlier processes too), without result summaries (ask for one job for its result).
   */
  list(): JobInfo[] {
    const live = [...this.#jobs.values()].reverse().map((j) => j.info());
    const all = this.#store === undefined ? live : [
      ...live,
      ...this.#store.recent(this.#keep).filter((s) => !this.#jobs.has(s.id)).map(storedInfo),
    ].sort((a, b) => (a.createdAt < b.createdAt ? 1 : a.createdAt > b.createdAt ? -1 : 0));
    return all.map(({ result: _, ...info }) => info);
  }

  /**
   * After a restart: every stored job that was queued or running when the last process stopped
   * is queued again under its id (beyond `maxPending`: they were accepted already), re-made by
   * `resume` from its stored request: the queued ones in submission order, then the interrupted
   * ones. A job that was running starts from scratch (the work is deterministic; a backtest
   * records a new run). A job is marked failed,
   * with the reason stored, when it has no request, when `resume` throws, or when it was
   * interrupted `maxAttempts` times. Call it once, before serving.
   */
  recover(resume: (job: RecoveredJob) => JobSpec<unknown> | Promise<JobSpec<unknown>>): Promise<RecoverReport> {
    // Once per queue: a second app over the same queue must not queue the jobs twice.
    this.#recovery ??= this.#recover(resume);
    return this.#recovery;
  }

  /** The running or finished {@link recover}, if one was started. */
  get recovery(): Promise<RecoverReport> | undefined {
    return this.#recovery;
  }

  async #recover(resume: (job: RecoveredJob) => JobSpec<unknown> | Promise<JobSpec<unknown>>): Promise<RecoverReport> {
    const report: RecoverReport = { resumed: [], failed: [] };
    const store = this.#store;
    if (store === undefined) return report;
    const now = new Date();
    const when = now.toISOString();
    // Interrupted jobs go behind the ones that never started: a job that takes the process down
    // (out of memory) then cannot keep the others from running.
    const unfinished = store.unfinished();
    const order = [
      ...unfinished.filter((s) => s.state === "queued"),
      ...unfinished.filter((s) => s.state !== "queued"),
    ];
    for (const s of order) {
      if (this.#closed) break; // shut down meanwhile: the rest stays queued on disk for the next start
      if (this.#jobs.has(s.id)) continue;
      const fail = (reason: string) => {
        store.finished(s.id, "failed", now, null, reason);
        report.failed.push(s.id);
      };
      if (s.request === null) {
        fail(`interrupted by a lab restart at ${when}; this kind of job cannot be resumed: resubmit it`);
        continue;
      }
      if (s.state === "running" && s.attempts >= this.#maxAttempts) {
        fail(`interrupted by a lab restart at ${when} after ${s.attempts} attempts; resubmit it`);
        continue;
      }
      let spec: JobSpec<unknown>;
      try {
        spec = await resume({
          id: s.id,
          kind: s.kind,
          label: s.label,
          request: JSON.parse(s.request),
          wasRunning: s.state === "running",
        });
      } catch (e) {
        fail(`could not resume after a lab restart at ${when}: ${(e as Error).message ?? String(e)}; resubmit it`);
        continue;
      }
      const job = new Job(s.id, { ...spec, kind: s.kind, label: s.label }, new Date(s.createdAt));
      if (s.state === "running") store.requeue(s.id, false);
      this.#jobs.set(job.id, job);
      this.#waiting.push(job);
      report.resumed.push(s.id);
    }
    this.#pump();
    return report;
  }

  /**
   * Calls `listener` on each progress tick and state change of the job until the returned
   * function is called. Returns undefined when there is no such job.
   */
  subscribe(id: string, listener: (e: JobEvent) => void): (() => void) | undefined {
    const job = this.get(id);
    if (job === undefined) return undefined;
    job.listeners.add(listener);
    return () => job.listeners.delete(listener);
  }

  /** Cancels a waiting or running job; false when there is no such job or it already finished. */
  cancel(id: string, reason = "cancelled by the user"): boolean {
    const job = this.get(id);
    if (job === undefined || job.finished) return false;
    const err = new DOMException(reason, "AbortError");
    if (job.state === "queued") {
      const i = this.#waiting.indexOf(job);
      if (i >= 0) this.#waiting.splice(i, 1);
      job.controller.abort(err);
      this.#finish(job, "cancelled", err);
      return true;
    }
    job.controller.abort(err);
    return true;
  }

  /**
   * Refuses new jobs, cancels every waiting and running one, and waits until the running ones
   * stop. In a durable queue those jobs stay queued on disk (not cancelled), so the next
   * {@link recover} resumes them; then the store is closed.
   */
  async shutdown(reason = "the lab is shutting down"): Promise<void> {
    this.#closed = true;
    const live = [...this.#jobs.values()].filter((j) => !j.finished);
    for (const j of live) this.cancel(j.id, reason);
    await Promise.all(live.map((j) => j.settled()));
    this.#store?.close();
  }

  #pump(): void {
    while (this.#running < this.concurrency && this.#waiting.length > 0) {
      const job = this.#waiting.shift()!;
      this.#start(job);
    }
  }

  #start(job: Job<unknown>): void {
    this.#running++;
    job.state = "running";
    job.startedAt = new Date();
    this.#persist(() => this.#store?.started(job.id, job.startedAt!));
    this.#emit(job, "state");
    const ctx: JobContext = {
      signal: job.controller.signal,
      progress: (p) => this.#progress(job, p),
    };
    // A microtask hop so a synchronous throw in run() becomes a rejection like any other.
    Promise.resolve()
      .then(() => {
        ctx.signal.throwIfAborted();
        return job.spec.run(ctx);
      })
      .then(
        (result) => {
          job.result = result;
          this.#finish(job, "done");
        },
        (err: unknown) => {
          const e = err instanceof Error ? err : new Error(String(err));
          this.#finish(job, job.controller.signal.aborted ? "cancelled" : "failed", e);
        },
      )
      .finally(() => {
        this.#running--;
        this.#pump();
      });
  }

  #progress(job: Job<unknown>, p: { done: number; total: number; etaSec?: number; message?: string }): void {
    if (job.finished) return;
    const pct = p.total > 0 ? Math.min(100, Math.max(0, (100 * p.done) / p.total)) : 0;
    job.progress = { done: p.done, total: p.total, pct, etaSec: p.etaSec, message: p.message };
    const now = performance.now();
    const last = p.total > 0 && p.done >= p.total;
    if (last || now - job.lastEmit >= this.#interval) {
      if (job.timer !== undefined) clearTimeout(job.timer);
      job.timer = undefined;
      job.lastEmit = now;
      this.#emit(job, "progress");
    } else if (job.timer === undefined) {
      // Trailing edge: the latest tick is sent even when no further tick comes.
      job.timer = setTimeout(() => {
        job.timer = undefined;
        job.lastEmit = performance.now();
        if (!job.finished) this.#emit(job, "progress");
      }, this.#interval - (now - job.lastEmit));
    }
  }

  #finish(job: Job<unknown>, state: JobState, error?: Error): void {
    if (job.timer !== undefined) clearTimeout(job.timer);
    job.timer = undefined;
    job.state = state;
    job.error = error;
    job.finishedAt = new Date();
    if (state === "done") job.progress = { ...job.progress, done: job.progress.total, pct: 100, etaSec: 0 };
    const store = this.#store;
    if (store !== undefined) {
      const wasStarted = job.startedAt !== null;
      this.#persist(() =>
        this.#closed && state === "cancelled"
          // Stopped by a shutdown, not by a user: the next start resumes it.
          ? store.requeue(job.id, wasStarted)
          : store.finished(
            job.id,
            state as "done" | "failed" | "cancelled",
            job.finishedAt!,
            state === "done" ? JSON.stringify(resultSummary(job.result)) : null,
            state === "done" ? null : (error?.message ?? state),
          )
      );
    }
    this.#emit(job, "state");
    job.listeners.clear();
    job.markSettled();
    this.#forgetOld();
  }

  // A failed state write must not stop the queue: the job goes on in memory, and recovery after
  // a restart sees the last state that was written (the job is re-run, never lost).
  #persist(write: () => void): void {
    try {
      write();
    } catch (e) {
      console.error(`job queue: could not store a job state change: ${(e as Error).message}`);
    }
  }

  #emit(job: Job<unknown>, type: JobEvent["type"]): void {
    if (job.listeners.size === 0) return;
    const event: JobEvent = { type, job: job.info() };
    for (const l of [...job.listeners]) {
      try {
        l(event);
      } catch {
        // A broken subscriber (a closed SSE stream) must not stop the job or the other subscribers.
        job.listeners.delete(l);
      }
    }
  }

  #forgetOld(): void {
    let finished = 0;
    for (const j of this.#jobs.values()) if (j.finished) finished++;
    for (const [id, j] of this.#jobs) {
      if (finished <= this.#keep) break;
      if (j.finished) {
        this.#jobs.delete(id);
        finished--;
      }
    }
  }
}
