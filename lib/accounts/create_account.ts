import { AuditLog } from "../audit/mod.ts";
import { DEFAULT_RISK_CONFIG } from "../risk/mod.ts";
import { NotifyConfigSchema } from "../notify/mod.ts";
import { ConfigError, formatZodIssues } from "../types/mod.ts";
import type { Account } from "./account.ts";
import { type AccountConfig, AccountConfigSchema, type AccountKind } from "./account_config.ts";
import { configHash, configSecrets, configText, redactConfig } from "./_config.ts";
import { accountFiles, exists, resolveDataDir } from "./_paths.ts";
import { writeFileAtomicSync } from "../fs/mod.ts";

/** Options of {@link createAccount}. */
export interface CreateAccountOptions {
  /** Default: env `SENTINEL_DATA_DIR`, else `data/store`. */
  dataDir?: string;
  /** 1-64 characters of a-z, 0-9, `-`, `_` (it names a folder). */
  name: string;
  kind: AccountKind;
  /** Starting cash in the quote currency (> 0). */
  cash: number;
  /** Quote currency. Default `USDT`. */
  quote?: string;
  /** Creation time (epoch ms), recorded as `createdAt` and as the time of the first audit event. Default: now. */
  now?: number;
}

/**
 * Creates an account: `<data dir>/_accounts/<name>/account.json` (written atomically, mode 0600) holding the name,
 * kind, starting cash, quote currency, the risk limits (`DEFAULT_RISK_CONFIG`, there for the user to read and
 * edit), the notify config (console only) and the creation time; then the account's audit log, whose first event
 * is a `config_change` (`target: "account"`) carrying the config (webhook URLs redacted) and its hash. Its
 * `after.startingCash` is what `replay` seeds the cash from.
 *
 * Refuses (`Deno.errors.AlreadyExists`) an account whose folder already holds an `account.json` or a non-empty audit
 * log. Bad options throw a `RangeError`/`TypeError` naming the value. If the audit append fails, the new
 * `account.json` is removed again, so a retry starts clean.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { createAccount } from "./mod.ts";
 * import { AuditLog, replay } from "../audit/mod.ts";
 * const dataDir = await Deno.makeTempDir();
 * const acct = createAccount({ dataDir, name: "paper-1", kind: "paper", cash: 10_000 });
 * assert.equal(acct.config.quote, "USDT");
 * assert.equal(acct.config.risk.rules.maxDrawdown.limit, 0.2);
 * using log = AuditLog.open({ dataDir, account: "paper-1", readOnly: true });
 * const [first] = log.events();
 * assert.equal(first?.kind, "config_change");
 * assert.equal(replay(log.events()).cash, 10_000);
 * assert.throws(() => createAccount({ dataDir, name: "paper-1", kind: "paper", cash: 1 }), /already exists/);
 * await Deno.remove(dataDir, { recursive: true });
 * ```
 */
export function createAccount(options: CreateAccountOptions): Account {
  const dataDir = resolveDataDir(options.dataDir);
  const files = accountFiles(dataDir, options.name);
  if (!Number.isFinite(options.cash) || options.cash <= 0) {
    throw new RangeError(`Invalid cash ${options.cash}: use the starting cash, a number > 0 (e.g. 10000)`);
  }
  const now = options.now ?? Date.now();
  const candidate = {
    version: 1,
    name: options.name,
    kind: options.kind,
    startingCash: options.cash,
    quote: options.quote ?? "USDT",
    createdAt: new Date(now).toISOString(),
    risk: structuredClone(DEFAULT_RISK_CONFIG),
    notify: NotifyConfigSchema.parse({}),
  };
  const parsed = AccountConfigSchema.safeParse(candidate);
  if (!parsed.success) {
    throw new ConfigError(
      `new account ${options.name}: ${formatZodIssues(parsed.error, candidate, { hideValuesUnder: ["notify"] })}`,
    );
  }
  const config: AccountConfig = parsed.data;

  const refuse = (why: string): never => {
    throw new Deno.errors.AlreadyExists(
      `account ${JSON.stringify(options.name)} already exists (${why}) in ${dataDir}; pick another name, or edit ` +
        `its account.json`,
    );
  };
  if (exists(files.config)) refuse("it has an account.json");
  if (exists(files.log)) {
    using probe = AuditLog.open({ dataDir, account: options.name, readOnly: true });
    if (probe.head().seq > 0) refuse("it has an audit log with events");
  }
  Deno.mkdirSync(files.dir, { recursive: true });
  try {
    writeFileAtomicSync(files.config, configText(config), { noReplace: true, mode: 0o600 });
  } catch (e) {
    if (e instanceof Deno.errors.AlreadyExists) refuse("it has an account.json");
    throw e;
  }
  const hash = configHash(config);
  try {
    using log = AuditLog.open({ dataDir, account: options.name, secrets: configSecrets(config) });
    log.append({
      kind: "config_change",
      runId: "account",
      ts: now,
      payload: { target: "account", after: redactConfig(config), configHash: hash },
    });
  } catch (e) {
    Deno.removeSync(files.config);
    throw e;
  }
  return { dataDir, name: options.name, dir: files.dir, path: files.config, config, configHash: hash };
}
