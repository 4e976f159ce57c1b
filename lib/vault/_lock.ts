// The vault's write lock: an exclusive OS lock on vault.lock (as lib/runner's runner.lock), which the kernel drops
// when the process dies, so a killed writer never leaves the vault locked.
import { VaultError } from "./vault_error.ts";

/** Runs `fn` holding the exclusive lock on `path`, waiting up to `timeoutMs` for another writer to finish. */
export async function withWriteLock<T>(path: string, timeoutMs: number, fn: () => Promise<T>): Promise<T> {
  const file = await Deno.open(path, { read: true, write: true, create: true, mode: 0o600 });
  try {
    const deadline = Date.now() + timeoutMs;
    while (!(await file.tryLock(true))) {
      if (Date.now() >= deadline) {
        throw new VaultError(
          "locked",
          `the vault ${path} is locked by another writer (a vault add, rotate or remove still running) for more ` +
            `than ${timeoutMs} ms: wait for it to finish and run the command again`,
        );
      }
      await new Promise((r) => setTimeout(r, 25));
    }
    try {
      return await fn();
    } finally {
      await file.unlock();
    }
  } finally {
    file.close();
  }
}
