/**
 * Cluster overhead (issue 13): a real redis-server, 1 and then 2 `deno task worker` processes (cli/worker.ts) sharing
 * a data dir with the coordinator, and the coordinator's executor (lib/cluster createClusterExecutor) under runSweep,
 * all on this machine. Measures
 *
 * - per-chunk overhead: SMA-X-990 on 1,000 bars cut into 990 one-combination chunks (the work is microseconds, so
 *   what is left is BullMQ, Redis and the worker's bookkeeping): the worker's time per chunk and the gap before it
 *   takes the next one (BullMQ's job timestamps), and the coordinator's wall time per chunk;
 * - worker throughput: SMA-X-990 on BENCH_BARS (1,000,000) bars in chunks of BENCH_CHUNK (33) combinations, against
 *   the same sweep run locally (runSweep, 1 and 2 threads); the cluster's rows are checked to equal the local ones;
 *
 * and prints, from those figures, a projection (an estimate, stated as such) of a 100-symbol x 10,000-combination x
 * 1M-bar sweep on 8 and 64 machines of this class, and the chunk size that keeps the overhead under 5 %.
 *
 *   ./denow run -A bench/cluster_bench.ts
 *
 * Env: BENCH_BARS (default 1,000,000), BENCH_CHUNK (default 33), BENCH_REPEAT (runs per cell, best kept; default 2).
 * Needs redis-server on PATH (lib/testing/redis_server.ts). Not a Deno.bench file: the worker processes and the
 * timestamps BullMQ records are the measurement. Other load on the machine shows up in the figures: the load
 * average is printed at the start and the end.
 * @module
 */
import { type Job, Queue } from "bullmq";
import { Redis } from "ioredis";
import { runSweep, type SweepResult } from "../lib/backtest/mod.ts";
import { connectRedis, createClusterExecutor, SWEEP_QUEUE } from "../lib/cluster/mod.ts";
import type { ChunkData, ChunkReturn } from "../lib/cluster/mod.ts";
import type { Frame } from "../lib/frame/mod.ts";
import { startRedisServer } from "../lib/testing/redis_server.ts";
import { SMA_X_990_GRID, SMA_X_990_OPTIONS, syntheticFrame } from "./_fixtures/sma_x_990.ts";

const BARS = Number(Deno.env.get("BENCH_BARS") ?? 1_000_000);
const CHUNK = Number(Deno.env.get("BENCH_CHUNK") ?? 33);
const REPEAT = Number(Deno.env.get("BENCH_REPEAT") ?? 2);
const COMBOS = 990;

interface Workers {
  stop(): Promise<void>;
}

async function startWorkers(url: string, dataDir: string, n: number): Promise<Workers> {
  // `deno task worker`, with the task's permissions.
  const cli = new URL("../cli/worker.ts", import.meta.url).pathname;
  const perms = ["--allow-read", "--allow-write", "--allow-env", "--allow-ffi", "--allow-sys", "--allow-net"];
  const children = Array.from({ length: n }, () =>
    new Deno.Command(Deno.execPath(), {
      args: ["run", ...perms, cli, "--redis", url, "--data-dir", dataDir],
      stdout: "null",
      // The worker logs a line per chunk (thousands here); its failures surface as a sweep that fails or hangs.
      stderr: "null",
    }).spawn());
  const conn = new Redis(url, { maxRetriesPerRequest: null });
  const queue = new Queue(SWEEP_QUEUE, { connection: conn });
  try {
    const deadline = Date.now() + 30_000;
    while ((await queue.getWorkers()).length < n) {
      if (Date.now() > deadline) {
        throw new Error(`${n} worker processes did not connect within 30 s: try \`deno task worker --redis ${url}\``);
      }
      await new Promise((r) => setTimeout(r, 50));
    }
  } finally {
    await queue.close();
    conn.disconnect();
  }
  return {
    async stop() {
      for (const c of children) c.kill("SIGTERM");
      await Promise.all(children.map((c) => c.status));
    },
  };
}

interface ClusterRun {
  wallMs: number;
  chunks: number;
  /** Per job: worker name, ms from start to finish on the worker, start and finish epoch ms. */
  jobs: { by: string; procMs: number; start: number; end: number; chunk: number }[];
  result: SweepResult;
}

async function clusterSweep(url: string, dataDir: string, frame: Frame, chunkSize: number): Promise<ClusterRun> {
  const redis = await connectRedis(url);
  // Every run starts from an empty Redis: the same sweep twice would otherwise resume (finished chunks are reused).
  await redis.flushall();
  const executor = await createClusterExecutor({ redis, dataDir, chunkSize, pollMs: 5 });
  const t0 = performance.now();
  const result = await runSweep({
    frame,
    strategy: "sma_cross",
    grid: SMA_X_990_GRID,
    options: SMA_X_990_OPTIONS,
    executor,
    timeframe: "1m",
  });
  const wallMs = performance.now() - t0;
  await executor.close();
  const queue = new Queue<ChunkData, ChunkReturn>(SWEEP_QUEUE, { connection: redis });
  const done: Job<ChunkData, ChunkReturn>[] = await queue.getJobs(["completed"], 0, -1);
  await queue.close();
  redis.disconnect();
  const jobs = done.map((j) => ({
    by: j.processedBy ?? j.returnvalue?.storedBy ?? "?",
    procMs: j.finishedOn! - j.processedOn!,
    start: j.processedOn!,
    end: j.finishedOn!,
    chunk: j.data.chunk,
  }));
  return { wallMs, chunks: done.length, jobs, result };
}

function quantile(xs: number[], q: number): number {
  if (xs.length === 0) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(q * s.length))]!;
}

/** Idle time of a worker between finishing one chunk and starting the next (BullMQ's fetch of the next job). */
function gaps(jobs: ClusterRun["jobs"]): number[] {
  const byWorker = new Map<string, ClusterRun["jobs"]>();
  for (const j of jobs) byWorker.set(j.by, [...(byWorker.get(j.by) ?? []), j]);
  const out: number[] = [];
  for (const list of byWorker.values()) {
    list.sort((a, b) => a.start - b.start);
    for (let i = 1; i < list.length; i++) out.push(list[i]!.start - list[i - 1]!.end);
  }
  return out;
}

/** Each worker's first chunk of the sweep (it loads the data and computes indicators), and the other chunks. */
function splitFirst(jobs: ClusterRun["jobs"]): { firsts: ClusterRun["jobs"]; steady: ClusterRun["jobs"] } {
  const seen = new Set<string>(), firsts: ClusterRun["jobs"] = [], steady: ClusterRun["jobs"] = [];
  for (const j of [...jobs].sort((a, b) => a.start - b.start)) {
    if (seen.has(j.by)) steady.push(j);
    else {
      seen.add(j.by);
      firsts.push(j);
    }
  }
  return { firsts, steady };
}

function sameRows(a: SweepResult, b: SweepResult): boolean {
  const x = a.table.toArray().map((r) => JSON.stringify(r.toJSON()));
  const y = b.table.toArray().map((r) => JSON.stringify(r.toJSON()));
  return x.length === y.length && x.every((v, i) => v === y[i]);
}

function best<T extends { wallMs: number }>(runs: T[]): T {
  return runs.reduce((a, b) => (b.wallMs < a.wallMs ? b : a));
}

function loadavg(): string {
  return Deno.readTextFileSync("/proc/loadavg").split(" ").slice(0, 3).join(" ");
}

const f1 = (x: number): string => x.toFixed(1);
const f2 = (x: number): string => x.toFixed(2);

async function main(): Promise<void> {
  console.log(
    `cluster_bench: ${navigator.hardwareConcurrency} cores, load average ${loadavg()} at start; ` +
      `SMA-X-990 (990 combos); throughput on ${BARS.toLocaleString("en-US")} bars in chunks of ${CHUNK}; ` +
      `best of ${REPEAT}`,
  );
  await using redis = await startRedisServer();
  const dataDir = await Deno.makeTempDir({ prefix: "cluster_bench_" });
  const tiny = syntheticFrame(1_000);
  const big = syntheticFrame(BARS);
  const cells = BARS * COMBOS;

  // Local references: the same sweep in this process (1 thread) and on 2 worker threads.
  const local: Record<number, { wallMs: number; result: SweepResult }> = {};
  for (const workers of [0, 2]) {
    const runs = [];
    for (let i = 0; i < REPEAT; i++) {
      const t0 = performance.now();
      const result = await runSweep({
        frame: big,
        strategy: "sma_cross",
        grid: SMA_X_990_GRID,
        options: SMA_X_990_OPTIONS,
        workers,
        timeframe: "1m",
      });
      runs.push({ wallMs: performance.now() - t0, result });
    }
    local[workers] = best(runs);
  }

  const figures: Record<
    number,
    { overhead: ClusterRun; throughput: ClusterRun; throughputRuns: ClusterRun[]; roundTrips: number[] }
  > = {};
  try {
    for (const n of [1, 2]) {
      const workers = await startWorkers(redis.url, dataDir, n);
      try {
        const overheadRuns: ClusterRun[] = [], throughputRuns: ClusterRun[] = [];
        for (let i = 0; i < REPEAT; i++) overheadRuns.push(await clusterSweep(redis.url, dataDir, tiny, 1));
        for (let i = 0; i < REPEAT; i++) throughputRuns.push(await clusterSweep(redis.url, dataDir, big, CHUNK));
        const roundTrips: number[] = [];
        for (let i = 0; i < 5 * REPEAT; i++) {
          roundTrips.push((await clusterSweep(redis.url, dataDir, tiny, COMBOS)).wallMs);
        }
        const overhead = best(overheadRuns), throughput = best(throughputRuns);
        if (!throughputRuns.every((r) => sameRows(r.result, local[0]!.result))) {
          throw new Error(`the cluster's rows with ${n} workers differ from the local run's`);
        }
        figures[n] = { overhead, throughput, throughputRuns, roundTrips };
      } finally {
        await workers.stop();
      }
    }
  } finally {
    await Deno.remove(dataDir, { recursive: true });
  }

  // Latency of one chunk: a sweep of a single chunk, submitted, run, collected.
  console.log(
    "\nPer-chunk latency: a new sweep of one chunk (990 combinations on 1,000 bars, about 2 ms of work) from " +
      "runSweep's call to its result: data published and hashed, spec stored, job added, taken by an idle worker " +
      "(which loads the spec and the data by hash), rows stored, collected (the coordinator polls every 5 ms)",
  );
  console.log("| workers | p50 | best | worst |");
  console.log("|---|---|---|---|");
  for (const n of [1, 2]) {
    const r = figures[n]!.roundTrips;
    console.log(`| ${n} | ${f1(quantile(r, 0.5))} ms | ${f1(Math.min(...r))} ms | ${f1(Math.max(...r))} ms |`);
  }

  // Per-chunk overhead (990 chunks of ~no work).
  console.log("\nPer-chunk overhead: SMA-X-990 on 1,000 bars, 990 chunks of 1 combination (the work is ~µs)");
  console.log(
    "| workers | wall | chunks/s | coordinator wall per chunk x workers | worker time per chunk p50 / p99 | " +
      "gap to next chunk p50 / p99 |",
  );
  console.log("|---|---|---|---|---|---|");
  for (const n of [1, 2]) {
    const o = figures[n]!.overhead;
    const proc = o.jobs.map((j) => j.procMs), gap = gaps(o.jobs);
    console.log(
      `| ${n} | ${f2(o.wallMs / 1000)} s | ${(o.chunks / (o.wallMs / 1000)).toFixed(0)} | ` +
        `${f2((o.wallMs * n) / o.chunks)} ms | ${f2(quantile(proc, 0.5))} / ${f2(quantile(proc, 0.99))} ms | ` +
        `${f2(quantile(gap, 0.5))} / ${f2(quantile(gap, 0.99))} ms |`,
    );
  }

  // Throughput.
  const tp = (ms: number): string => `${f2(ms / 1000)} s, ${f2((ms * 1e6) / cells)} ns`;
  console.log(
    `\nThroughput: SMA-X-990 on ${BARS.toLocaleString("en-US")} bars (${(cells / 1e6).toFixed(0)}M bar x combo), ` +
      `chunks of ${CHUNK} (${Math.ceil(COMBOS / CHUNK)} chunks); wall and ns per (bar x combo) of the whole run; ` +
      "cluster rows equal the local run's, row for row",
  );
  console.log("| run | wall, ns per (bar x combo) | ns per (bar x combo) x processes | first chunk per worker |");
  console.log("|---|---|---|---|");
  console.log(`| local runSweep, 1 thread | ${tp(local[0]!.wallMs)} | ${f2((local[0]!.wallMs * 1e6) / cells)} | – |`);
  console.log(`| local runSweep, 2 threads | ${tp(local[2]!.wallMs)} | ${f2((local[2]!.wallMs * 2e6) / cells)} | – |`);
  const firstChunk: Record<number, number> = {}, steadyChunk: Record<number, number> = {};
  // Set-up of a series on a worker (its first chunk less a steady one), per worker and run: the median is used.
  const setups: number[] = [];
  for (const n of [1, 2]) {
    const t = figures[n]!.throughput;
    const { firsts, steady } = splitFirst(t.jobs);
    firstChunk[n] = Math.max(...firsts.map((j) => j.procMs));
    steadyChunk[n] = quantile(steady.map((j) => j.procMs), 0.5);
    for (const run of figures[n]!.throughputRuns) {
      const r = splitFirst(run.jobs), s = quantile(r.steady.map((j) => j.procMs), 0.5);
      for (const j of r.firsts) setups.push(Math.max(0, j.procMs - s));
    }
    console.log(
      `| cluster, ${n} worker process${n > 1 ? "es" : ""} | ${tp(t.wallMs)} | ${f2((t.wallMs * n * 1e6) / cells)} | ` +
        `${f1(firstChunk[n]!)} ms (others p50 ${f1(steadyChunk[n]!)} ms) |`,
    );
  }

  // Projection from the measured figures.
  const symbols = 100, combos = 10_000, bars = 1_000_000;
  const work = symbols * combos * bars;
  // Per process, 2 processes sharing a machine, steady chunks (no set-up): ns per (bar x combo).
  const procNs = (steadyChunk[2]! * 1e6) / (CHUNK * BARS);
  // Everything a chunk costs besides its work, as the 1-worker run of 990 empty chunks shows it end to end.
  const perChunkMs = figures[1]!.overhead.wallMs / figures[1]!.overhead.chunks;
  const setupMs = quantile(setups, 0.5); // per series per worker: data load + indicators
  // o / (c * bars * procNs) <= 5 %  <=>  c >= 20 * o / (bars * procNs).
  const chunk = Math.max(1, Math.ceil((20 * perChunkMs * 1e6) / (bars * procNs)));
  console.log(
    "\nProjection (an estimate computed from the figures above, not a measurement): " +
      `${symbols} symbols x ${combos.toLocaleString("en-US")} combinations x ${bars.toLocaleString("en-US")} bars ` +
      `= ${(work / 1e12).toFixed(0)}e12 bar x combo, on machines of this class (2 cores, 2 worker processes each)`,
  );
  console.log(
    `- inputs: ${f2(procNs)} ns per (bar x combo) per worker process (steady chunks, 2 processes per machine); ` +
      `${f2(perChunkMs)} ms per chunk besides its work (1 worker, 990 empty chunks, end to end); ` +
      `${f1(setupMs)} ms per series and worker (its first chunk less a steady one, median over workers and runs: ` +
      `data by hash + indicators on ` +
      `${BARS.toLocaleString("en-US")} bars; it grows with the bars and the grid's distinct indicator windows)`,
  );
  console.log(
    `- chunk size for overhead under 5 %: at least ${chunk} combinations of 1M bars, i.e. at least ` +
      `${f1(20 * perChunkMs)} ms of work per chunk (${f2(perChunkMs)} ms of overhead against ` +
      `${f1((bars * procNs) / 1e6)} ms of work per combination); lib/cluster's default chunk aims at 0.2-0.5 s`,
  );
  console.log("| machines | worker processes | compute | chunk overhead | series set-up (bound) | total | chunks/s |");
  console.log("|---|---|---|---|---|---|---|");
  for (const machines of [8, 64]) {
    const procs = machines * 2;
    const computeS = (work * procNs) / 1e9 / procs;
    const chunks = symbols * Math.ceil(combos / chunk);
    const overheadS = (chunks * perChunkMs) / 1000 / procs;
    // Chunks go out series by series, so a worker may meet every series once: a bound, not divided by machines.
    const setupS = (symbols * setupMs) / 1000;
    const total = computeS + overheadS + setupS;
    console.log(
      `| ${machines} | ${procs} | ${f1(computeS)} s | ${f1(overheadS)} s (${chunks.toLocaleString("en-US")} chunks ` +
        `of ${chunk}) | ${f1(setupS)} s | ${f1(total)} s (${f1(total / 60)} min) | ${(chunks / total).toFixed(1)} |`,
    );
  }
  console.log(
    "Redis and BullMQ carried 1,600-4,900 no-op jobs/s (TOOLCHAIN-2 §1): these chunk rates are far below that. " +
      "Not counted: copying 100 series to the machines (each fetches a series once, by hash) and the coordinator's " +
      "own work (validation, best pick), which a local run has too.",
  );
  console.log(`load average at the end: ${loadavg()}`);
}

if (import.meta.main) await main();
