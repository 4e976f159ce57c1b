import assert from "node:assert/strict";
import { Queue } from "bullmq";
import { runSweep, walkForward } from "../backtest/mod.ts";
import { mulberry32, startRedisServer } from "../testing/mod.ts";
import { clusterKeys, connectRedis, createClusterExecutor, readSweepStatus, serveFrames, SWEEP_QUEUE } from "./mod.ts";
import { type Proc, spawnDeno, spawnWorker, waitFor } from "./_testing.ts";
import { testSweep } from "./testdata/sweep_input.ts";

const rowsOf = (r: Awaited<ReturnType<typeof runSweep>>): unknown[] => r.table.toArray().map((x) => x.toJSON());

async function stopAll(procs: Proc[]): Promise<void> {
  await Promise.allSettled(procs.map((p) => p.stop()));
}

Deno.test({
  name: "cluster: a sweep and a walk-forward on two worker processes equal the local run, row for row",
  sanitizeResources: false,
  sanitizeOps: false,
  async fn() {
    const redisServer = await startRedisServer();
    const shared = await Deno.makeTempDir({ prefix: "cluster-shared-" });
    const own = await Deno.makeTempDir({ prefix: "cluster-own-" });
    // One worker shares the coordinator's data dir; the other fetches the data from the coordinator and caches it.
    const procs = [spawnWorker(redisServer.url, shared), spawnWorker(redisServer.url, own, {}, ["--concurrency", "2"])];
    const redis = await connectRedis(redisServer.url);
    const server = serveFrames();
    try {
      const executor = await createClusterExecutor({ redis, dataDir: shared, server, chunkSize: 3 });
      const input = testSweep();
      const local = await runSweep(input);
      const remote = await runSweep({ ...input, executor });
      assert.deepEqual(rowsOf(remote), rowsOf(local));
      assert.deepEqual(remote.best, local.best);
      assert.equal(remote.combos, local.combos);
      assert.deepEqual(remote.skipped, local.skipped);
      const status = await readSweepStatus(redis, executor.sweepIds[0]!);
      assert.equal(status?.state, "done");
      assert.equal(status?.chunksDone, status?.chunks);
      assert.equal(status?.combosDone, local.combos);
      // Both workers took chunks (12 chunks of a few ms each; a worker that starts late may take none, so >= 1).
      assert.ok(Object.keys(status!.workers).length >= 1);

      // The fused-kernel path (fast stats, close fills) too.
      const fast = { ...input, stats: "fast" as const, options: { fill: "close" as const, fee: 0.001 } };
      const localFast = await runSweep(fast);
      assert.ok(localFast.fastPath);
      assert.deepEqual(rowsOf(await runSweep({ ...fast, executor })), rowsOf(localFast));

      // A walk-forward: each fold's in-sample sweep is its own cluster sweep.
      const wfInput = {
        frame: input.frame,
        strategy: "sma_cross",
        grid: { fast: [2, 4, 6, 8], slow: [10, 20, 30] },
        options: { fee: 0.001 },
        train: 1000,
        test: 500,
        folds: 3,
        workers: 0,
      };
      const wfExecutor = await createClusterExecutor({ redis, dataDir: shared, server, chunkSize: 2, folds: true });
      const wfLocal = await walkForward(wfInput);
      const wfRemote = await walkForward({ ...wfInput, executor: wfExecutor });
      assert.equal(wfExecutor.sweepIds.length, 3);
      assert.deepEqual(wfRemote.folds, wfLocal.folds);
      assert.deepEqual(wfRemote.stats, wfLocal.stats);
      assert.deepEqual(wfRemote.equity, wfLocal.equity);
      assert.equal((await readSweepStatus(redis, wfExecutor.sweepIds[2]!))?.label.fold, 2);
      await executor.close();
      await wfExecutor.close();
      // The worker without the shared dir cached the frame it fetched.
      const cached = [...Deno.readDirSync(`${own}/_cluster/frames`)].map((e) => e.name);
      assert.ok(cached.length >= 1, `nothing cached in ${own}`);
    } finally {
      await stopAll(procs);
      await server.close();
      redis.disconnect();
      await redisServer.stop();
      await Deno.remove(shared, { recursive: true });
      await Deno.remove(own, { recursive: true });
    }
    for (const p of procs) assert.equal((await p.status).code, 0, p.stderr());
  },
});

Deno.test({
  name: "cluster: a worker SIGKILLed mid-chunk has its chunk re-run elsewhere; every row is stored once",
  sanitizeResources: false,
  sanitizeOps: false,
  async fn() {
    const redisServer = await startRedisServer();
    const dir = await Deno.makeTempDir({ prefix: "cluster-kill-" });
    // Each chunk waits before its batch, so the kill lands inside one.
    const slow = { SENTINEL_CLUSTER_BATCH_DELAY_MS: "400" };
    const first = spawnWorker(redisServer.url, dir, slow);
    const procs: Proc[] = [first];
    const redis = await connectRedis(redisServer.url);
    try {
      const executor = await createClusterExecutor({ redis, dataDir: dir, chunkSize: 4 });
      const input = testSweep();
      const local = await runSweep(input);
      const running = runSweep({ ...input, executor });
      running.catch(() => {});
      await waitFor("the sweep to be submitted", () => (executor.sweepIds[0] ?? "") !== "");
      const id = executor.sweepIds[0]!;
      // The first worker has stored a chunk and started its second: kill it there.
      await waitFor("a stored chunk", async () => (await redis.hlen(clusterKeys.results(id))) >= 1);
      await waitFor("a second chunk started", async () => (await redis.hlen(clusterKeys.attempts(id))) >= 2);
      first.kill();
      assert.notEqual((await first.status).success, true);
      procs.push(spawnWorker(redisServer.url, dir), spawnWorker(redisServer.url, dir));
      const remote = await running;
      assert.deepEqual(rowsOf(remote), rowsOf(local));
      assert.deepEqual(remote.best, local.best);
      const status = (await readSweepStatus(redis, id))!;
      assert.equal(await redis.hlen(clusterKeys.results(id)), status.chunks);
      assert.equal(status.chunksDone, status.chunks);
      assert.ok(status.retried >= 1, `no chunk was re-run: ${JSON.stringify(status)}`);
      await executor.close();
    } finally {
      await stopAll(procs);
      redis.disconnect();
      await redisServer.stop();
      await Deno.remove(dir, { recursive: true });
    }
  },
});

Deno.test({
  name: "cluster: a coordinator SIGKILLed mid-sweep and started again resumes; no finished chunk is redone",
  sanitizeResources: false,
  sanitizeOps: false,
  async fn() {
    const redisServer = await startRedisServer();
    const dir = await Deno.makeTempDir({ prefix: "cluster-restart-" });
    const out = `${dir}/out.json`;
    const procs: Proc[] = [spawnWorker(redisServer.url, dir, { SENTINEL_CLUSTER_BATCH_DELAY_MS: "150" })];
    const redis = await connectRedis(redisServer.url);
    try {
      const coordinator = spawnDeno("lib/cluster/testdata/coordinator.ts", [redisServer.url, dir, out]);
      procs.push(coordinator);
      const id = await (async () => {
        let found = "";
        await waitFor(
          "the sweep in redis",
          async () => (found = (await redis.zrange(clusterKeys.SWEEPS, 0, 0))[0] ?? "") !== "",
        );
        return found;
      })();
      await waitFor("two chunks stored", async () => (await redis.hlen(clusterKeys.results(id))) >= 2);
      coordinator.kill();
      await coordinator.status;
      const doneAtKill = await redis.hlen(clusterKeys.results(id));
      const again = spawnDeno("lib/cluster/testdata/coordinator.ts", [redisServer.url, dir, out]);
      procs.push(again);
      assert.equal((await again.status).code, 0, again.stderr());
      const result = JSON.parse(await Deno.readTextFile(out));
      assert.deepEqual(result.ids, [id]);
      assert.ok(result.resumed >= doneAtKill, `resumed ${result.resumed} < ${doneAtKill} stored before the kill`);
      const local = await runSweep(testSweep());
      assert.deepEqual(result.rows, JSON.parse(JSON.stringify(rowsOf(local))));
      assert.deepEqual(result.best, JSON.parse(JSON.stringify(local.best)));
      const attempts = await redis.hgetall(clusterKeys.attempts(id));
      const status = (await readSweepStatus(redis, id))!;
      assert.equal(Object.keys(attempts).length, status.chunks);
      assert.ok(Object.values(attempts).every((n) => n === "1"), `a chunk ran twice: ${JSON.stringify(attempts)}`);
      assert.equal(status.state, "done");
    } finally {
      await stopAll(procs);
      redis.disconnect();
      await redisServer.stop();
      await Deno.remove(dir, { recursive: true });
    }
  },
});

Deno.test({
  name: "cluster: cancelling a sweep removes its queued chunks and stops the running one; resubmitting resumes",
  sanitizeResources: false,
  sanitizeOps: false,
  async fn() {
    const redisServer = await startRedisServer();
    const dir = await Deno.makeTempDir({ prefix: "cluster-cancel-" });
    const procs: Proc[] = [spawnWorker(redisServer.url, dir, { SENTINEL_CLUSTER_BATCH_DELAY_MS: "300" })];
    const redis = await connectRedis(redisServer.url);
    const queue = new Queue(SWEEP_QUEUE, { connection: redis });
    try {
      const executor = await createClusterExecutor({ redis, dataDir: dir, chunkSize: 2 });
      const input = testSweep();
      const abort = new AbortController();
      const running = runSweep({ ...input, executor, signal: abort.signal });
      running.catch(() => {});
      await waitFor("the sweep to be submitted", () => (executor.sweepIds[0] ?? "") !== "");
      const id = executor.sweepIds[0]!;
      await waitFor("a stored chunk", async () => (await redis.hlen(clusterKeys.results(id))) >= 1);
      abort.abort(new DOMException("stop", "AbortError"));
      await assert.rejects(running, (e: Error) => e.name === "AbortError");
      const status = (await readSweepStatus(redis, id))!;
      assert.equal(status.state, "cancelled");
      assert.equal(await queue.getWaitingCount(), 0);
      // The chunk that was running stops at its next batch, as cancelled, and nothing else starts.
      await waitFor("no active chunk", async () => (await queue.getActiveCount()) === 0);
      const stored = await redis.hlen(clusterKeys.results(id));
      assert.ok(stored < status.chunks);
      const failures = await redis.hgetall(clusterKeys.failures(id));
      assert.ok(Object.values(failures).every((r) => r.endsWith("cancelled")), JSON.stringify(failures));
      // Submitted again, the sweep picks up the stored rows and finishes.
      const again = await runSweep({ ...input, executor });
      assert.deepEqual(rowsOf(again), rowsOf(await runSweep(input)));
      assert.equal((await readSweepStatus(redis, id))!.state, "done");
      await executor.close();
    } finally {
      await queue.close();
      await stopAll(procs);
      redis.disconnect();
      await redisServer.stop();
      await Deno.remove(dir, { recursive: true });
    }
  },
});

// A fresh seed each run (set SENTINEL_CLUSTER_KILL_SEED to replay one): the kills land at other moments every time.
const KILL_SEED = Number(Deno.env.get("SENTINEL_CLUSTER_KILL_SEED") ?? Math.floor(Math.random() * 2 ** 31));
const KILL_ROUNDS = 6;

Deno.test({
  name:
    `cluster: ${KILL_ROUNDS} rounds of a worker and the coordinator SIGKILLed at random moments (seed ${KILL_SEED}); ` +
    "every chunk stored once, the table equals the local run",
  sanitizeResources: false,
  sanitizeOps: false,
  async fn() {
    const rand = mulberry32(KILL_SEED);
    const redisServer = await startRedisServer();
    const dir = await Deno.makeTempDir({ prefix: "cluster-chaos-" });
    // Each chunk (one combination, one batch) waits a little, so a sweep of 32 chunks lasts a second or two.
    const slow = { SENTINEL_CLUSTER_BATCH_DELAY_MS: "100" };
    const workers: Proc[] = [spawnWorker(redisServer.url, dir, slow), spawnWorker(redisServer.url, dir, slow)];
    const procs: Proc[] = [...workers];
    const redis = await connectRedis(redisServer.url);
    const log: string[] = [];
    try {
      for (let round = 0; round < KILL_ROUNDS; round++) {
        // Another data seed each round: another sweep id, so no round finds an earlier one's rows.
        const args = [redisServer.url, dir, `${dir}/out-${round}.json`, String(100 + round), "1", "2000"];
        let coordinator = spawnDeno("lib/cluster/testdata/coordinator.ts", args);
        procs.push(coordinator);
        // The moments count from the sweep's submission (a process start takes a second or more here), so most land
        // while chunks run: a sweep lasts about 2 s.
        await waitFor("the round's sweep in redis", async () => (await redis.zcard(clusterKeys.SWEEPS)) > round);
        const t0 = Date.now();
        const id = (await redis.zrange(clusterKeys.SWEEPS, -1, -1))[0]!;
        const events = [
          { at: Math.floor(rand() * 2000), what: "worker" as const },
          { at: Math.floor(rand() * 2000), what: "coordinator" as const },
        ].sort((a, b) => a.at - b.at);
        const victim = Math.floor(rand() * workers.length);
        for (const e of events) {
          await new Promise((r) => setTimeout(r, Math.max(0, t0 + e.at - Date.now())));
          if (e.what === "worker") {
            workers[victim]!.kill();
            await workers[victim]!.status;
            workers[victim] = spawnWorker(redisServer.url, dir, slow);
            procs.push(workers[victim]!);
          } else {
            coordinator.kill();
            await coordinator.status;
            coordinator = spawnDeno("lib/cluster/testdata/coordinator.ts", args);
            procs.push(coordinator);
          }
          const stored = await redis.hlen(clusterKeys.results(id));
          log.push(`round ${round}: ${e.what} killed at ${e.at} ms (${stored} chunks stored by then)`);
        }
        const finished = coordinator;
        const timeout = setTimeout(() => finished.kill(), 90_000);
        const code = (await finished.status).code;
        clearTimeout(timeout);
        assert.equal(code, 0, `${log.join("; ")}\n${finished.stderr()}`);

        const result = JSON.parse(await Deno.readTextFile(args[2]!));
        const local = await runSweep(testSweep(2000, 100 + round));
        assert.deepEqual(result.rows, JSON.parse(JSON.stringify(rowsOf(local))), log.join("; "));
        const keys = result.rows.map((r: Record<string, unknown>) => `${r.fast}/${r.slow}`);
        assert.equal(new Set(keys).size, keys.length, "a combination twice in the table");
        assert.deepEqual(result.ids, [id]);
        const status = (await readSweepStatus(redis, id))!;
        assert.equal(status.state, "done");
        assert.equal(status.chunks, local.combos);
        // Exactly once: one stored row set and one storer per chunk; the done list names every chunk (a re-run may
        // name one twice, and the coordinator accepts it once).
        assert.equal(await redis.hlen(clusterKeys.results(id)), status.chunks);
        assert.equal(await redis.hlen(clusterKeys.storedBy(id)), status.chunks);
        const done = new Set((await redis.lrange(clusterKeys.done(id), 0, -1)).map(Number));
        assert.deepEqual([...done].sort((a, b) => a - b), Array.from({ length: status.chunks }, (_, i) => i));
        assert.deepEqual(await redis.hgetall(clusterKeys.failures(id)), {}, log.join("; "));
        log.push(`round ${round}: retried ${status.retried}`);
      }
      if (Deno.env.get("SENTINEL_CLUSTER_KILL_LOG")) console.error(log.join("\n"));
    } catch (e) {
      throw new Error(`seed ${KILL_SEED} (replay: SENTINEL_CLUSTER_KILL_SEED=${KILL_SEED}): ${log.join("; ")}`, {
        cause: e,
      });
    } finally {
      await stopAll(procs);
      redis.disconnect();
      await redisServer.stop();
      await Deno.remove(dir, { recursive: true });
    }
  },
});

Deno.test("cluster: a worker with Redis unreachable prints one line and exits 2", async () => {
  const p = spawnDeno("cli/worker.ts", ["--redis", "redis://127.0.0.1:1"]);
  const s = await p.status;
  assert.equal(s.code, 2);
  const lines = p.stderr().trim().split("\n");
  assert.equal(lines.length, 1, p.stderr());
  assert.match(
    lines[0]!,
    /^error: redis at redis:\/\/127\.0\.0\.1:1 is unreachable .*start redis-server or fix the URL$/,
  );
});
