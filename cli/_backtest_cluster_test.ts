import assert from "node:assert/strict";
import { join } from "node:path";
import { startRedisServer } from "../lib/testing/mod.ts";
import { type Proc, spawnDeno, spawnWorker } from "../lib/cluster/_testing.ts";

const ETH = "data/samples/ETH_BTC-5m.csv", LTC = "data/samples/LTC_BTC-5m.csv";

async function backtest(
  args: string[],
  env: Record<string, string>,
): Promise<{ code: number; stderr: string; stdout: string }> {
  const p = spawnDeno("cli/backtest.ts", args, env);
  const s = await p.status;
  return { code: s.code, stderr: p.stderr(), stdout: p.stdout() };
}

/** The output files that must not depend on where the sweep ran (timings and worker counts aside). */
async function outputs(dir: string): Promise<Record<string, unknown>> {
  const files: Record<string, unknown> = {};
  for (const e of Deno.readDirSync(dir)) {
    if (e.name.endsWith(".csv") || e.name.endsWith(".svg")) files[e.name] = await Deno.readTextFile(join(dir, e.name));
    if (e.name === "sweep.json" || e.name === "walk_forward.json") {
      const j = JSON.parse(await Deno.readTextFile(join(dir, e.name)));
      for (const k of ["run_id", "elapsed_ms", "workers", "cluster", "notes", "created_at"]) delete j[k];
      files[e.name] = j;
    }
  }
  return files;
}

Deno.test({
  name: "backtest --cluster: a sweep, a batch and a walk-forward write the local run's files; unreachable is exit 2",
  sanitizeResources: false,
  sanitizeOps: false,
  async fn() {
    const redis = await startRedisServer();
    const dir = await Deno.makeTempDir({ prefix: "backtest-cluster-" });
    const env = { SENTINEL_DATA_DIR: join(dir, "store") };
    const procs: Proc[] = [spawnWorker(redis.url, env.SENTINEL_DATA_DIR), spawnWorker(redis.url, join(dir, "other"))];
    try {
      const cases: [string, string[]][] = [
        ["sweep", ["--data", ETH, "--grid", "fast=2..20:3", "--grid", "slow=10..60:10"]],
        ["batch", ["--data", ETH, "--data", LTC, "--grid", "fast=2..10:4", "--grid", "slow=20,40"]],
        [
          "wf",
          [
            "--data",
            ETH,
            "--grid",
            "fast=2..10:4",
            "--grid",
            "slow=20,40",
            "--walk-forward",
            "folds=3,train=2000,test=1000",
          ],
        ],
      ];
      for (const [name, args] of cases) {
        const common = ["--strategy", "sma_cross", "--fee", "0.001", ...args];
        const local = await backtest([...common, "--workers", "0", "--out", join(dir, `${name}-local`)], env);
        assert.equal(local.code, 0, local.stderr);
        const remote = await backtest([...common, "--cluster", redis.url, "--out", join(dir, `${name}-cluster`)], env);
        assert.equal(remote.code, 0, remote.stderr);
        assert.match(remote.stderr, /^cluster ([0-9a-f]{12} \S+( fold \d+)?|\d+ sweeps): (\d+)\/\3 chunks, /m);
        if (name === "sweep") {
          // Where it ran, not "(1 thread)"; sweep.json says so too.
          const port = new URL(redis.url).port;
          assert.match(remote.stdout, new RegExp(`\\(cluster redis://127\\.0\\.0\\.1:${port}, [12] workers? seen\\)`));
          const json = JSON.parse(await Deno.readTextFile(join(dir, "sweep-cluster", "sweep.json")));
          assert.equal(json.cluster, redis.url);
          assert.ok(json.workers === 1 || json.workers === 2, `workers ${json.workers}`);
        }
        const a = await outputs(join(dir, `${name}-local`)), b = await outputs(join(dir, `${name}-cluster`));
        assert.ok(Object.keys(a).length >= 2, name);
        assert.deepEqual(b, a, name);
      }
      const bad = await backtest([
        ...["--data", ETH, "--strategy", "sma_cross", "--grid", "fast=2,3"],
        "--cluster",
        "redis://:s3cret@127.0.0.1:1",
      ], env);
      assert.equal(bad.code, 2);
      assert.equal(bad.stderr.trim().split("\n").length, 1, bad.stderr);
      // The password is not printed.
      assert.match(bad.stderr, /^error: --cluster: redis at redis:\/\/:\*\*\*@127\.0\.0\.1:1 is unreachable/);
    } finally {
      await Promise.allSettled(procs.map((p) => p.stop()));
      await redis.stop();
      await Deno.remove(dir, { recursive: true });
    }
  },
});
