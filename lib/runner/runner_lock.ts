import { join } from "node:path";
import { existsSync, mkdirSync } from "node:fs";
import { AccountNameSchema } from "../types/mod.ts";
import { RunnerStateError } from "./runner_state_error.ts";

/** Who holds an account's runner lock. */
export interface RunnerLockInfo {
  pid: number;
  runId: string;
  /** Epoch ms. */
  startedAt: number;
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

function readInfo(file: Deno.FsFile): RunnerLockInfo | null {
  try {
    file.seekSync(0, Deno.SeekMode.Start);
    const buf = new Uint8Array(4_096);
    const n = file.readSync(buf) ?? 0;
    return JSON.parse(new TextDecoder().decode(buf.subarray(0, n))) as RunnerLockInfo;
  } catch {
    return null;
  }
}

/**
 * The account's runner if one runs, else null. The runner holds an exclusive OS lock on `runner.lock` for as long
 * as its process lives (the kernel drops it when the process dies, SIGKILL included), so a lock that can be taken
 * shared is one nobody holds. Reads only: it never creates or changes a file.
 */
export function readRunnerLock(options: RunnerLockOptions): RunnerLockInfo | null {
  const path = lockPath(options);
  if (!existsSync(path)) return null;
  const file = Deno.openSync(path, { read: true });
  try {
    if (file.tryLockSync(false)) {
      file.unlockSync();
      return null;
    }
    return readInfo(file) ?? { pid: 0, runId: "?", startedAt: 0, host: "?" };
  } finally {
    file.close();
  }
}

/**
 * Takes the account's runner lock: two runners on one account would both send orders, so a second one is refused,
 * naming the process that runs. The lock is held until the returned release function is called or the process ends.
 */
export function acquireRunnerLock(options: RunnerLockOptions & { runId: string }): () => void {
  const path = lockPath(options);
  mkdirSync(join(path, ".."), { recursive: true });
  const file = Deno.openSync(path, { read: true, write: true, create: true });
  if (!file.tryLockSync(true)) {
    const held = readInfo(file);
    file.close();
    throw new RunnerStateError(
      `account ${options.account} already has a runner (pid ${held?.pid ?? "?"} on ${held?.host ?? "?"}, run ` +
        `${held?.runId ?? "?"}, since ${held ? new Date(held.startedAt).toISOString() : "?"}): stop it first ` +
        `(Ctrl-C, or kill ${held?.pid ?? "it"})`,
    );
  }
  const info: RunnerLockInfo = { pid: Deno.pid, runId: options.runId, startedAt: Date.now(), host: Deno.hostname() };
  file.truncateSync(0);
  file.seekSync(0, Deno.SeekMode.Start);
  file.writeSync(new TextEncoder().encode(JSON.stringify(info)));
  let held = true;
  return () => {
    if (!held) return;
    held = false;
    file.unlockSync();
    file.close();
  };
}
