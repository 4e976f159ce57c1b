/**
 * Redis keys of the cluster's own records (BullMQ keeps its jobs under `bull:<queue>:*`). A sweep `id` (its input
 * hash, hex) owns:
 *
 * - `sweep(id)`: hash `spec` (ClusterSweepSpec JSON), `state`, `created`, `updated`, `error`;
 * - `results(id)`: hash chunk -> stat rows (base64 of the Float64Array, row after row), written once with HSETNX;
 * - `done(id)`: list of chunk numbers pushed in the same transaction as the HSETNX (a re-run may push a number
 *   twice), so the coordinator reads only what is new (LRANGE from where it stopped);
 * - `storedBy(id)`: hash chunk -> worker name that stored it;
 * - `attempts(id)`: hash chunk -> evaluations started (HINCRBY at each start);
 * - `failures(id)`: hash chunk -> last failure reason;
 * - `cancel(id)`: a string set when the sweep is cancelled (workers poll it between batches);
 * - `SWEEPS`: sorted set of sweep ids scored by creation time (the lab's list).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { clusterKeys } from "./keys.ts";
 * assert.equal(clusterKeys.results("ab12"), "sentinel:cluster:sweep:ab12:results");
 * assert.equal(clusterKeys.jobId("ab12", 3), "ab12-3");
 * ```
 */
export const clusterKeys = {
  SWEEPS: "sentinel:cluster:sweeps",
  sweep: (id: string): string => `sentinel:cluster:sweep:${id}`,
  results: (id: string): string => `sentinel:cluster:sweep:${id}:results`,
  done: (id: string): string => `sentinel:cluster:sweep:${id}:done`,
  storedBy: (id: string): string => `sentinel:cluster:sweep:${id}:stored_by`,
  attempts: (id: string): string => `sentinel:cluster:sweep:${id}:attempts`,
  failures: (id: string): string => `sentinel:cluster:sweep:${id}:failures`,
  cancel: (id: string): string => `sentinel:cluster:sweep:${id}:cancel`,
  /** BullMQ job id of a chunk: deterministic, so re-adding a chunk that is queued or running is a no-op. */
  jobId: (id: string, chunk: number): string => `${id}-${chunk}`,
} as const;
