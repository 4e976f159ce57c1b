import { Worker } from "bullmq";
import type { Hono } from "hono";
import { Redis } from "ioredis";
import assert from "node:assert/strict";
import { runSweep } from "../backtest/mod.ts";
import { clusterKeys, connectRedis, createClusterExecutor, startClusterWorker, SWEEP_QUEUE } from "../cluster/mod.ts";
import { Frame } from "../frame/mod.ts";
import { RunRegistry } from "../runs/mod.ts";
import { Store } from "../store/mod.ts";
import { startRedisServer } from "../testing/redis_server.ts";
import { redactRedisUrl } from "../cluster/redact_redis_url.ts";
import { createApp, JobQueue } from "./mod.ts";

const RUNNING = "a1".repeat(32);
const DONE = "b2".repeat(32);

async function withLab(redisUrl: string | undefined, fn: (app: Hono) => Promise<void>): Promise<void> {
  const dir = await Deno.makeTempDir();
  const store = await Store.open({ dir });
  const runs = await RunRegistry.open({ dir: `${dir}/_runs` });
  const jobs = new JobQueue();
  try {
    await fn(createApp({ store, runs, jobs, ...(redisUrl ? { redisUrl } : {}) }));
  } finally {
    await jobs.shutdown();
    await runs.close();
    store.close();
    await Deno.remove(dir, { recursive: true });
  }
}

/**
 * Two sweeps as a coordinator and its workers leave them (keys of lib/cluster's contract): one running, 3 of 10
 * chunks stored by two workers; one done, with a chunk re-run after a lost worker and a failure recorded.
 */
async function seedSweeps(url: string): Promise<void> {
  const redis = new Redis(url);
  const spec = (chunks: number, chunkSize: number, combos: number, label: Record<string, unknown>) =>
    JSON.stringify({
      version: 1,
      strategy: "sma_cross",
      strategyHash: "h",
      engineVersion: "e",
      plan: {},
      combos: Array.from({ length: combos }, (_, i) => ({ fast: 2 + i, slow: 50 })),
      frameHash: "f",
      bars: 1_000_000,
      dataUrl: null,
      chunkSize,
      chunks,
      label,
    });
  await redis.hset(clusterKeys.sweep(RUNNING), {
    spec: spec(10, 10, 95, { series: "samples:BTC/USD:1d", fold: null, text: "nightly" }),
    state: "running",
    created: String(Date.UTC(2026, 0, 2, 3, 4)),
    updated: String(Date.UTC(2026, 0, 2, 3, 5)),
  });
  await redis.hset(clusterKeys.storedBy(RUNNING), { "0": "host-a:11", "1": "host-b:22", "9": "host-a:11" });
  await redis.hset(clusterKeys.attempts(RUNNING), { "0": "1", "1": "1", "2": "1", "9": "1" });
  await redis.hset(clusterKeys.sweep(DONE), {
    spec: spec(2, 4, 8, { series: "samples:ETH/USD:1d", fold: 2, text: "" }),
    state: "done",
    created: String(Date.UTC(2026, 0, 1)),
    updated: String(Date.UTC(2026, 0, 1, 0, 1)),
  });
  await redis.hset(clusterKeys.storedBy(DONE), { "0": "host-a:11", "1": "host-a:11" });
  await redis.hset(clusterKeys.attempts(DONE), { "0": "2", "1": "1" });
  await redis.hset(clusterKeys.failures(DONE), { "0": "worker host-b:22 <lost> (stalled)" });
  await redis.zadd(clusterKeys.SWEEPS, Date.UTC(2026, 0, 2, 3, 4), RUNNING, Date.UTC(2026, 0, 1), DONE);
  await redis.quit();
}

Deno.test("cluster pages without Redis configured say how to set it; the nav links them", async () => {
  await withLab(undefined, async (app) => {
    const res = await app.request("/cluster");
    assert.equal(res.status, 200);
    const text = await res.text();
    assert.match(text, /href="\/cluster">Cluster<\/a>/);
    assert.match(text, /id="cluster-problem"/);
    assert.match(text, /deno task lab --redis redis:\/\/HOST:PORT/);
    assert.match(text, /SENTINEL_REDIS=redis:\/\/HOST:PORT/);
    const api = await app.request("/api/cluster");
    assert.equal(api.status, 503);
    assert.match((await api.json()).error, /no Redis configured.*--redis redis:\/\/HOST:PORT.*SENTINEL_REDIS/);
  });
});

Deno.test("cluster pages with Redis unreachable: 503 with one line, the password never shown", async () => {
  // Port 1 on loopback: nothing listens there (a port freed by a test could be taken again by a parallel one).
  const url = "redis://:hunter2-secret@127.0.0.1:1";
  assert.equal(redactRedisUrl(url), "redis://:***@127.0.0.1:1");
  await withLab(url, async (app) => {
    for (const path of ["/cluster", "/api/cluster", `/api/cluster/sweeps/${RUNNING}`, `/cluster/sweeps/${RUNNING}`]) {
      const res = await app.request(path);
      assert.equal(res.status, 503, path);
      const text = await res.text();
      assert.match(text, /unreachable.*start redis-server or fix the URL/, path);
      assert.ok(!text.includes("hunter2"), `${path} shows the password`);
    }
  });
});

Deno.test("cluster pages: sweeps with progress, connected workers, a sweep's workers and failures (real Redis)", async (t) => {
  await using redis = await startRedisServer();
  await seedSweeps(redis.url);
  // A live BullMQ worker on the sweep queue (it takes no job: none is queued).
  const worker = new Worker(SWEEP_QUEUE, () => Promise.resolve(), {
    connection: { host: "127.0.0.1", port: redis.port, maxRetriesPerRequest: null },
    name: "host-c:33",
  });
  await worker.waitUntilReady();
  try {
    await withLab(redis.url, async (app) => {
      await t.step(
        "/cluster lists sweeps (newest first), the queue and the workers; refreshes while running",
        async () => {
          const res = await app.request("/cluster");
          assert.equal(res.status, 200);
          const text = await res.text();
          assert.match(text, /<meta http-equiv="refresh" content="5">/);
          assert.ok(text.indexOf(RUNNING.slice(0, 12)) < text.indexOf(DONE.slice(0, 12)), "newest first");
          assert.match(text, new RegExp(`href="/cluster/sweeps/${RUNNING}"`));
          assert.match(text, /<td class="state-running">running<\/td>/);
          assert.match(text, /<td class="state-done">done<\/td>/);
          assert.match(text, /<progress value="3" max="10"><\/progress> 3\/10/);
          assert.match(text, /<progress value="2" max="2"><\/progress> 2\/2/);
          // Chunks 0, 1 of 10 combos and the last chunk of 5: 25 of 95.
          assert.match(text, /25 \/ 95/);
          assert.match(text, /samples:BTC\/USD:1d/);
          assert.match(text, /<td class="num">3<\/td>/); // fold 2, shown 1-based
          assert.match(text, /id="cluster-workers"/);
          assert.match(text, /<td class="mono">host-c:33<\/td>/);
          assert.match(text, /Chunk queue: waiting <b>0<\/b> · active <b>0<\/b> · failed <b>0<\/b>/);
        },
      );

      await t.step("a sweep's page: progress, retries, workers by chunks stored, failures", async () => {
        const done = await (await app.request(`/cluster/sweeps/${DONE}`)).text();
        assert.doesNotMatch(done, /http-equiv="refresh"/);
        assert.match(done, /sma_cross on samples:ETH\/USD:1d, fold 3/);
        assert.match(done, /3 \(1 chunks re-run after a lost worker\)/);
        assert.match(
          done,
          /id="cluster-sweep-workers"[\s\S]*<td class="mono">host-a:11<\/td>\s*<td class="num">2<\/td>/,
        );
        assert.match(
          done,
          /id="cluster-sweep-failures"[\s\S]*<td class="num">0<\/td>\s*<td>worker host-b:22 &lt;lost&gt;/,
        );
        const running = await (await app.request(`/cluster/sweeps/${RUNNING}`)).text();
        assert.match(running, /http-equiv="refresh"/);
        assert.match(running, /· nightly/);
        assert.match(running, /<td class="mono">host-a:11<\/td>\s*<td class="num">2<\/td>[\s\S]*host-b:22/);
        assert.match(running, /<h2>Failures<\/h2>\s*<p class="muted">None\.<\/p>/);
      });

      await t.step("JSON: the whole view and one sweep; unknown id 404, malformed 400", async () => {
        const view = await (await app.request("/api/cluster")).json();
        assert.equal(view.redis, redis.url);
        assert.deepEqual(view.sweeps.map((s: { id: string }) => s.id), [RUNNING, DONE]);
        assert.deepEqual(view.workers.map((w: { name: string }) => w.name), ["host-c:33"]);
        assert.equal(view.queue.waiting, 0);
        const one = await (await app.request(`/api/cluster/sweeps/${DONE}`)).json();
        assert.deepEqual(
          [one.state, one.chunksDone, one.combosDone, one.retried, one.workers, one.failures, one.page],
          [
            "done",
            2,
            8,
            1,
            { "host-a:11": 2 },
            [{ chunk: 0, reason: "worker host-b:22 <lost> (stalled)" }],
            `/cluster/sweeps/${DONE}`,
          ],
        );
        const unknown = await app.request(`/api/cluster/sweeps/${"c3".repeat(32)}`);
        assert.equal(unknown.status, 404);
        assert.match((await unknown.json()).error, /no cluster sweep c3c3.*see \/cluster/);
        assert.equal((await app.request(`/cluster/sweeps/${"c3".repeat(32)}`)).status, 404);
        assert.equal((await app.request("/api/cluster/sweeps/not-hex")).status, 400);
      });
    });
  } finally {
    await worker.close();
  }
});

Deno.test("cluster pages show a sweep run through lib/cluster's executor and a worker, as they ran it", async () => {
  await using redis = await startRedisServer();
  const dataDir = await Deno.makeTempDir();
  const worker = await startClusterWorker({ redis: redis.url, dataDir, name: "lab-test-worker" });
  const conn = await connectRedis(redis.url);
  try {
    const executor = await createClusterExecutor({
      redis: conn,
      dataDir,
      chunkSize: 2,
      pollMs: 5,
      label: { series: "test:SIN/USD:1h", text: "lab test" },
    });
    const close = Float64Array.from({ length: 300 }, (_, i) => 100 + 10 * Math.sin(i / 9) + i / 10);
    const frame = new Frame(Float64Array.from(close, (_, i) => i * 3_600_000), { close });
    const result = await runSweep({
      frame,
      strategy: "sma_cross",
      grid: { fast: [2, 5, 10], slow: [20, 40] },
      options: { fill: "close" },
      executor,
    });
    await executor.close();
    assert.equal(result.combos, 6);
    const [id] = executor.sweepIds;
    await withLab(redis.url, async (app) => {
      const view = await (await app.request("/api/cluster")).json();
      assert.deepEqual(view.workers.map((w: { name: string }) => w.name), ["lab-test-worker"]);
      const s = view.sweeps[0];
      assert.deepEqual(
        [s.id, s.state, s.strategy, s.label, s.chunks, s.chunksDone, s.combos, s.combosDone, s.bars, s.workers],
        [
          id,
          "done",
          "sma_cross",
          { series: "test:SIN/USD:1h", fold: null, text: "lab test" },
          3,
          3,
          6,
          6,
          300,
          { "lab-test-worker": 3 },
        ],
      );
      const text = await (await app.request("/cluster")).text();
      assert.match(text, /<progress value="3" max="3"><\/progress> 3\/3/);
      assert.match(text, /test:SIN\/USD:1h/);
      assert.doesNotMatch(text, /http-equiv="refresh"/);
      const page = await (await app.request(`/cluster/sweeps/${id}`)).text();
      assert.match(page, /<td class="mono">lab-test-worker<\/td>\s*<td class="num">3<\/td>/);
    });
  } finally {
    conn.disconnect();
    await worker.close();
    await Deno.remove(dataDir, { recursive: true });
  }
});
