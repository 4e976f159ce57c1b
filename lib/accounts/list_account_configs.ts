import { join } from "node:path";
import type { AccountKind } from "./account_config.ts";
import { parseAccountConfig } from "./_config.ts";
import { resolveDataDir } from "./_paths.ts";

/** Options of {@link listAccountConfigs}. */
export interface ListAccountConfigsOptions {
  /** Default: env `SENTINEL_DATA_DIR`, else `data/store`. */
  dataDir?: string;
}

/** One account of {@link listAccountConfigs}: its summary, or the error that keeps its config from loading. */
export interface AccountSummary {
  name: string;
  kind?: AccountKind;
  quote?: string;
  startingCash?: number;
  createdAt?: string;
  /** Why its account.json is missing or invalid (an audit log without a config, a hand-broken file). */
  error?: string;
}

/**
 * The accounts under `<data dir>/_accounts/` (folders holding an `account.json` or an `audit.sqlite`), sorted by
 * name. An account whose config is missing or invalid is listed with its `error` rather than left out.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { createAccount, listAccountConfigs } from "./mod.ts";
 * const dataDir = await Deno.makeTempDir();
 * assert.deepEqual(listAccountConfigs({ dataDir }), []);
 * createAccount({ dataDir, name: "paper-1", kind: "paper", cash: 1_000, now: 0 });
 * assert.deepEqual(listAccountConfigs({ dataDir }), [
 *   { name: "paper-1", kind: "paper", quote: "USDT", startingCash: 1_000, createdAt: "1970-01-01T00:00:00.000Z" },
 * ]);
 * await Deno.remove(dataDir, { recursive: true });
 * ```
 */
export function listAccountConfigs(options: ListAccountConfigsOptions = {}): AccountSummary[] {
  const root = join(resolveDataDir(options.dataDir), "_accounts");
  const out: AccountSummary[] = [];
  let entries: Deno.DirEntry[];
  try {
    entries = [...Deno.readDirSync(root)];
  } catch (e) {
    if (e instanceof Deno.errors.NotFound) return [];
    throw e;
  }
  for (const e of entries) {
    if (!e.isDirectory || e.name.startsWith(".")) continue;
    const path = join(root, e.name, "account.json");
    let text: string;
    try {
      text = Deno.readTextFileSync(path);
    } catch (err) {
      if (!(err instanceof Deno.errors.NotFound)) {
        out.push({ name: e.name, error: (err as Error).message });
        continue;
      }
      let hasLog = false;
      try {
        hasLog = Deno.statSync(join(root, e.name, "audit.sqlite")).isFile;
      } catch { /* neither file: not an account */ }
      if (hasLog) out.push({ name: e.name, error: "no account.json (an audit log only)" });
      continue;
    }
    try {
      const c = parseAccountConfig(text, "account.json");
      out.push({ name: e.name, kind: c.kind, quote: c.quote, startingCash: c.startingCash, createdAt: c.createdAt });
    } catch (err) {
      out.push({ name: e.name, error: (err as Error).message });
    }
  }
  return out.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}
