/**
 * Sweeps on many machines through an existing job engine: BullMQ on Redis. No scheduler, queue or RPC of our own.
 *
 * **Chunks.** A sweep (one series, one walk-forward fold) is cut into chunks of consecutive valid combinations. The
 * sweep id is the SHA-256 of its inputs (engine version, strategy and its code hash, the evaluation plan, the parsed
 * combinations, the data's `hashFrame`, the chunk size), and a chunk's BullMQ `jobId` is `<sweep id>-<chunk>`: the
 * same sweep submitted twice (a restarted coordinator) adds nothing that is queued, running or done.
 *
 * **Contract** (see `types.ts` and `keys.ts`): queue {@link SWEEP_QUEUE}; job data {@link ChunkData} (positions only);
 * the sweep's {@link ClusterSweepSpec} stored once in `sentinel:cluster:sweep:<id>`; a chunk's rows stored once with
 * HSETNX in `...:results` (a re-run after a dead worker writes nothing new); progress, workers and failures read
 * with {@link readSweepStatus} and {@link listSweeps}; a cancel flag `...:cancel` that workers check between batches.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { clusterKeys, SWEEP_QUEUE } from "./mod.ts";
 * assert.equal(SWEEP_QUEUE, "sentinel-sweep");
 * assert.equal(clusterKeys.jobId("9f2c", 0), "9f2c-0");
 * ```
 *
 * @module
 */
export * from "./types.ts";
export * from "./keys.ts";
export * from "./connect_redis.ts";
export * from "./read_sweep_status.ts";
export * from "./list_sweeps.ts";
export * from "./cluster_sweep_spec.ts";
export * from "./frame_by_hash.ts";
export * from "./serve_frames.ts";
export * from "./create_cluster_executor.ts";
export * from "./start_cluster_worker.ts";
export * from "./cancel_sweep.ts";
