import { join } from "node:path";
import { existsSync, readFileSync } from "node:fs";
import { writeFileAtomicSync } from "../fs/mod.ts";
import { AccountNameSchema } from "../types/mod.ts";

/** Who holds an account's runner lock. */
export interface RunnerLockInfo {
  pid: number;
  runId: string;
  /** Epoch ms. */
  startedAt: number;
  /** Host name (a lock from another host cannot be checked for liveness). */
  host: string;
}

/** Options of {@link acquireRunnerLock} and {@link readRunnerLock}. */
export interface RunnerLockOptions {
  dataDir: string;
  account: string;
}

function lockPath(o: RunnerLockOptions): string {
  return join(o.dataDir, "_accounts", AccountNameSchema.parse(o.account), "runner.lock");
}

/** Whether a process with this pid is alive on this host (Linux `/proc`; elsewhere assumed alive). */
function alive(pid: number): boolean {
  if (!existsSync("/proc")) return true;
  return existsSync(`/proc/${pid}`);
}

/**
 * The account's runner lock if a live process holds it, else null (no lock, or its process died: a SIGKILLed runner
 * leaves its lock file, which is stale once its pid is gone).
 */
export function readRunnerLock(options: RunnerLockOptions): RunnerLockInfo | null {
  const path = lockPath(options);
  if (!existsSync(path)) return null;
  let info: RunnerLockInfo;
  try {
    info = JSON.parse(readFileSync(path, "utf8")) as RunnerLockInfo;
  } catch {
    return null;
  }
  if (info.host !== Deno.hostname()) return info;
  return alive(info.pid) ? info : null;
}

/**
 * Takes the account's runner lock: two runners on one account would both send orders, so a second one is refused,
 * naming the process that runs. Returns the release function (removes the file if it is still ours).
 */
export function acquireRunnerLock(options: RunnerLockOptions & { runId: string }): () => void {
  const held = readRunnerLock(options);
  if (held !== null) {
    throw new Error(
      `account ${options.account} already has a runner (pid ${held.pid} on ${held.host}, run ${held.runId}, since ` +
        `${new Date(held.startedAt).toISOString()}): stop it first (Ctrl-C, or kill ${held.pid})`,
    );
  }
  const path = lockPath(options);
  // Stale (its process is gone): remove it, then create ours only if nobody else did in between.
  if (existsSync(path)) Deno.removeSync(path);
  const info: RunnerLockInfo = { pid: Deno.pid, runId: options.runId, startedAt: Date.now(), host: Deno.hostname() };
  try {
    writeFileAtomicSync(path, JSON.stringify(info), { noReplace: true });
  } catch (e) {
    if (e instanceof Deno.errors.AlreadyExists) {
      throw new Error(`account ${options.account} got another runner while this one started: stop one of them`);
    }
    throw e;
  }
  return () => {
    try {
      const now = JSON.parse(readFileSync(path, "utf8")) as RunnerLockInfo;
      if (now.pid === Deno.pid && now.runId === options.runId) Deno.removeSync(path);
    } catch {
      // Already gone.
    }
  };
}
