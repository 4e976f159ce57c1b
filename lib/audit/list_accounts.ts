import { join } from "node:path";
import { resolveDataDir } from "./_paths.ts";

/**
 * The accounts that have an audit log under `<dataDir>/_accounts/`, sorted. `dataDir` defaults like
 * {@link AuditLog.open}'s (env `SENTINEL_DATA_DIR`, else `data/store`). A missing folder means no accounts.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { AuditLog, listAccounts } from "./mod.ts";
 * const dataDir = await Deno.makeTempDir();
 * assert.deepEqual(listAccounts(dataDir), []);
 * AuditLog.open({ dataDir, account: "paper-1" }).close();
 * assert.deepEqual(listAccounts(dataDir), ["paper-1"]);
 * await Deno.remove(dataDir, { recursive: true });
 * ```
 */
export function listAccounts(dataDir?: string): string[] {
  const root = join(resolveDataDir(dataDir), "_accounts");
  const out: string[] = [];
  try {
    for (const e of Deno.readDirSync(root)) {
      if (!e.isDirectory) continue;
      try {
        if (Deno.statSync(join(root, e.name, "audit.sqlite")).isFile) out.push(e.name);
      } catch {
        // a folder without a log (another module's files only): not an audit account
      }
    }
  } catch (e) {
    if (!(e instanceof Deno.errors.NotFound)) throw e;
  }
  return out.sort();
}
