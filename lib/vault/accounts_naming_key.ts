import { join } from "node:path";

/**
 * The field of an account's `account.json` that names its vault key (`"key": "binance-main"`), which
 * `deno task live --key NAME` sets on first use. Read here from the raw JSON, so the vault finds the accounts that
 * use a key whatever else their config holds.
 */
export const ACCOUNT_KEY_FIELD = "key";

/**
 * The accounts under `<dataDir>/_accounts/` whose `account.json` names the vault key `name` (alone or in its list of
 * keys), sorted. A folder
 * without a readable, parseable `account.json` names no key.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { accountsNamingKey } from "./accounts_naming_key.ts";
 * const dataDir = await Deno.makeTempDir();
 * await Deno.mkdir(`${dataDir}/_accounts/live-1`, { recursive: true });
 * await Deno.writeTextFile(`${dataDir}/_accounts/live-1/account.json`, JSON.stringify({ name: "live-1", key: "bn" }));
 * assert.deepEqual(accountsNamingKey(dataDir, "bn"), ["live-1"]);
 * assert.deepEqual(accountsNamingKey(dataDir, "other"), []);
 * await Deno.mkdir(`${dataDir}/_accounts/live-2`, { recursive: true });
 * await Deno.writeTextFile(`${dataDir}/_accounts/live-2/account.json`, JSON.stringify({ key: ["okx", "bn"] }));
 * assert.deepEqual(accountsNamingKey(dataDir, "bn"), ["live-1", "live-2"]);
 * await Deno.remove(dataDir, { recursive: true });
 * ```
 */
export function accountsNamingKey(dataDir: string, name: string): string[] {
  const root = join(dataDir, "_accounts");
  let dirs: Deno.DirEntry[];
  try {
    dirs = [...Deno.readDirSync(root)];
  } catch (e) {
    if (e instanceof Deno.errors.NotFound) return [];
    throw e;
  }
  const out: string[] = [];
  for (const d of dirs) {
    if (!d.isDirectory || d.name.startsWith(".")) continue;
    let json: unknown;
    try {
      json = JSON.parse(Deno.readTextFileSync(join(root, d.name, "account.json")));
    } catch {
      continue;
    }
    const key = json !== null && typeof json === "object"
      ? (json as Record<string, unknown>)[ACCOUNT_KEY_FIELD]
      : undefined;
    // A key or, for an account on several exchanges, a list of keys.
    if (key === name || (Array.isArray(key) && key.includes(name))) out.push(d.name);
  }
  return out.sort();
}
