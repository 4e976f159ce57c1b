/**
 * Paper and live accounts, and the operator's risk commands on them.
 *
 * An account is a folder `<data dir>/_accounts/<name>/` holding `account.json` (its config: name, kind, starting
 * cash, quote currency, risk limits, notifications, creation time; {@link AccountConfigSchema}, strict) and its
 * audit log (lib/audit). {@link createAccount} writes the config with lib/risk's conservative
 * `DEFAULT_RISK_CONFIG`, where the user reads and edits the limits, and logs it as the first event.
 * {@link loadAccount} parses the file strictly (a `ConfigError` names the field and the reason);
 * {@link reloadAccountConfig} picks up an edit while the account runs: a valid change is logged as a `config_change`
 * with its diff, an invalid one is reported and the old config stays in force.
 *
 * The operator commands {@link pauseAccount}, {@link resumeAccount} and {@link killAccount} append `pause`,
 * `resume` and `kill` events (`by: "operator"`) to the account's log, where a running runner sees them by tailing
 * it; the rules are lib/risk's transitions (`pause`, `resume`, `kill`) applied to the state `replay` rebuilds, so
 * the state survives restarts. Resuming a killed account needs its name typed again (`confirmAccount`).
 * {@link accountStatus} is a read-only look: replayed state, counters, chain status, limits in force.
 *
 * Conventions: the counters of a status are those of the UTC day of the last event (not of today's clock); the
 * operator commands read the state and then append, so a runner's own pause or kill landing in between makes the
 * operator's event a harmless repeat. Webhook URLs and header values (tokens) never enter the log or an answer:
 * a config in an event shows each URL as its origin and a short SHA-256 fingerprint.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { accountStatus, createAccount, killAccount, resumeAccount } from "./mod.ts";
 * const dataDir = await Deno.makeTempDir();
 * createAccount({ dataDir, name: "paper-1", kind: "paper", cash: 10_000, quote: "USDT" });
 * killAccount({ dataDir, name: "paper-1", reason: "exchange incident" });
 * assert.equal(accountStatus({ dataDir, name: "paper-1" }).tradingState, "halted");
 * assert.throws(() => resumeAccount({ dataDir, name: "paper-1" }), /--confirm-account paper-1/);
 * resumeAccount({ dataDir, name: "paper-1", confirmAccount: "paper-1", reason: "incident over" });
 * const s = accountStatus({ dataDir, name: "paper-1" });
 * assert.equal(s.tradingState, "active");
 * assert.equal(s.audit.ok, true);
 * await Deno.remove(dataDir, { recursive: true });
 * ```
 * @module
 */
export * from "./account.ts";
export * from "./ack_reconciliation.ts";
export * from "./account_config.ts";
export * from "./account_status.ts";
export * from "./alert_config.ts";
export * from "./create_account.ts";
export * from "./kill_account.ts";
export * from "./list_account_configs.ts";
export * from "./load_account.ts";
export * from "./operator_result.ts";
export * from "./pause_account.ts";
export * from "./reload_account_config.ts";
export * from "./resume_account.ts";
