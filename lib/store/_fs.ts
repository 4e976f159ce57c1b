// The store's file primitives: atomic writes come from lib/fs; here stale temp cleanup and per-series
// writer locks (flock, released by the kernel when a process dies).

import { join } from "node:path";

export { syncDir, TEMP_PREFIX, tempPathFor, writeFileAtomic } from "../fs/mod.ts";

/** Writes all of `bytes` at the file's position. */
export async function writeAll(file: Deno.FsFile, bytes: Uint8Array): Promise<void> {
  let off = 0;
  while (off < bytes.length) off += await file.write(bytes.subarray(off));
}

/** Whether a temp file name was left by a process that is gone (or is older than a day where /proc is missing). */
export function isStaleTemp(name: string, mtime: Date | null): boolean {
  const m = /^\.tmp-(\d+)-/.exec(name);
  if (!m) return false;
  const pid = Number(m[1]);
  if (pid === Deno.pid) return false;
  try {
    Deno.statSync(`/proc/${pid}`);
    return false;
  } catch (e) {
    if (!(e instanceof Deno.errors.NotFound)) {
      // No /proc (macOS, Windows): fall back to age.
      return mtime !== null && Date.now() - mtime.getTime() > 86_400_000;
    }
    try {
      Deno.statSync("/proc/self");
      return true;
    } catch {
      return mtime !== null && Date.now() - mtime.getTime() > 86_400_000;
    }
  }
}

/** Removes a file, ignoring one that is already gone. */
export async function removeIfExists(path: string): Promise<void> {
  try {
    await Deno.remove(path);
  } catch (e) {
    if (!(e instanceof Deno.errors.NotFound)) throw e;
  }
}

/** Runs `fn` holding an exclusive lock on `<dir>/.lock` (other processes wait; the kernel frees it on kill). */
export async function withDirLock<T>(dir: string, fn: () => Promise<T>): Promise<T> {
  await Deno.mkdir(dir, { recursive: true });
  const lock = await Deno.open(join(dir, ".lock"), { read: true, write: true, create: true });
  try {
    await lock.lock(true);
    return await fn();
  } finally {
    lock.close(); // closing releases the flock
  }
}

/** Like {@link withDirLock} but gives up (returns undefined) when another process holds the lock. */
export async function tryWithDirLock<T>(dir: string, fn: () => Promise<T>): Promise<T | undefined> {
  const lock = await Deno.open(join(dir, ".lock"), { read: true, write: true, create: true });
  try {
    if (!(await lock.tryLock(true))) return undefined;
    return await fn();
  } finally {
    lock.close();
  }
}
