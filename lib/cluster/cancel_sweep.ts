import { Queue } from "bullmq";
import type { Redis } from "ioredis";
import { clusterKeys } from "./keys.ts";
import { type ClusterSweepSpec, SWEEP_QUEUE } from "./types.ts";

/**
 * Cancels a cluster sweep: marks it cancelled, removes its chunks still waiting in the queue, and sets the flag that
 * workers check between batches, so chunks being evaluated stop within a batch and fail with "cancelled" (they are
 * not retried). Rows already stored stay: submitting the same sweep again resumes from them. Resolves to the number
 * of waiting chunks removed; false for an unknown sweep.
 *
 * @example
 * ```ts ignore
 * import { cancelSweep, connectRedis } from "./mod.ts";
 * const redis = await connectRedis("redis://127.0.0.1:6379");
 * await cancelSweep(redis, "9f2c...");
 * redis.disconnect();
 * ```
 */
export async function cancelSweep(redis: Redis, id: string): Promise<number | false> {
  const text = await redis.hget(clusterKeys.sweep(id), "spec");
  if (text === null) return false;
  const spec = JSON.parse(text) as ClusterSweepSpec;
  const now = Date.now();
  await redis.multi()
    .set(clusterKeys.cancel(id), String(now))
    .hset(clusterKeys.sweep(id), { state: "cancelled", updated: String(now) })
    .exec();
  const done = new Set((await redis.hkeys(clusterKeys.results(id))).map(Number));
  const queue = new Queue(SWEEP_QUEUE, { connection: redis });
  let removed = 0;
  try {
    for (let c = 0; c < spec.chunks; c++) {
      // A running chunk is locked and stays (remove answers 0): its worker sees the flag and stops.
      if (!done.has(c)) removed += await queue.remove(clusterKeys.jobId(id, c));
    }
  } finally {
    await queue.close();
  }
  return removed;
}
