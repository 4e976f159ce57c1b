import { Queue } from "bullmq";
import type { Redis } from "ioredis";
import { hashFrame, type SweepExecutor, type SweepJob } from "../backtest/mod.ts";
import { cancelSweep } from "./cancel_sweep.ts";
import { clusterSweepSpec } from "./cluster_sweep_spec.ts";
import { publishFrame } from "./publish_frame.ts";
import { clusterKeys } from "./keys.ts";
import { rowsFromText } from "./_rows.ts";
import type { FrameServer } from "./serve_frames.ts";
import { CHUNK_JOB, type ChunkData, type ClusterSweepLabel, SWEEP_QUEUE } from "./types.ts";

/** Progress of one cluster sweep, as the coordinator sees it. */
export interface ClusterProgress {
  sweepId: string;
  label: ClusterSweepLabel;
  chunks: number;
  chunksDone: number;
  combos: number;
  combosDone: number;
  /** Chunks found done when the sweep was submitted (a resumed sweep). */
  resumed: number;
}

/**
 * Runs of a chunk that fails with a transient error (a Redis error, a failed download) before the sweep fails; the
 * retries wait 250 ms, then 500 ms. Deterministic errors (another engine, other strategy code, a frame hash mismatch)
 * fail at the first run (the worker throws BullMQ's UnrecoverableError).
 */
export const CHUNK_ATTEMPTS = 3;

/** Options of {@link createClusterExecutor}. */
export interface ClusterExecutorOptions {
  /** A connection from `connectRedis` (the caller closes it). */
  redis: Redis;
  /** The coordinator's data dir: frames are published under `<dir>/_cluster/frames/` for workers that share it. */
  dataDir?: string;
  /** Serves frames to workers that do not share the data dir (see serveFrames). */
  server?: FrameServer;
  /** Combinations per chunk (see clusterSweepSpec). */
  chunkSize?: number;
  /** Series label and free text shown with the sweep. */
  label?: { series?: string; text?: string };
  /** Number the sweeps run through this executor as walk-forward folds 0, 1, 2, ... */
  folds?: boolean;
  /** Called when chunks arrive (and once at the start). */
  onProgress?: (p: ClusterProgress) => void;
  /** Milliseconds between polls of the results. Default 25. */
  pollMs?: number;
}

/**
 * A {@link SweepExecutor} that runs chunks on `deno task worker` processes; `sweepIds` lists the sweeps it was given,
 * in call order (a slot is "" until its id is computed).
 */
export interface ClusterExecutor extends SweepExecutor {
  readonly sweepIds: string[];
  close(): Promise<void>;
}

/**
 * The coordinator's side of a cluster sweep, as a runSweep executor. `run` cuts the sweep into chunks, publishes its
 * data, stores its spec, collects the rows already stored (a restarted coordinator resumes there), enqueues the
 * other chunks with deterministic job ids (a chunk still queued or running is not added twice; a failed or lost one
 * is replaced), then polls the results hash and hands each chunk's rows to runSweep exactly once. Aborting the
 * signal cancels the sweep (cancelSweep) and rejects with the reason; a chunk that fails on a worker (at once for a
 * deterministic error, after {@link CHUNK_ATTEMPTS} runs for a transient one) fails the sweep with the worker's
 * message; a sweep cancelled from elsewhere rejects with an AbortError.
 *
 * @example
 * ```ts ignore
 * import { connectRedis, createClusterExecutor } from "./mod.ts";
 * import { runSweep } from "../backtest/mod.ts";
 * const redis = await connectRedis("redis://127.0.0.1:6379");
 * const executor = await createClusterExecutor({ redis, dataDir: "data/store" });
 * const result = await runSweep({ frame, strategy: "sma_cross", grid, executor }); // rows from `deno task worker`s
 * await executor.close();
 * redis.disconnect();
 * ```
 */
export function createClusterExecutor(options: ClusterExecutorOptions): Promise<ClusterExecutor> {
  const { redis } = options;
  const queue = new Queue<ChunkData>(SWEEP_QUEUE, { connection: redis });
  const pollMs = options.pollMs ?? 25;
  const sweepIds: string[] = [];
  let fold = 0;
  const run = async (
    job: SweepJob,
    accept: (start: number, out: Float64Array) => void,
    signal?: AbortSignal,
  ): Promise<void> => {
    // Numbered at the call, before any await: folds submitted at once keep their order.
    const foldNo = options.folds ? fold++ : null;
    const slot = sweepIds.push("") - 1;
    signal?.throwIfAborted();
    const frameHash = await hashFrame(job.frame);
    if (options.dataDir !== undefined) await publishFrame(options.dataDir, job.frame, frameHash);
    if (options.server !== undefined) await options.server.add(job.frame);
    const label: ClusterSweepLabel = {
      series: options.label?.series ?? "",
      fold: foldNo,
      text: options.label?.text ?? "",
    };
    const { id, spec } = await clusterSweepSpec(job, {
      ...(options.chunkSize !== undefined ? { chunkSize: options.chunkSize } : {}),
      dataUrl: options.server?.url ?? null,
      label,
    });
    sweepIds[slot] = id;
    const now = String(Date.now());
    const created = await redis.multi()
      .hsetnx(clusterKeys.sweep(id), "created", now)
      .hset(clusterKeys.sweep(id), { spec: JSON.stringify(spec), state: "running", updated: now })
      .hdel(clusterKeys.sweep(id), "error")
      .zadd(clusterKeys.SWEEPS, "NX", now, id)
      .del(clusterKeys.cancel(id), clusterKeys.failures(id))
      .exec();

    const fresh = created?.[0]?.[1] === 1;
    const got = new Set<number>();
    const w = spec.plan.statKeys.length;
    // The done list grows with every stored chunk (in the transaction that stores it): read only its new tail.
    let cursor = 0;
    const collect = async (): Promise<void> => {
      const tail = await redis.lrange(clusterKeys.done(id), cursor, -1);
      cursor += tail.length;
      const fresh = [...new Set(tail.map(Number))].filter((c) => !got.has(c));
      if (fresh.length === 0) return;
      const texts = await redis.hmget(clusterKeys.results(id), ...fresh.map(String));
      fresh.forEach((c, i) => {
        const out = rowsFromText(texts[i]!);
        const start = c * spec.chunkSize, rows = Math.min(spec.combos.length, start + spec.chunkSize) - start;
        if (out.length !== rows * w) {
          throw new RangeError(
            `chunk ${c} of sweep ${id.slice(0, 12)} holds ${out.length} values, expected ${rows * w}`,
          );
        }
        got.add(c);
        accept(start, out);
      });
    };
    const progress = (resumed: number): void => {
      let combosDone = 0;
      for (const c of got) combosDone += Math.min(spec.combos.length, (c + 1) * spec.chunkSize) - c * spec.chunkSize;
      options.onProgress?.({
        sweepId: id,
        label,
        chunks: spec.chunks,
        chunksDone: got.size,
        combos: spec.combos.length,
        combosDone,
        resumed,
      });
    };

    await collect();
    const resumed = got.size;
    const adds: { name: string; data: ChunkData; opts: Record<string, unknown> }[] = [];
    for (let c = 0; c < spec.chunks; c++) {
      if (got.has(c)) continue;
      const jobId = clusterKeys.jobId(id, c);
      // A sweep seen for the first time has no jobs yet: no need to look for them one by one.
      const existing = fresh ? undefined : await queue.getJob(jobId);
      if (existing) {
        const state = await existing.getState();
        // Queued or running: it will store its rows. Failed (an earlier cancel or error) or finished without rows
        // (evicted results): replace it, or its job id would keep the new one out.
        if (state !== "failed" && state !== "completed" && state !== "unknown") continue;
        // Finished since the rows were read: take them rather than run the chunk again.
        if (await redis.hexists(clusterKeys.results(id), String(c))) continue;
        await existing.remove().catch(() => {});
      }
      adds.push({
        name: CHUNK_JOB,
        data: {
          sweepId: id,
          chunk: c,
          start: c * spec.chunkSize,
          end: Math.min(spec.combos.length, (c + 1) * spec.chunkSize),
        },
        opts: {
          jobId,
          attempts: CHUNK_ATTEMPTS,
          backoff: { type: "exponential", delay: 250 },
          removeOnComplete: { age: 3600 },
          removeOnFail: { age: 86_400 },
        },
      });
    }
    for (let i = 0; i < adds.length; i += 500) await queue.addBulk(adds.slice(i, i + 500));
    progress(resumed);

    let polls = 0;
    while (got.size < spec.chunks) {
      if (signal?.aborted) {
        await cancelSweep(redis, id);
        throw signal.reason;
      }
      await sleep(pollMs, signal);
      if (signal?.aborted) continue;
      const before = got.size;
      await collect();
      if (got.size !== before) progress(resumed);
      if (got.size === spec.chunks) break;
      if (await redis.exists(clusterKeys.cancel(id))) {
        throw new DOMException(`cluster sweep ${id.slice(0, 12)} was cancelled`, "AbortError");
      }
      // Failures are rare: look every 100 ms or so, not at every poll.
      if (++polls % Math.max(1, Math.round(100 / pollMs)) !== 0) continue;
      const failures = await redis.hgetall(clusterKeys.failures(id));
      for (const [c, reason] of Object.entries(failures)) {
        if (!got.has(Number(c))) await fail(`chunk ${c} failed on a worker: ${reason}`);
      }
      // A job BullMQ itself failed (stalled more often than allowed) leaves no reason of ours: its failed list has it.
      if (polls % Math.max(1, Math.round(2000 / pollMs)) === 0) {
        for (const j of await queue.getFailed(0, 999)) {
          const c = j.data?.sweepId === id ? j.data.chunk : -1;
          if (c >= 0 && !got.has(c) && !(await redis.hexists(clusterKeys.results(id), String(c)))) {
            await fail(`chunk ${c} failed: ${j.failedReason}`);
          }
        }
      }
    }
    await redis.hset(clusterKeys.sweep(id), { state: "done", updated: String(Date.now()) });

    async function fail(message: string): Promise<never> {
      await redis.hset(clusterKeys.sweep(id), { state: "failed", error: message, updated: String(Date.now()) });
      throw new Error(`cluster sweep ${id.slice(0, 12)}: ${message}`);
    }
  };
  return Promise.resolve({
    run,
    sweepIds,
    close: () => queue.close(),
  });
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const t = setTimeout(done, ms);
    function done(): void {
      clearTimeout(t);
      signal?.removeEventListener("abort", done);
      resolve();
    }
    signal?.addEventListener("abort", done, { once: true });
  });
}
