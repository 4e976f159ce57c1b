// Cluster jobs (issue 13) as the lab sees them: sweeps with their progress, workers and failures, the BullMQ
// workers connected to the sweep queue and its job counts, read through lib/cluster (readSweepStatus, listSweeps)
// and BullMQ's own getters, never raw keys. JSON under /api/cluster; the pages (_cluster_pages.ts) share readCluster.
// Redis is opened per request and closed after it: a lab page is rare, and a Redis restarted between two views
// then needs no reconnect logic here.
import { Hono } from "hono";
import type { Redis } from "ioredis";
import { z } from "zod";
import type { ClusterSweepStatus } from "../cluster/mod.ts";
import { redactRedisUrl } from "../cluster/redact_redis_url.ts";
import { HttpError } from "./_errors.ts";
import { zv } from "./_validate.ts";

/** What the lab says when it has no Redis to read the cluster from. */
export const CLUSTER_NOT_CONFIGURED = "no Redis configured for cluster jobs: start the lab with " +
  "`deno task lab --redis redis://HOST:PORT` or set SENTINEL_REDIS=redis://HOST:PORT " +
  "(the URL the workers, `deno task worker --redis URL`, and `deno task backtest --cluster URL` use)";

/** Sweeps listed on the page and in the JSON, most recent first. */
export const CLUSTER_SWEEPS_LIMIT = 50;

/** A BullMQ worker connected to the sweep queue (from Redis' client list, through BullMQ's getWorkers). */
export interface ClusterWorkerView {
  /** The name the worker gave BullMQ (`deno task worker` uses host and pid), or `(unnamed)`. */
  name: string;
  /** Its address as Redis sees it. */
  addr: string;
  /** Seconds since it connected. */
  ageSec: number;
  /** Seconds since its last command. */
  idleSec: number;
}

/** The whole cluster as one read. */
export interface ClusterView {
  /** The Redis URL, password masked. */
  redis: string;
  /** Jobs of the sweep queue by state (`waiting`, `active`, `completed`, `failed`, `delayed`, ...). */
  queue: Record<string, number>;
  workers: ClusterWorkerView[];
  sweeps: ClusterSweepStatus[];
}

/** Sweep ids are SHA-256 hex (lib/cluster); anything else is refused before Redis is asked. */
export const SweepIdSchema = z.object({
  id: z.string().regex(/^[0-9a-f]{8,128}$/, "a cluster sweep id is hex (as listed on /cluster)"),
});

/**
 * Opens Redis at `url`, runs `fn` with it, closes it. No URL: a 503 saying how to configure one. Unreachable: a 503
 * with lib/cluster's one line (password masked).
 */
export async function withClusterRedis<T>(url: string | undefined, fn: (redis: Redis) => Promise<T>): Promise<T> {
  if (!url) throw new HttpError(503, CLUSTER_NOT_CONFIGURED);
  // Loaded on first use: ioredis and BullMQ are not needed by a lab that never shows the cluster.
  const { connectRedis, RedisUnreachableError } = await import("../cluster/mod.ts");
  let redis: Redis;
  try {
    redis = await connectRedis(url, { connectTimeoutMs: 2000 });
  } catch (e) {
    if (e instanceof RedisUnreachableError || e instanceof TypeError) {
      throw new HttpError(503, (e as Error).message.replaceAll(url, redactRedisUrl(url)));
    }
    throw e;
  }
  try {
    return await fn(redis);
  } finally {
    redis.disconnect();
  }
}

/** Sweeps, queue counts and connected workers, in one connection. */
export function readCluster(url: string | undefined): Promise<ClusterView> {
  return withClusterRedis(url, async (redis) => {
    const [{ listSweeps, SWEEP_QUEUE }, { Queue }] = await Promise.all([
      import("../cluster/mod.ts"),
      import("bullmq"),
    ]);
    // A shared connection: closing the Queue leaves it open, withClusterRedis closes it.
    const queue = new Queue(SWEEP_QUEUE, { connection: redis });
    try {
      const [sweeps, counts, clients] = await Promise.all([
        listSweeps(redis, { limit: CLUSTER_SWEEPS_LIMIT }),
        queue.getJobCounts("waiting", "active", "completed", "failed", "delayed", "prioritized"),
        queue.getWorkers(),
      ]);
      const workers = clients.map((c): ClusterWorkerView => {
        const rawName = c.rawname ?? "";
        const at = rawName.indexOf(":w:");
        return {
          name: at >= 0 ? rawName.slice(at + 3) : "(unnamed)",
          addr: c.addr ?? "",
          ageSec: Number(c.age ?? NaN),
          idleSec: Number(c.idle ?? NaN),
        };
      }).sort((a, b) => a.name.localeCompare(b.name));
      return { redis: redactRedisUrl(url!), queue: counts, workers, sweeps };
    } finally {
      await queue.close();
    }
  });
}

/** One sweep's status; a 404 naming /cluster for an unknown id. */
export function readClusterSweep(url: string | undefined, id: string): Promise<ClusterSweepStatus> {
  return withClusterRedis(url, async (redis) => {
    const { readSweepStatus } = await import("../cluster/mod.ts");
    const status = await readSweepStatus(redis, id);
    if (status === null) throw new HttpError(404, `no cluster sweep ${id}; see /cluster for the list`);
    return status;
  });
}

/** JSON under /api/cluster: the whole view, and one sweep. Read-only. */
export function clusterApi(redisUrl: string | undefined): Hono {
  const app = new Hono();
  app.get("/", async (c) => c.json(await readCluster(redisUrl)));
  app.get("/sweeps/:id", zv("param", SweepIdSchema), async (c) => {
    const { id } = c.req.valid("param");
    return c.json({ ...(await readClusterSweep(redisUrl, id)), page: `/cluster/sweeps/${id}` });
  });
  return app;
}
