import assert from "node:assert/strict";
import { hashFrame, runSweep } from "../backtest/mod.ts";
import { randomBars, startRedisServer } from "../testing/mod.ts";
import { CHUNK_ATTEMPTS, clusterKeys, connectRedis, createClusterExecutor, publishFrame } from "./mod.ts";
import { startClusterWorker } from "./start_cluster_worker.ts";
import { framePath } from "./_frame_path.ts";
import { waitFor } from "./_testing.ts";
import { testSweep } from "./testdata/sweep_input.ts";
import type { ChunkData } from "./types.ts";

const rowsOf = (r: Awaited<ReturnType<typeof runSweep>>): unknown[] => r.table.toArray().map((x) => x.toJSON());

Deno.test({
  name: "cluster worker: a transient chunk error is retried (the sweep completes); one on every attempt fails it",
  sanitizeResources: false,
  sanitizeOps: false,
  async fn() {
    const redisServer = await startRedisServer();
    const dir = await Deno.makeTempDir({ prefix: "cluster-retry-" });
    // chunk -> failing attempts; `always` fails every attempt of chunk 0.
    let failing: Record<number, number> = { 1: 1, 3: 1, 5: 2 };
    let always = false;
    const beforeStore = (c: ChunkData, attempt: number): void => {
      if ((always && c.chunk === 0) || attempt <= (failing[c.chunk] ?? 0)) {
        throw new Error(`injected: connection reset (chunk ${c.chunk}, attempt ${attempt})`);
      }
    };
    const worker = await startClusterWorker({ redis: redisServer.url, dataDir: dir, concurrency: 2, beforeStore });
    const redis = await connectRedis(redisServer.url);
    try {
      const executor = await createClusterExecutor({ redis, dataDir: dir, chunkSize: 4 });
      const input = testSweep();
      const remote = await runSweep({ ...input, executor });
      assert.deepEqual(rowsOf(remote), rowsOf(await runSweep(input)));
      const id = executor.sweepIds[0]!;
      const attempts = await redis.hgetall(clusterKeys.attempts(id));
      assert.equal(attempts["1"], "2");
      assert.equal(attempts["3"], "2");
      assert.equal(attempts["5"], "3");
      assert.equal(attempts["0"], "1");
      assert.deepEqual(await redis.hgetall(clusterKeys.failures(id)), {});
      assert.equal(await redis.hlen(clusterKeys.results(id)), Math.ceil(remote.combos / 4));

      // A chunk that fails on every attempt fails the sweep with the worker's message, after CHUNK_ATTEMPTS runs.
      failing = {};
      always = true;
      const other = { ...input, options: { fee: 0.002 } };
      await assert.rejects(
        runSweep({ ...other, executor }),
        (e: Error) => /chunk 0 failed on a worker: .*injected: connection reset \(chunk 0, attempt 3\)/.test(e.message),
      );
      const otherId = executor.sweepIds[1]!;
      assert.equal(await redis.hget(clusterKeys.attempts(otherId), "0"), String(CHUNK_ATTEMPTS));
      assert.equal(await redis.hget(clusterKeys.sweep(otherId), "state"), "failed");
      await executor.close();
    } finally {
      await worker.close();
      redis.disconnect();
      await redisServer.stop();
      await Deno.remove(dir, { recursive: true });
    }
  },
});

Deno.test({
  name: "cluster worker: an engine mismatch or a frame hash mismatch fails the sweep at the first attempt",
  sanitizeResources: false,
  sanitizeOps: false,
  async fn() {
    const redisServer = await startRedisServer();
    const dir = await Deno.makeTempDir({ prefix: "cluster-fail-fast-" });
    const redis = await connectRedis(redisServer.url);
    const errors: string[] = [];
    let worker: Awaited<ReturnType<typeof startClusterWorker>> | undefined;
    try {
      const executor = await createClusterExecutor({ redis, dataDir: dir, chunkSize: 4 });
      // Engine: the sweep's spec says another engine version (as a coordinator on other code would). No worker runs
      // until the spec is altered, so none can take a chunk of the true spec.
      const input = testSweep();
      const running = runSweep({ ...input, executor });
      running.catch(() => {});
      await waitFor("the sweep to be submitted", () => (executor.sweepIds[0] ?? "") !== "");
      const id = executor.sweepIds[0]!;
      await waitFor("the spec", async () => (await redis.hexists(clusterKeys.sweep(id), "spec")) === 1);
      const spec = JSON.parse((await redis.hget(clusterKeys.sweep(id), "spec"))!);
      await redis.hset(clusterKeys.sweep(id), "spec", JSON.stringify({ ...spec, engineVersion: "0.0.0-other" }));
      worker = await startClusterWorker({
        redis: redisServer.url,
        dataDir: dir,
        onError: (e) => errors.push(e.message),
      });
      await assert.rejects(running, (e: Error) => /the coordinator runs engine 0\.0\.0-other/.test(e.message));
      const attempts = Object.values(await redis.hgetall(clusterKeys.attempts(id)));
      assert.ok(attempts.length >= 1 && attempts.every((n) => n === "1"), `retried: ${JSON.stringify(attempts)}`);

      // Frame: the file under the frame's hash holds another frame (valid Arrow IPC, other bars).
      const frame = randomBars({ n: 1500, seed: 99 });
      const otherFrame = randomBars({ n: 1500, seed: 100 });
      const wrong = await publishFrame(await Deno.makeTempDir({ dir }), otherFrame);
      const path = framePath(dir, await hashFrame(frame));
      await Deno.mkdir(path.slice(0, path.lastIndexOf("/")), { recursive: true });
      await Deno.copyFile(wrong, path);
      await assert.rejects(
        runSweep({ ...input, frame, executor }),
        (e: Error) => /failed on a worker: .*(hash|FrameHashMismatch)/i.test(e.message),
      );
      const id2 = executor.sweepIds[1]!;
      const attempts2 = Object.values(await redis.hgetall(clusterKeys.attempts(id2)));
      assert.ok(attempts2.length >= 1 && attempts2.every((n) => n === "1"), `retried: ${JSON.stringify(attempts2)}`);
      assert.ok(!errors.some((m) => m.includes("will be retried")), errors.join("\n"));
      await executor.close();
    } finally {
      await worker?.close();
      redis.disconnect();
      await redisServer.stop();
      await Deno.remove(dir, { recursive: true });
    }
  },
});
