import { AuditLog } from "../audit/mod.ts";
import { ConfigError } from "../types/mod.ts";
import type { Account } from "./account.ts";
import { configHash, configSecrets, diffJson, redactConfig } from "./_config.ts";
import { loadAccount } from "./load_account.ts";

/** Options of {@link reloadAccountConfig}. */
export interface ReloadAccountConfigOptions {
  /** Time of the `config_change` event (epoch ms). Default: now. */
  now?: number;
}

/** What {@link reloadAccountConfig} found. `account` is always the config in force after the call. */
export type ReloadAccountConfigResult =
  /** The file holds the config already in force: nothing logged. */
  | { status: "unchanged"; account: Account }
  /** The file changed and is valid: a `config_change` event was appended (its `seq`), `account` is the new one. */
  | { status: "changed"; account: Account; seq: number }
  /** The file is invalid: `account` is still the old one (nothing logged), `error` names the field and the reason. */
  | { status: "invalid"; account: Account; error: ConfigError };

/** Fields fixed at creation: the audit log's cash and P&L are in this currency, from this cash, for this account. */
const FIXED = ["version", "name", "kind", "startingCash", "quote", "createdAt"] as const;

/**
 * Re-reads an account's `account.json` while the account runs. When the file changed and is valid, appends a
 * `config_change` event (`target: "account"`; `before: { configHash }`, `after`: the new config, `diff`: the changed
 * fields with their old and new values, `configHash`: the new hash; webhook URLs and headers redacted) and returns
 * the new config. When the file is invalid (malformed, an unknown field, a bad value, or a change to a field fixed at
 * creation: name, kind, startingCash, quote, createdAt), returns the error and keeps `current` in force: it never
 * throws the old config away.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { createAccount, reloadAccountConfig } from "./mod.ts";
 * const dataDir = await Deno.makeTempDir();
 * const acct = createAccount({ dataDir, name: "paper-1", kind: "paper", cash: 10_000 });
 * const edited = structuredClone(acct.config);
 * edited.risk.rules.maxLeverage.limit = 2;
 * Deno.writeTextFileSync(acct.path, JSON.stringify(edited));
 * const r = reloadAccountConfig(acct);
 * assert.equal(r.status, "changed");
 * assert.equal(r.account.config.risk.rules.maxLeverage.limit, 2);
 *
 * Deno.writeTextFileSync(acct.path, JSON.stringify({ ...edited, risk: { ...edited.risk, maxLevrage: 3 } }));
 * const bad = reloadAccountConfig(r.account);
 * assert.equal(bad.status, "invalid");
 * assert.match(String(bad.status === "invalid" && bad.error.message), /risk: unknown field "maxLevrage"/);
 * assert.equal(bad.account, r.account); // the old config stays in force
 * await Deno.remove(dataDir, { recursive: true });
 * ```
 */
export function reloadAccountConfig(
  current: Account,
  options: ReloadAccountConfigOptions = {},
): ReloadAccountConfigResult {
  let next: Account;
  try {
    next = loadAccount({ dataDir: current.dataDir, name: current.name });
  } catch (e) {
    const error = e instanceof ConfigError
      ? e
      : new ConfigError(`account config ${current.path}: ${(e as Error).message}`);
    return { status: "invalid", account: current, error };
  }
  if (next.configHash === current.configHash) return { status: "unchanged", account: current };
  for (const f of FIXED) {
    if (next.config[f] !== current.config[f]) {
      const error = new ConfigError(
        `account config ${current.path}: ${f}: fixed at creation, cannot change from ${
          JSON.stringify(current.config[f])
        } to ${JSON.stringify(next.config[f])}; set it back (create a new account for a new ${f})`,
      );
      return { status: "invalid", account: current, error };
    }
  }
  const before = redactConfig(current.config);
  const after = redactConfig(next.config);
  using log = AuditLog.open({
    dataDir: current.dataDir,
    account: current.name,
    secrets: [...configSecrets(current.config), ...configSecrets(next.config)],
  });
  const ev = log.append({
    kind: "config_change",
    runId: "account",
    ts: options.now ?? Date.now(),
    payload: {
      target: "account",
      before: { configHash: current.configHash },
      after,
      diff: diffJson(before, after) as never,
      configHash: configHash(next.config),
    },
  });
  return { status: "changed", account: next, seq: ev.seq };
}
