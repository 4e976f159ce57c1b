/**
 * `deno task worker --redis URL [--concurrency N] [--data-dir DIR]`: evaluates chunks of cluster sweeps (see
 * lib/cluster) until SIGTERM or Ctrl-C, which let the running chunks finish and close cleanly. Start any number on
 * any machines that run the same code; `deno task backtest ... --cluster URL` feeds them.
 *
 * Exit codes: 0 closed; 2 bad flag or Redis unreachable (one line); 1 a bug.
 *
 * @module
 */
import { redactRedisUrl, RedisUnreachableError, startClusterWorker } from "../lib/cluster/mod.ts";
import { commandFlags, parseNumberFlag, runCli, UsageError } from "./_cli.ts";

const COMMAND = "deno task worker";

/** The help text. */
export const HELP = `Usage: ${COMMAND} --redis redis://HOST:PORT [--concurrency N] [--data-dir DIR]

Evaluates chunks of cluster sweeps from Redis (BullMQ queue sentinel-sweep) until SIGTERM or Ctrl-C.

  --redis URL           the Redis the coordinator uses (deno task backtest ... --cluster URL)
  --concurrency N       chunks evaluated at once, each on its own thread (up to N cores) [1]; more workers on
                        more machines add more
  --data-dir DIR        where data is found by hash (a store shared with the coordinator) and fetched data is
                        cached [$SENTINEL_DATA_DIR, else data/store]
  -h, --help            this help`;

const FLAGS = {
  redis: { type: "string" },
  concurrency: { type: "string" },
  "data-dir": { type: "string" },
  help: { type: "boolean", short: "h" },
} as const;

/** The command: returns the exit code once the worker is closed. */
export async function main(args: string[], signal: AbortSignal): Promise<number> {
  const values = commandFlags(args, FLAGS, COMMAND, HELP);
  if (values === null) return 0;
  const redis = values.redis as string | undefined;
  if (redis === undefined) throw new UsageError(`--redis is required: redis://HOST:PORT (see \`${COMMAND} --help\`)`);
  const concurrency = values.concurrency === undefined ? 1 : parseNumberFlag(
    "concurrency",
    values.concurrency as string,
    (x) => Number.isInteger(x) && x >= 1 && x <= 256,
    "a whole number from 1 to 256",
  );
  const dataDir = (values["data-dir"] as string | undefined) ?? Deno.env.get("SENTINEL_DATA_DIR") ?? "data/store";
  let worker;
  try {
    worker = await startClusterWorker({
      redis,
      concurrency,
      dataDir,
      batchDelayMs: Number(Deno.env.get("SENTINEL_CLUSTER_BATCH_DELAY_MS") ?? 0) || 0,
      onChunk: (id, r) => {
        if (r.stored) console.error(`chunk ${r.chunk} of sweep ${id.slice(0, 12)}: ${r.rows} rows stored`);
      },
      onError: (e) => console.error(`worker: ${e.message}`),
    });
  } catch (e) {
    if (e instanceof RedisUnreachableError) throw new UsageError(e.message);
    throw e;
  }
  console.error(`worker ${worker.name} on ${redactRedisUrl(redis)} (concurrency ${concurrency}, data ${dataDir})`);
  const stop = Promise.withResolvers<void>();
  const onTerm = (): void => stop.resolve();
  Deno.addSignalListener("SIGTERM", onTerm);
  signal.addEventListener("abort", onTerm, { once: true });
  await stop.promise;
  Deno.removeSignalListener("SIGTERM", onTerm);
  console.error(`worker ${worker.name}: closing (waiting for running chunks)`);
  await worker.close();
  return 0;
}

if (import.meta.main) await runCli(main);
