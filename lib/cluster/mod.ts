/**
 * Sweeps on many machines through an existing job engine: BullMQ on Redis. No scheduler, queue or RPC of our own.
 *
 * ```
 * deno task worker --redis redis://HOST:6379 [--concurrency N] [--data-dir DIR]      # on every machine
 * deno task backtest --data ... --strategy ... --grid ... --cluster redis://HOST:6379  # the coordinator
 * ```
 *
 * **Chunks.** Only the evaluation moves: runSweep validates the grid, picks the best, computes PSR/DSR and builds the
 * table as it does locally, and hands the valid combinations to an executor ({@link createClusterExecutor}). A sweep
 * (one series; a walk-forward fold is one sweep over its training bars; a batch is one sweep per series, all
 * submitted at once) is cut into chunks of consecutive combinations. The sweep id is the SHA-256 of its inputs
 * (engine version, strategy name and code hash, the plan, the parsed combinations, the data's `hashFrame`, the chunk
 * size), and a chunk's BullMQ `jobId` is `<sweep id>-<chunk>`: submitting the same sweep again adds nothing queued or
 * running. The chunk size defaults to about 0.2-0.5 s of one core's work.
 *
 * **Exactly once.** A worker stores a chunk's rows (bit-exact float64, base64) with HSETNX under the chunk's number,
 * and the coordinator reads them from that hash and accepts each chunk once (runSweep refuses a row twice); a chunk
 * re-run after its worker died finds its rows stored, or stores them first, never twice.
 *
 * **Faults.** Workers use fast stall settings (lock 2 s, stall check 1 s, TOOLCHAIN-2 §1) and evaluate on threads,
 * so the main thread always renews the lock: a SIGKILLed worker's chunk is re-run by another within seconds. A
 * restarted coordinator computes the same sweep id, takes the rows already stored, and enqueues only the chunks
 * that are neither stored nor queued ({@link ClusterProgress.resumed}). Ctrl-C (an aborted signal) or
 * {@link cancelSweep} marks the sweep cancelled, removes its waiting chunks and sets a flag that running chunks check
 * between batches (they fail as "cancelled", not retried). A chunk that fails with a transient error (Redis, a
 * download, a crashed thread) is run again after a short backoff, up to {@link CHUNK_ATTEMPTS} runs; a deterministic
 * one (another engine or strategy code, a frame hash mismatch, the strategy throwing) fails at once, and either
 * fails the sweep with the worker's message. {@link connectRedis} reports an unreachable Redis once (no reconnect
 * loop): the commands print that line and exit 2.
 *
 * **Data by hash.** The coordinator writes each frame as Arrow IPC to `<data dir>/_cluster/frames/<hash>.arrow`
 * (workers with the same `--data-dir` read it there) and serves `GET /api/data/<hash>.arrow` ({@link serveFrames})
 * for the others, which cache it under their own data dir. Every frame read or fetched is hashed again: a mismatch
 * is a {@link FrameHashMismatchError}, never a run on other data. Workers also refuse a sweep whose engine version
 * or strategy code hash differs from theirs.
 *
 * **Contract** (`types.ts`, `keys.ts`): queue {@link SWEEP_QUEUE}; job data {@link ChunkData} (positions only); the
 * sweep's {@link ClusterSweepSpec} stored once in `sentinel:cluster:sweep:<id>`; progress, workers and failures read
 * with {@link readSweepStatus} and {@link listSweeps} (the lab's cluster pages).
 *
 * Limits: portfolio strategies and strategies with an asynchronous `prepare` (LLM agents) run locally only. A
 * walk-forward submits every fold's in-sample sweep at once, so chunks of different folds run side by side. Workers
 * on other hosts reach the coordinator's data route at `SENTINEL_CLUSTER_HOST`/`SENTINEL_CLUSTER_ADVERTISE`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { runSweep } from "../backtest/mod.ts";
 * import { randomBars, startRedisServer } from "../testing/mod.ts";
 * import { connectRedis, createClusterExecutor, readSweepStatus, startClusterWorker } from "./mod.ts";
 *
 * await using redisServer = await startRedisServer();
 * const dataDir = await Deno.makeTempDir();
 * // A worker in this process (normally `deno task worker` on other machines).
 * await using _worker = await startClusterWorker({ redis: redisServer.url, dataDir, concurrency: 2 });
 * const redis = await connectRedis(redisServer.url);
 * const executor = await createClusterExecutor({ redis, dataDir, chunkSize: 5 });
 * const sweep = {
 *   frame: randomBars({ n: 2000, seed: 1 }),
 *   strategy: "sma_cross",
 *   grid: { fast: [2, 5, 10, 15], slow: [20, 30, 40, 50, 60] },
 *   options: { fee: 0.001 },
 *   stats: "full" as const,
 *   workers: 0,
 * };
 * const remote = await runSweep({ ...sweep, executor });
 * const local = await runSweep(sweep);
 * assert.deepEqual(remote.table.toArray().map((r) => r.toJSON()), local.table.toArray().map((r) => r.toJSON()));
 * assert.deepEqual(remote.best, local.best);
 * const status = await readSweepStatus(redis, executor.sweepIds[0]!);
 * assert.equal(status?.chunksDone, 4);
 * await executor.close();
 * redis.disconnect();
 * await Deno.remove(dataDir, { recursive: true });
 * ```
 *
 * @module
 */
export * from "./types.ts";
export * from "./keys.ts";
export * from "./connect_redis.ts";
export * from "./redact_redis_url.ts";
export * from "./redis_unreachable_error.ts";
export * from "./read_sweep_status.ts";
export * from "./list_sweeps.ts";
export * from "./cluster_sweep_spec.ts";
export * from "./frame_hash_mismatch_error.ts";
export * from "./publish_frame.ts";
export * from "./load_frame_by_hash.ts";
export * from "./serve_frames.ts";
export * from "./create_cluster_executor.ts";
export * from "./start_cluster_worker.ts";
export * from "./cancel_sweep.ts";
