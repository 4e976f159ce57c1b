import { type Job, UnrecoverableError, Worker } from "bullmq";
import { Redis } from "ioredis";
import { hostname } from "node:os";
import { ENGINE_VERSION } from "../backtest/mod.ts";
import { registry, strategyCodeHash } from "../strategies/mod.ts";
import { connectRedis } from "./connect_redis.ts";
import { FrameHashMismatchError } from "./frame_hash_mismatch_error.ts";
import { loadFrameByHash } from "./load_frame_by_hash.ts";
import { clusterKeys } from "./keys.ts";
import { rowsToText } from "./_rows.ts";
import { EvalThread, sharedColumns, type ThreadSweep } from "./_eval_thread.ts";
import { type ChunkData, type ChunkReturn, type ClusterSweepSpec, SPEC_VERSION, SWEEP_QUEUE } from "./types.ts";

/** Options of {@link startClusterWorker}. */
export interface ClusterWorkerOptions {
  /** `redis://HOST:PORT`. */
  redis: string;
  /** Chunks evaluated at once, each on its own thread (so up to this many cores). Default 1. */
  concurrency?: number;
  /** Where frames are looked up (a store shared with the coordinator) and cached. Default: none (fetch every time). */
  dataDir?: string;
  /** Worker name recorded with the chunks it stores. Default `<host>:<pid>`. */
  name?: string;
  /**
   * BullMQ lock of a running chunk, renewed every half of it while the chunk yields between batches. A dead worker's
   * chunk is re-run elsewhere after about this plus `stalledInterval`. Default 2000 ms (TOOLCHAIN-2 §1).
   */
  lockDuration?: number;
  /** How often live workers look for stalled chunks. Default 1000 ms. */
  stalledInterval?: number;
  /** Stalls before a chunk fails instead of being re-run. Default 2. */
  maxStalledCount?: number;
  /** Fault-injection for tests: sleep this long before each batch, so a chunk can be caught mid-way. Default 0. */
  batchDelayMs?: number;
  /**
   * Fault-injection for tests: called before a chunk's rows are stored, with the chunk and its attempt (1 = first);
   * what it throws is handled as an error of the chunk (a plain error is transient and retried).
   */
  beforeStore?: (chunk: ChunkData, attempt: number) => void | Promise<void>;
  /** Called after each chunk (stored or found stored). */
  onChunk?: (sweepId: string, r: ChunkReturn) => void;
  /** Called with errors of the queue connection and failed chunks. */
  onError?: (e: Error) => void;
}

/** A running cluster worker. */
export interface ClusterWorker {
  readonly name: string;
  /** Stops taking chunks, waits for the running ones, closes the connections. */
  close(): Promise<void>;
  [Symbol.asyncDispose](): Promise<void>;
}

interface SweepCache {
  spec: ClusterSweepSpec;
  thread: ThreadSweep;
}

const CACHED_SWEEPS = 4;

/**
 * Processes sweep chunks from the cluster's BullMQ queue until closed (`deno task worker` runs it). Each chunk: the
 * sweep's spec is read once per sweep and checked (spec version, engine version, the strategy's code hash: other
 * code is refused, not run), its data is loaded by hash (see loadFrameByHash) and shared with the evaluation threads
 * (one per concurrent chunk, each keeping the sweep's indicator series), the combinations are evaluated a batch at a
 * time on a thread (runSweep's evaluator) with the cancel flag checked between batches, and the rows are stored
 * with HSETNX under the chunk id (a re-run after this worker died stores nothing new). An error that the same inputs
 * would raise again (another spec or engine version, other strategy code, a frame hash mismatch, the strategy
 * throwing, a cancelled sweep) fails the chunk at once as BullMQ's UnrecoverableError, recorded for the coordinator;
 * any other (a Redis error, a failed download, a crashed thread) is thrown as it is, so BullMQ runs the chunk again
 * after its backoff while attempts remain (the coordinator gives 3), and only the last one is recorded. A stall (a
 * dead worker) is re-run by BullMQ on another worker. Rejects with RedisUnreachableError when Redis does not answer
 * at start; later connection losses are retried.
 *
 * @example
 * ```ts ignore
 * import { startClusterWorker } from "./mod.ts";
 * const worker = await startClusterWorker({ redis: "redis://127.0.0.1:6379", dataDir: "data/store" });
 * Deno.addSignalListener("SIGTERM", () => worker.close());
 * ```
 */
export async function startClusterWorker(options: ClusterWorkerOptions): Promise<ClusterWorker> {
  (await connectRedis(options.redis)).disconnect();
  const name = options.name ?? `${hostname()}:${Deno.pid}`;
  const redis = new Redis(options.redis, { maxRetriesPerRequest: null });
  redis.on("error", (e: Error) => options.onError?.(e));
  const delay = options.batchDelayMs ?? 0;
  const sweeps = new Map<string, Promise<SweepCache>>();
  // One evaluation thread per concurrent chunk: the main thread only talks to Redis, so locks are always renewed.
  const idle: EvalThread[] = [];
  const all = new Set<EvalThread>();
  const takeThread = (): EvalThread => {
    let t = idle.pop();
    while (t?.broken) {
      all.delete(t);
      t.terminate();
      t = idle.pop();
    }
    if (t === undefined) all.add(t = new EvalThread());
    return t;
  };

  const load = (id: string): Promise<SweepCache> => {
    let p = sweeps.get(id);
    if (p === undefined) {
      p = loadSweep(redis, id, options.dataDir);
      p.catch(() => sweeps.delete(id));
      sweeps.set(id, p);
      if (sweeps.size > CACHED_SWEEPS) sweeps.delete(sweeps.keys().next().value!);
    }
    return p;
  };

  const processChunk = async (job: Job<ChunkData>): Promise<ChunkReturn> => {
    const { sweepId: id, chunk, start, end } = job.data;
    const field = String(chunk);
    // Checked between batches, at most every 200 ms: a round trip per batch would cost more than small batches.
    let checked = performance.now();
    const cancelled = async (): Promise<boolean> => {
      if (performance.now() - checked < 200) return false;
      checked = performance.now();
      return (await redis.exists(clusterKeys.cancel(id))) === 1;
    };
    try {
      // One round trip: cancelled?, count the attempt, already stored?
      const [isCancelled, , isStored] = ((await redis.multi()
        .exists(clusterKeys.cancel(id))
        .hincrby(clusterKeys.attempts(id), field, 1)
        .hexists(clusterKeys.results(id), field)
        .exec()) ?? []).map((r) => r[1]);
      if (isCancelled === 1) throw new UnrecoverableError("cancelled");
      if (isStored === 1) {
        const storedBy = (await redis.hget(clusterKeys.storedBy(id), field)) ?? "";
        return { chunk, rows: end - start, storedBy, stored: false };
      }
      const { spec, thread: sweep } = await load(id);
      const w = spec.plan.statKeys.length;
      const combos = spec.combos.slice(start, end);
      const out = new Float64Array(combos.length * w);
      const step = spec.plan.fastPath ? 64 : 4;
      const thread = takeThread();
      try {
        for (let a = 0; a < combos.length; a += step) {
          if (delay > 0) await new Promise((r) => setTimeout(r, delay));
          if (await cancelled()) throw new UnrecoverableError("cancelled");
          let rows: Float64Array;
          try {
            rows = await thread.evaluate(sweep, combos.slice(a, a + step));
          } catch (e) {
            // The strategy threw: it would throw again anywhere. A crashed thread (out of memory, killed) may not.
            if (thread.broken) throw e;
            throw new UnrecoverableError((e as Error)?.message ?? String(e));
          }
          out.set(rows, a * w);
        }
      } finally {
        idle.push(thread);
      }
      await options.beforeStore?.(job.data, job.attemptsMade + 1);
      const res = await redis.multi()
        .hsetnx(clusterKeys.results(id), field, rowsToText(out))
        .hsetnx(clusterKeys.storedBy(id), field, name)
        .rpush(clusterKeys.done(id), field)
        .hset(clusterKeys.sweep(id), "updated", String(Date.now()))
        .exec();
      const stored = res?.[0]?.[1] === 1;
      const r: ChunkReturn = {
        chunk,
        rows: combos.length,
        storedBy: stored ? name : (await redis.hget(clusterKeys.storedBy(id), field)) ?? "",
        stored,
      };
      options.onChunk?.(id, r);
      return r;
    } catch (e) {
      const message = (e as Error)?.message ?? String(e);
      const final = e instanceof UnrecoverableError || e instanceof FrameHashMismatchError ||
        job.attemptsMade + 1 >= (job.opts.attempts ?? 1);
      // A failure the coordinator sees fails the sweep: record only the last one, not one BullMQ will retry.
      if (final) await redis.hset(clusterKeys.failures(id), field, `${name}: ${message}`).catch(() => {});
      else options.onError?.(new Error(`chunk ${chunk} of sweep ${id.slice(0, 12)} (will be retried): ${message}`));
      if (e instanceof UnrecoverableError) throw e;
      if (e instanceof FrameHashMismatchError) throw new UnrecoverableError(message);
      throw e;
    }
  };

  const worker = new Worker<ChunkData, ChunkReturn>(SWEEP_QUEUE, processChunk, {
    connection: redis,
    concurrency: options.concurrency ?? 1,
    lockDuration: options.lockDuration ?? 2000,
    stalledInterval: options.stalledInterval ?? 1000,
    maxStalledCount: options.maxStalledCount ?? 2,
    // An idle worker blocks this long (s) for a job; a retry's backoff can end unseen within it, so keep it short.
    drainDelay: 1,
    name,
  });
  worker.on("error", (e) => options.onError?.(e));
  await worker.waitUntilReady();
  let closing: Promise<void> | undefined;
  const close = (): Promise<void> =>
    closing ??= (async () => {
      await worker.close();
      for (const t of all) t.terminate();
      redis.disconnect();
    })();
  return { name, close, [Symbol.asyncDispose]: close };
}

// Every refusal here is an UnrecoverableError: the same spec on the same code is refused again, however often.
async function loadSweep(redis: Redis, id: string, dataDir: string | undefined): Promise<SweepCache> {
  const text = await redis.hget(clusterKeys.sweep(id), "spec");
  if (text === null) throw new UnrecoverableError(`sweep ${id.slice(0, 12)} has no spec in redis (deleted?)`);
  const spec = JSON.parse(text) as ClusterSweepSpec;
  if (spec.version !== SPEC_VERSION) {
    throw new UnrecoverableError(
      `sweep spec version ${spec.version}, this worker reads ${SPEC_VERSION}: update the worker`,
    );
  }
  if (spec.engineVersion !== ENGINE_VERSION) {
    throw new UnrecoverableError(
      `the coordinator runs engine ${spec.engineVersion}, this worker ${ENGINE_VERSION}: run the same code everywhere`,
    );
  }
  let strategy;
  try {
    strategy = registry.get(spec.strategy);
  } catch (e) {
    throw new UnrecoverableError((e as Error)?.message ?? String(e));
  }
  const hash = await strategyCodeHash(strategy);
  if (hash !== spec.strategyHash) {
    throw new UnrecoverableError(
      `strategy ${spec.strategy} differs here (code ${hash.slice(0, 12)}, coordinator ${
        spec.strategyHash.slice(0, 12)
      }): run the same code everywhere`,
    );
  }
  const frame = await loadFrameByHash(spec.frameHash, {
    ...(dataDir !== undefined ? { dataDir } : {}),
    dataUrl: spec.dataUrl,
  });
  return { spec, thread: { id, strategy: spec.strategy, plan: spec.plan, ...sharedColumns(frame) } };
}
