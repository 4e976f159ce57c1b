// `deno task backtest ... --cluster redis://HOST:PORT`: the same sweeps, batches and walk-forwards, evaluated by
// `deno task worker` processes through lib/cluster. Only the evaluation moves: validation, best pick, PSR/DSR, the
// record, the files and the output are the local run's code, so the outputs are the same.

import type { BatchSweepResult, SweepExecutor, SweepResult } from "../lib/backtest/mod.ts";
import { runSweep } from "../lib/backtest/mod.ts";
import {
  type ClusterExecutor,
  clusterKeys,
  type ClusterProgress,
  connectRedis,
  createClusterExecutor,
  type FrameServer,
  redactRedisUrl,
  RedisUnreachableError,
  serveFrames,
} from "../lib/cluster/mod.ts";
import { UsageError } from "./_cli.ts";
import type { BatchPlan } from "./_backtest_batch.ts";
import type { JobContext } from "./_backtest_run.ts";

/** An open connection to a cluster for one command. */
export interface ClusterContext {
  /** The Redis URL with its password hidden (for messages and records). */
  url: string;
  /** Workers that stored chunks of this command's sweeps so far. */
  workersSeen(): Promise<number>;
  /** `cluster redis://HOST:PORT, N workers seen`: where a run was evaluated, for its output line. */
  describe(): Promise<string>;
  /** A runSweep executor for one series' sweep, or (`folds`) for a walk-forward's fold sweeps. */
  executorFor(series: string, folds?: boolean): SweepExecutor;
  /** Runs a batch plan's series as cluster sweeps, all submitted at once (cli/_backtest_batch.ts's BatchRunner). */
  runBatch(ctx: JobContext, plan: BatchPlan): Promise<BatchSweepResult>;
  close(): Promise<void>;
  [Symbol.asyncDispose](): Promise<void>;
}

/** Options of {@link openCluster}. */
export interface OpenClusterOptions {
  /** Progress lines (stderr; transient ones are rewritten in place on a terminal). */
  progress: (line: string, transient?: boolean) => void;
  /** Label recorded with the cluster's sweeps. */
  label?: string;
}

/**
 * Connects to the cluster's Redis (unreachable: a UsageError, one line, exit 2), publishes data under the data dir
 * (`$SENTINEL_DATA_DIR`, else `data/store`: workers sharing it read the data there) and serves it to the others on
 * `$SENTINEL_CLUSTER_HOST` (default 127.0.0.1; `$SENTINEL_CLUSTER_ADVERTISE` is the name workers use to reach it).
 */
export async function openCluster(url: string, options: OpenClusterOptions): Promise<ClusterContext> {
  let redis;
  try {
    redis = await connectRedis(url);
  } catch (e) {
    if (e instanceof RedisUnreachableError || e instanceof TypeError) {
      throw new UsageError(`--cluster: ${(e as Error).message}`);
    }
    throw e;
  }
  const dataDir = Deno.env.get("SENTINEL_DATA_DIR") ?? "data/store";
  const host = Deno.env.get("SENTINEL_CLUSTER_HOST") ?? "127.0.0.1";
  const advertise = Deno.env.get("SENTINEL_CLUSTER_ADVERTISE");
  const server: FrameServer = serveFrames({ hostname: host, ...(advertise ? { advertise } : {}) });
  const executors: Promise<ClusterExecutor>[] = [];
  // One line for the whole command: a batch runs a sweep per series at once, a walk-forward one per fold.
  const sweeps = new Map<string, ClusterProgress>();
  let lastShown = 0;
  const onProgress = (p: ClusterProgress): void => {
    sweeps.set(p.sweepId, p);
    let chunks = 0, chunksDone = 0, combos = 0, combosDone = 0, resumed = 0;
    for (const s of sweeps.values()) {
      chunks += s.chunks, chunksDone += s.chunksDone, combos += s.combos, combosDone += s.combosDone;
      resumed += s.resumed;
    }
    const now = performance.now();
    const done = p.chunksDone === p.chunks;
    if (!done && now - lastShown < 500) return;
    lastShown = now;
    const what = sweeps.size === 1
      ? `${p.sweepId.slice(0, 12)} ${p.label.series}${p.label.fold === null ? "" : ` fold ${p.label.fold}`}`
      : `${sweeps.size} sweeps`;
    options.progress(
      `cluster ${what}: ${chunksDone}/${chunks} chunks, ${combosDone}/${combos} combos` +
        (resumed ? ` (${resumed} chunks were done before: resumed)` : ""),
      chunksDone < chunks,
    );
  };
  let closed = false;
  const close = async (): Promise<void> => {
    if (closed) return;
    closed = true;
    await Promise.allSettled(executors.map(async (e) => await (await e).close()));
    await server.close();
    redis.disconnect();
  };
  const executorFor = (series: string, folds = false): SweepExecutor => {
    const made = createClusterExecutor({
      redis,
      dataDir,
      server,
      label: { series, text: options.label ?? "" },
      folds,
      onProgress,
    });
    executors.push(made);
    return { run: async (job, accept, signal) => await (await made).run(job, accept, signal) };
  };
  const shown = redactRedisUrl(url);
  const workersSeen = async (): Promise<number> => {
    const names = new Set<string>();
    for (const e of await Promise.allSettled(executors)) {
      if (e.status !== "fulfilled") continue;
      for (const id of e.value.sweepIds) {
        if (id !== "") { for (const n of await redis.hvals(clusterKeys.storedBy(id))) names.add(n); }
      }
    }
    return names.size;
  };
  const describe = async (): Promise<string> => {
    const n = await workersSeen();
    return `cluster ${shown}, ${n} worker${n === 1 ? "" : "s"} seen`;
  };
  return {
    url: shown,
    workersSeen,
    describe,
    executorFor,
    async runBatch(ctx, plan) {
      const t0 = performance.now();
      // Every series at once: their chunks share the workers, as the local batch shares its thread pool.
      const sweeps: SweepResult[] = await Promise.all(plan.items.map((d) =>
        runSweep({
          frame: d.frame,
          strategy: plan.strategy,
          ...(Object.keys(plan.grid).length || !plan.random ? { grid: plan.grid } : {}),
          ...(plan.random ? { random: plan.random } : {}),
          options: plan.options,
          stats: plan.stats,
          metric: plan.metric,
          series: d.series,
          timeframe: d.series.timeframe,
          calendar: d.calendar,
          ...(plan.periodsPerYear !== undefined ? { periodsPerYear: plan.periodsPerYear } : {}),
          ...(plan.riskFree !== undefined ? { riskFree: plan.riskFree } : {}),
          signal: ctx.signal,
          executor: executorFor(d.label),
        })
      ));
      const first = sweeps[0];
      return {
        items: sweeps.map((sweep, i) => ({ key: plan.items[i]!.label, sweep })),
        combos: sweeps.reduce((a, s) => a + s.combos, 0),
        skipped: sweeps.reduce((a, s) => a + s.skipped.count, 0),
        elapsedMs: performance.now() - t0,
        metric: plan.metric,
        paramColumns: first?.paramColumns ?? [],
        statColumns: first?.statColumns ?? [],
        fastPath: first?.fastPath ?? false,
        workers: await workersSeen(),
        notes: [`evaluated on the ${await describe()}`],
      };
    },
    close,
    [Symbol.asyncDispose]: close,
  };
}
