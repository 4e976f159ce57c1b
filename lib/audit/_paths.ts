// Where an account's audit files live. The data dir resolves like the store's and the runs registry's.
import { join } from "node:path";
import { AccountNameSchema } from "../types/mod.ts";

export { resolveDataDir } from "../fs/mod.ts";

/** The folder, database and head anchor of an account. `_accounts` is skipped by the store (`_` prefix). */
export function accountPaths(dataDir: string, account: string): { dir: string; db: string; head: string } {
  const r = AccountNameSchema.safeParse(account);
  if (!r.success) {
    throw new TypeError(`Invalid account ${JSON.stringify(account)}: ${r.error.issues[0]?.message ?? "bad name"}`);
  }
  const dir = join(dataDir, "_accounts", account);
  return { dir, db: join(dir, "audit.sqlite"), head: join(dir, "audit.head") };
}
