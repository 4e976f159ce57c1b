// Where an account's audit files live. The data dir resolves like the store's and the runs registry's.
import { join, resolve } from "node:path";
import { AccountNameSchema } from "../types/mod.ts";

/** `dataDir`, else env `SENTINEL_DATA_DIR`, else `data/store`. */
export function resolveDataDir(dataDir?: string): string {
  let env: string | undefined;
  try {
    env = Deno.env.get("SENTINEL_DATA_DIR") || undefined;
  } catch {
    env = undefined; // no --allow-env: the default
  }
  return resolve(dataDir ?? env ?? "data/store");
}

/** The folder, database and head anchor of an account. `_accounts` is skipped by the store (`_` prefix). */
export function accountPaths(dataDir: string, account: string): { dir: string; db: string; head: string } {
  const r = AccountNameSchema.safeParse(account);
  if (!r.success) {
    throw new TypeError(`Invalid account ${JSON.stringify(account)}: ${r.error.issues[0]?.message ?? "bad name"}`);
  }
  const dir = join(dataDir, "_accounts", account);
  return { dir, db: join(dir, "audit.sqlite"), head: join(dir, "audit.head") };
}
