// Vault changes as audit events in the log of every account that names the key (lib/audit `config_change`).
import { hash } from "node:crypto";
import { AuditLog } from "../audit/audit_log.ts";
import { canonicalJson } from "../types/mod.ts";
import { accountsNamingKey } from "./accounts_naming_key.ts";

/** What happened to a key. */
export type KeyAction = "added" | "rotated" | "removed" | "reencrypted";

/** The public facts of a key change: never a credential value. */
export interface KeyChange {
  key: string;
  exchange: string;
  action: KeyAction;
  /** The key material's generation now in force (for `removed`: the one removed). */
  generation: number;
  /** ISO time of the change. */
  at: string;
}

/**
 * Appends a `config_change` (`target: "vault_key"`, `after`: the change, `configHash`: its sha256) to each account
 * naming the key, with the old and new values as the log's `secrets` so even a stray copy is scrubbed. Returns the
 * accounts written; an account whose log fails is named in the error after the others were written.
 */
export function logKeyChange(
  dataDir: string,
  change: KeyChange,
  secrets: readonly string[],
  ts: number,
): string[] {
  const accounts = accountsNamingKey(dataDir, change.key);
  const configHash = hash("sha256", canonicalJson(change), "hex");
  const failed: string[] = [];
  const done: string[] = [];
  for (const account of accounts) {
    try {
      using log = AuditLog.open({ dataDir, account, secrets });
      log.append({
        kind: "config_change",
        runId: "vault",
        ts,
        payload: { target: "vault_key", after: { ...change }, configHash },
      });
      done.push(account);
    } catch (e) {
      failed.push(`${account} (${(e as Error).name})`);
    }
  }
  if (failed.length > 0) {
    throw new Error(
      `vault key ${change.key} was ${change.action}, but its audit event could not be written to account ` +
        `${failed.join(", ")}; check those accounts' logs (deno task audit verify)`,
    );
  }
  return done;
}
