/**
 * The web lab: a Hono app with server-rendered pages (datasets and their quality, a backtest
 * form, live sweeps, runs and comparisons) and a JSON/Arrow API under `/api`, plus the bounded
 * {@link JobQueue} that runs backtests and sweeps off the request path. The app is thin: it
 * validates input with zod, calls `lib/store`, `lib/backtest`, `lib/runs`, `lib/metrics` and
 * `lib/plots`, and renders what they return.
 *
 * Conventions:
 * - Series ids in URLs are the series text `exchange:SYMBOL:timeframe`, URL-encoded
 *   (`/datasets/samples%3ABTC%2FUSD%3A1M`), validated with lib/types' `SeriesIdSchema` before
 *   any lookup; malformed ids are 400, ids not stored 404.
 * - Errors are `{ error, issues: [{ path, message, code }] }` with status 400 (validation), 401
 *   (token), 404 (unknown id), 409 (cancelled; a reconciliation ack with nothing waiting), 413 (body
 *   over 4 MiB), 429 (job queue full, or too many failed token attempts from the client, with
 *   `Retry-After`).
 * - Accounts: `/accounts/:name` follows the account's audit log live (SSE); pause, resume, kill
 *   and, while a live account's reconciliation mismatch holds it in `reducing`, the acknowledge
 *   form (`POST /api/accounts/:name/ack`, as `deno task risk ack`) are token-protected changes.
 * - Columns (bars, equity) are Arrow IPC streams when the client sends
 *   `Accept: application/vnd.apache.arrow.stream`; `/api/openapi.json` documents every route.
 * - Web runs are recorded in the runs registry with source `web`, like CLI and scheduled runs.
 * - Bound to 127.0.0.1 by default; on another host a token (24 characters or more) is mandatory
 *   for every change: `Authorization: Bearer`, or a per-login session from `POST /login` (12 h,
 *   ended by `POST /logout`).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { Frame } from "../frame/mod.ts";
 * import { RunRegistry } from "../runs/mod.ts";
 * import { Store } from "../store/mod.ts";
 * import { createApp, JobQueue } from "./mod.ts";
 *
 * const dir = await Deno.makeTempDir();
 * const store = await Store.open({ dir });
 * const close = Float64Array.from({ length: 120 }, (_, i) => 100 + 10 * Math.sin(i / 6));
 * const ts = Float64Array.from(close, (_, i) => Date.UTC(2024, 0, 1) + i * 86_400_000);
 * await store.append({ exchange: "demo", symbol: "BTC/USD", timeframe: "1d" },
 *   new Frame(ts, { open: close, high: close, low: close, close, volume: close }));
 * const jobs = new JobQueue({ concurrency: 1 });
 * const runs = await RunRegistry.open({ dir: `${dir}/_runs` });
 * const app = createApp({ store, runs, jobs });
 *
 * const res = await app.request("/api/backtests", {
 *   method: "POST",
 *   headers: { "Content-Type": "application/json" },
 *   body: JSON.stringify({ series: "demo:BTC/USD:1d", strategy: "sma_cross", params: { fast: 5, slow: 20 } }),
 * });
 * assert.equal(res.status, 201);
 * const { run_id, trades } = await res.json();
 * assert.ok(trades > 0);
 * const page = await app.request(`/runs/${run_id}`);
 * assert.match(await page.text(), /<svg/);
 *
 * await jobs.shutdown();
 * await runs.close();
 * store.close();
 * await Deno.remove(dir, { recursive: true });
 * ```
 * @module
 */
export * from "./create_app.ts";
export * from "./job_queue.ts";
export { isLoopback, MIN_TOKEN_LENGTH, type SecurityOptions } from "./_auth.ts";
