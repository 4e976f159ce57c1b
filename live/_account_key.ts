import type { Account } from "../lib/accounts/mod.ts";

/**
 * Names the vault key in the account's account.json on first use of `--key` (the "sets it on first use"),
 * one name, or a list of them (one per exchange) when the account trades on several exchanges,
 * written atomically (a temp file renamed over it) so a crash leaves the old or the new file, never half of one.
 * Only the `key` field changes; the file is re-read so a concurrent edit of another field is kept.
 */
export function writeAccountKey(account: Account, keyName: string | readonly string[]): void {
  const cfg = JSON.parse(Deno.readTextFileSync(account.path)) as Record<string, unknown>;
  if (cfg.key !== undefined) return;
  cfg.key = typeof keyName === "string" ? keyName : [...keyName];
  const tmp = `${account.path}.${crypto.randomUUID().slice(0, 8)}.tmp`;
  Deno.writeTextFileSync(tmp, `${JSON.stringify(cfg, null, 2)}\n`);
  Deno.renameSync(tmp, account.path);
}
