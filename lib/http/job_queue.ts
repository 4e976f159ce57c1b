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
  readonly createdAt: Date = new Date();
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
  constructor(id: string, spec: JobSpec<T>) {
    this.id = id;
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
    };
  }
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
  #running = 0;
  #closed = false;

  constructor(options: JobQueueOptions = {}) {
    const { concurrency = 1, maxPending = 64, keepFinished = 200, progressIntervalMs = 100 } = options;
    for (
      const [name, v, min] of [["concurrency", concurrency, 1], ["maxPending", maxPending, 0], [
        "keepFinished",
        keepFinished,
        0,
      ], ["progressIntervalMs", progressIntervalMs, 0]] as const
    ) {
      if (!Number.isSafeInteger(v) || v < min) {
        throw new RangeError(`JobQueue: ${name} must be an integer >= ${min}, got ${v}`);
      }
    }
    this.concurrency = concurrency;
    this.maxPending = maxPending;
    this.#keep = keepFinished;
    this.#interval = progressIntervalMs;
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
    this.#jobs.set(id, job as Job<unknown>);
    this.#waiting.push(job as Job<unknown>);
    this.#pump();
    return job;
  }

  /** The job with this id (running, waiting or remembered), or undefined (also for malformed ids). */
  get(id: string): Job<unknown> | undefined {
    return JOB_ID.test(id) ? this.#jobs.get(id) : undefined;
  }

  /** Every remembered job, newest first. */
  list(): JobInfo[] {
    return [...this.#jobs.values()].reverse().map((j) => j.info());
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

  /** Refuses new jobs, cancels every waiting and running one, and waits until the running ones stop. */
  async shutdown(reason = "the lab is shutting down"): Promise<void> {
    this.#closed = true;
    const live = [...this.#jobs.values()].filter((j) => !j.finished);
    for (const j of live) this.cancel(j.id, reason);
    await Promise.all(live.map((j) => j.settled()));
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
    this.#emit(job, "state");
    job.listeners.clear();
    job.markSettled();
    this.#forgetOld();
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
