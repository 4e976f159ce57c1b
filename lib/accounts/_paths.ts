// Where accounts live. The data dir resolves like the store's, the runs registry's and the audit log's.
import { join } from "node:path";
import { AccountNameSchema } from "../types/mod.ts";

export { resolveDataDir } from "../fs/mod.ts";

/** The account's folder and files; a bad name is a TypeError naming it and the rule. */
export function accountFiles(dataDir: string, name: string): { dir: string; config: string; log: string } {
  const r = AccountNameSchema.safeParse(name);
  if (!r.success) {
    throw new TypeError(`Invalid account name ${JSON.stringify(name)}: ${r.error.issues[0]?.message ?? "bad name"}`);
  }
  const dir = join(dataDir, "_accounts", name);
  return { dir, config: join(dir, "account.json"), log: join(dir, "audit.sqlite") };
}

export function exists(path: string): boolean {
  try {
    Deno.statSync(path);
    return true;
  } catch (e) {
    if (e instanceof Deno.errors.NotFound) return false;
    throw e;
  }
}
