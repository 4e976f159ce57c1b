// The web lab: result page render time, 50 concurrent backtests over loopback, and time to the first page
// of `deno task lab`. Run: ./denow bench -A bench/http_bench.ts
import { importCsv } from "../lib/data/mod.ts";
import { createApp, JobQueue } from "../lib/http/mod.ts";
import { RunRegistry } from "../lib/runs/mod.ts";
import { Store } from "../lib/store/mod.ts";

const SAMPLES = new URL("../data/samples/", import.meta.url);
const dir = await Deno.makeTempDir({ prefix: "sentinel-http-bench-" });
const store = await Store.open({ dir });
await importCsv({
  path: new URL("SP500-2000.csv", SAMPLES),
  id: { exchange: "samples", symbol: "SPX", timeframe: "1d" },
  sink: store,
  calendar: "weekdays",
});
const runs = await RunRegistry.open({ dir: `${dir}/_runs` });
const jobs = new JobQueue({ concurrency: 2, maxPending: 64 });
const app = createApp({ store, runs, jobs });
// The same lab without the run cache: every view reloads the run from the registry and re-renders every figure.
const coldApp = createApp({ store, runs, jobs, runCacheSize: 0 });

const body = JSON.stringify({
  series: "samples:SPX:1d",
  strategy: "sma_cross",
  params: { fast: 10, slow: 50 },
  options: { fee: 0.001 },
});
const post = await app.request("/api/backtests", {
  method: "POST",
  headers: { "Content-Type": "application/json" },
  body,
});
const { run_id: runId, trades } = await post.json();
if (!runId || !(trades > 0)) throw new Error(`setup backtest failed: ${post.status}`);

let page = 0;
Deno.bench(
  "result page, SP500 5,105 daily bars: cold (run loaded from the registry, every figure and table of the report rendered)",
  {
    group: "page",
  },
  async () => {
    const r = await coldApp.request(`/runs/${runId}`);
    if (r.status !== 200) throw new Error(`status ${r.status}`);
    await r.text();
  },
);

Deno.bench("result page, SP500 5,105 daily bars: warm (run in memory, trades page and sort vary)", {
  group: "page",
  baseline: true,
}, async () => {
  page = (page % 2) + 1;
  const r = await app.request(`/runs/${runId}?page=${page}&sort=pnl&dir=desc`);
  if (r.status !== 200) throw new Error(`status ${r.status}`);
  await r.text();
});

Deno.bench(
  "POST /api/backtests + GET of its result page (sma_cross on SP500, recorded)",
  { group: "flow", n: 20 },
  async () => {
    const r = await app.request("/api/backtests", {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body,
    });
    const { run_id } = await r.json();
    const p = await app.request(`/runs/${run_id}`);
    if (p.status !== 200) throw new Error(`status ${p.status}`);
    await p.text();
  },
);

// 50 concurrent backtest requests over real loopback HTTP; every one must be a 201 (none refused, none failed).
const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen: () => {} }, app.fetch);
const base = `http://127.0.0.1:${server.addr.port}`;
Deno.bench(
  "50 concurrent POST /api/backtests over loopback (all must answer 201)",
  { group: "load", n: 3, warmup: 0 },
  async () => {
    const res = await Promise.all(
      Array.from({ length: 50 }, (_, i) =>
        fetch(`${base}/api/backtests`, {
          method: "POST",
          headers: { "Content-Type": "application/json" },
          body: JSON.stringify({
            series: "samples:SPX:1d",
            strategy: "sma_cross",
            params: { fast: 5 + (i % 10), slow: 40 + i },
            options: { fee: 0.001 },
          }),
        })),
    );
    const statuses = await Promise.all(res.map(async (r) => {
      await r.body?.cancel();
      return r.status;
    }));
    const bad = statuses.filter((s) => s !== 201);
    if (bad.length > 0) throw new Error(`${bad.length} of 50 failed: ${bad.join(",")}`);
  },
);

// Time from spawning `deno run -A cli/lab.ts` (warm install, samples already stored) to the first page's 200.
const labDir = `${dir}/lab-store`;
await Deno.mkdir(labDir);
const labStore = await Store.open({ dir: labDir });
const { importSamples } = await import("../lib/data/mod.ts");
await importSamples({ sink: labStore });
labStore.close();
const deno = Deno.execPath();
const cli = new URL("../cli/lab.ts", import.meta.url).pathname;
Deno.bench("deno task lab: spawn to first page (200)", { group: "start", n: 3, warmup: 0 }, async () => {
  const t0 = performance.now();
  const child = new Deno.Command(deno, {
    args: ["run", "-A", cli, "--port", "0", "--data-dir", labDir],
    stdout: "piped",
    stderr: "null",
  }).spawn();
  const reader = child.stdout.pipeThrough(new TextDecoderStream()).getReader();
  let out = "";
  let url: string | undefined;
  while (url === undefined) {
    const { value, done } = await reader.read();
    if (done) throw new Error(`lab exited before listening: ${out}`);
    out += value;
    url = /(http:\/\/127\.0\.0\.1:\d+\/)/.exec(out)?.[1];
  }
  const r = await fetch(url);
  await r.text();
  const ms = performance.now() - t0;
  if (r.status !== 200 || ms > 3000) throw new Error(`first page: status ${r.status} after ${ms.toFixed(0)} ms`);
  child.kill("SIGINT");
  await reader.cancel();
  await child.status;
});

globalThis.addEventListener("unload", () => {
  // Best effort: benches have no teardown hook.
  try {
    store.close();
  } catch { /* already closed */ }
  Deno.removeSync(dir, { recursive: true });
});
