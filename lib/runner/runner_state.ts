import { AuditLog } from "../audit/mod.ts";
import { resolveDataDir } from "../fs/mod.ts";
import { readRunnerLock, type RunnerLockInfo } from "./runner_lock.ts";

/** Options of {@link runnerState}. */
export interface RunnerStateOptions {
  /** Default: env `SENTINEL_DATA_DIR`, else `data/store`. */
  dataDir?: string;
  account: string;
}

/** Whether an account's runner runs, from its lock and its last `run_started` / `run_stopped` events. */
export interface RunnerState {
  /**
   * `running`: a live process holds the lock; `crashed`: the last run has no `run_stopped` and nobody holds the lock
   * (the next start recovers from the log); `stopped`; `never`: no run yet.
   */
  state: "running" | "crashed" | "stopped" | "never";
  process: RunnerLockInfo | null;
  runId: string | null;
  mode: string | null;
  startedAt: number | null;
  stoppedAt: number | null;
  /** Reason of the last `run_stopped` (`end of data`, `stopped`, `error`). */
  reason: string | null;
  error: string | null;
}

/**
 * A read-only look at an account's runner (never blocks it).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { AuditLog } from "../audit/mod.ts";
 * import { runnerState } from "./runner_state.ts";
 * const dataDir = await Deno.makeTempDir();
 * const log = AuditLog.open({ dataDir, account: "p1" });
 * log.append({ kind: "run_started", runId: "r1", ts: 1_000, payload: { mode: "replay" } });
 * assert.equal(runnerState({ dataDir, account: "p1" }).state, "crashed");
 * log.append({ kind: "run_stopped", runId: "r1", ts: 2_000, payload: { reason: "end of data" } });
 * log.close();
 * const s = runnerState({ dataDir, account: "p1" });
 * assert.deepEqual([s.state, s.runId, s.reason], ["stopped", "r1", "end of data"]);
 * await Deno.remove(dataDir, { recursive: true });
 * ```
 */
export function runnerState(options: RunnerStateOptions): RunnerState {
  const dataDir = resolveDataDir(options.dataDir);
  const process = readRunnerLock({ dataDir, account: options.account });
  using log = AuditLog.open({ dataDir, account: options.account, readOnly: true });
  // Run events are few (two per process start), so reading them all is cheap.
  const events = log.query({ kinds: ["run_started", "run_stopped"], afterSeq: 0, limit: 1_000_000 });
  const started = events.findLast((e) => e.kind === "run_started");
  const stopped = events.findLast((e) => e.kind === "run_stopped");
  const s: RunnerState = {
    state: "never",
    process,
    runId: started?.runId ?? null,
    mode: started?.kind === "run_started" ? started.payload.mode : null,
    startedAt: started?.ts ?? null,
    stoppedAt: null,
    reason: null,
    error: null,
  };
  if (stopped?.kind === "run_stopped" && (started === undefined || stopped.seq > started.seq)) {
    s.stoppedAt = stopped.ts;
    s.reason = stopped.payload.reason;
    s.error = stopped.payload.error ?? null;
  }
  if (process !== null) s.state = "running";
  else if (started === undefined) s.state = "never";
  else s.state = s.stoppedAt === null ? "crashed" : "stopped";
  return s;
}
