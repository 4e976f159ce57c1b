import type { Redis } from "ioredis";
import { clusterKeys } from "./keys.ts";
import type { ClusterSweepSpec, ClusterSweepState, ClusterSweepStatus } from "./types.ts";

/**
 * Progress, workers and failures of one cluster sweep, read from Redis (what the lab's cluster page and the
 * coordinator's progress line show). Resolves to null for an unknown id.
 *
 * @example
 * ```ts ignore
 * import { connectRedis, readSweepStatus } from "./mod.ts";
 * const redis = await connectRedis("redis://127.0.0.1:6379");
 * const s = await readSweepStatus(redis, "9f2c...");
 * console.log(`${s?.chunksDone}/${s?.chunks} chunks`);
 * redis.disconnect();
 * ```
 */
export async function readSweepStatus(redis: Redis, id: string): Promise<ClusterSweepStatus | null> {
  const meta = await redis.hgetall(clusterKeys.sweep(id));
  if (meta.spec === undefined) return null;
  const spec = JSON.parse(meta.spec) as ClusterSweepSpec;
  const [stored, attempts, failures] = await Promise.all([
    redis.hgetall(clusterKeys.storedBy(id)),
    redis.hgetall(clusterKeys.attempts(id)),
    redis.hgetall(clusterKeys.failures(id)),
  ]);
  let combosDone = 0, chunksDone = 0;
  const workers: Record<string, number> = {};
  for (const [chunk, who] of Object.entries(stored)) {
    const c = Number(chunk);
    chunksDone++;
    combosDone += Math.min(spec.combos.length, (c + 1) * spec.chunkSize) - c * spec.chunkSize;
    workers[who] = (workers[who] ?? 0) + 1;
  }
  let total = 0, retried = 0;
  for (const n of Object.values(attempts)) {
    total += Number(n);
    if (Number(n) > 1) retried++;
  }
  return {
    id,
    state: (meta.state ?? "running") as ClusterSweepState,
    strategy: spec.strategy,
    label: spec.label,
    createdAt: Number(meta.created ?? NaN),
    updatedAt: Number(meta.updated ?? meta.created ?? NaN),
    chunks: spec.chunks,
    chunksDone,
    combos: spec.combos.length,
    combosDone,
    bars: spec.bars,
    attempts: total,
    retried,
    workers,
    failures: Object.entries(failures).map(([c, reason]) => ({ chunk: Number(c), reason }))
      .sort((a, b) => a.chunk - b.chunk),
    error: meta.error ?? null,
  };
}
