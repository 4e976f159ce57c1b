// A temp store with two real samples, a runs registry and a job queue, for the lab's route tests.
import { importCsv } from "../lib/data/mod.ts";
import { createApp, JobQueue, type LabDeps } from "../lib/http/mod.ts";
import { RunRegistry } from "../lib/runs/mod.ts";
import { Store } from "../lib/store/mod.ts";
import type { Hono } from "hono";

const SAMPLES = new URL("../data/samples/", import.meta.url);

/** What the tests get. `close()` shuts everything down (sanitizers stay happy). */
export interface LabFixture {
  app: Hono;
  deps: LabDeps;
  dir: string;
  close(): Promise<void>;
}

/** Opens a fresh lab over SP500 (daily, weekdays) and ETH/BTC (5m, 24/7) samples. */
export async function openLab(overrides: Partial<LabDeps> = {}): Promise<LabFixture> {
  const dir = await Deno.makeTempDir({ prefix: "sentinel-http-test-" });
  const store = await Store.open({ dir });
  await importCsv({
    path: new URL("SP500-2000.csv", SAMPLES),
    id: { exchange: "samples", symbol: "SPX", timeframe: "1d" },
    sink: store,
    calendar: "weekdays",
  });
  await importCsv({
    path: new URL("ETH_BTC-5m.csv", SAMPLES),
    id: { exchange: "samples", symbol: "ETH/BTC", timeframe: "5m" },
    sink: store,
    calendar: "24/7",
  });
  const runs = await RunRegistry.open({ dir: `${dir}/_runs` });
  const jobs = new JobQueue({ concurrency: 1, maxPending: 64 });
  const deps: LabDeps = { store, runs, jobs, sweepWorkers: 0, ...overrides };
  const app = createApp(deps);
  return {
    app,
    deps,
    dir,
    async close() {
      await jobs.shutdown();
      await deps.runs.close();
      store.close();
      await Deno.remove(dir, { recursive: true });
    },
  };
}

/** A JSON POST. */
export function postJson(
  app: Hono,
  path: string,
  body: unknown,
  headers: Record<string, string> = {},
): Promise<Response> {
  return Promise.resolve(app.request(path, {
    method: "POST",
    headers: { "Content-Type": "application/json", ...headers },
    body: typeof body === "string" ? body : JSON.stringify(body),
  }));
}

/** A same-origin HTML form POST (as a browser sends it). */
export function postForm(
  app: Hono,
  path: string,
  fields: Record<string, string>,
  headers: Record<string, string> = {},
): Promise<Response> {
  return Promise.resolve(app.request(path, {
    method: "POST",
    headers: { "Content-Type": "application/x-www-form-urlencoded", Origin: "http://localhost", ...headers },
    body: new URLSearchParams(fields).toString(),
  }));
}
