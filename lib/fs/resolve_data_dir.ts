import { resolve } from "node:path";

/**
 * The lab's data dir, where the store, the runs registry (`_runs`), lab jobs (`_jobs`) and accounts (`_accounts`)
 * live: `dataDir` when given, else env `SENTINEL_DATA_DIR`, else `data/store` (relative to the current directory),
 * as an absolute path. Without `--allow-env` the environment is not consulted.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { resolveDataDir } from "./resolve_data_dir.ts";
 * assert.equal(resolveDataDir("/srv/lab"), "/srv/lab");
 * assert.ok(resolveDataDir().startsWith("/"));
 * ```
 */
export function resolveDataDir(dataDir?: string): string {
  return resolve(dataDir ?? dataDirFromEnv() ?? "data/store");
}

/** `SENTINEL_DATA_DIR` when set and readable, else undefined. */
export function dataDirFromEnv(): string | undefined {
  try {
    return Deno.env.get("SENTINEL_DATA_DIR") || undefined;
  } catch {
    return undefined; // no --allow-env: the default
  }
}
