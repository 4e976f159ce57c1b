import type { Redis } from "ioredis";
import { clusterKeys } from "./keys.ts";
import { readSweepStatus } from "./read_sweep_status.ts";
import type { ClusterSweepStatus } from "./types.ts";

/** Options of {@link listSweeps}. */
export interface ListSweepsOptions {
  /** Most recent first; at most this many. Default 50. */
  limit?: number;
}

/**
 * The cluster's sweeps, most recent first, with their status (the lab's list of cluster jobs).
 *
 * @example
 * ```ts ignore
 * import { connectRedis, listSweeps } from "./mod.ts";
 * const redis = await connectRedis("redis://127.0.0.1:6379");
 * for (const s of await listSweeps(redis)) console.log(s.id, s.state, `${s.chunksDone}/${s.chunks}`);
 * redis.disconnect();
 * ```
 */
export async function listSweeps(redis: Redis, options: ListSweepsOptions = {}): Promise<ClusterSweepStatus[]> {
  const ids = await redis.zrevrange(clusterKeys.SWEEPS, 0, (options.limit ?? 50) - 1);
  const out: ClusterSweepStatus[] = [];
  for (const id of ids) {
    const s = await readSweepStatus(redis, id);
    if (s) out.push(s);
  }
  return out;
}
