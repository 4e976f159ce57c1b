// The operator commands' common path: rebuild the trading state from the audit log (replay), apply lib/risk's
// transition, append the event. A running runner sees the event by tailing the log.
import { type AuditEvent, AuditLog, redactSecrets, replay } from "../audit/mod.ts";
import { createRiskState, type RiskState } from "../risk/mod.ts";
import type { Account } from "./account.ts";
import { configSecrets } from "./_config.ts";
import { accountFiles, exists, resolveDataDir } from "./_paths.ts";
import { loadAccount } from "./load_account.ts";
import type { OperatorOptions } from "./operator_result.ts";

export const DEFAULT_REASON = "operator command (no reason given)";

export interface OperatorContext {
  log: AuditLog;
  /** The account's config, or null when account.json is broken (a kill must never wait for a config fix). */
  account: Account | null;
  /** The trading state rebuilt from the log, as a lib/risk state (only `tradingState` and `reason` matter). */
  state: RiskState;
  now: number;
  reason: string;
  /** Seqs of the `reconciliation` events still waiting for an `operator_ack`, oldest first. */
  pendingReconciliations: readonly number[];
}

/** Yields the events while remembering the reason of the last pause or kill (replay does not keep it). */
function* tap(events: Iterable<AuditEvent>, seen: { reason: string }): Generator<AuditEvent> {
  for (const e of events) {
    if (e.kind === "pause" || e.kind === "kill") seen.reason = e.payload.reason;
    yield e;
  }
}

export function withOperatorContext<T>(options: OperatorOptions, fn: (ctx: OperatorContext) => T): T {
  const dataDir = resolveDataDir(options.dataDir);
  const files = accountFiles(dataDir, options.name);
  let account: Account | null = null;
  try {
    account = loadAccount({ dataDir, name: options.name });
  } catch (e) {
    // A broken or missing account.json is no reason to refuse a pause or a kill while there is a log to write to.
    const noConfig = e instanceof Error && (e.name === "ConfigError" || e instanceof RangeError);
    if (!noConfig || !exists(files.log)) throw e;
  }
  if (!exists(files.log)) {
    throw new RangeError(
      `account ${JSON.stringify(options.name)} has no audit log at ${files.log}; create the account with ` +
        `\`deno task account create --name ${options.name}\``,
    );
  }
  const secrets = account ? configSecrets(account.config) : [];
  // Scrubbed here, not only in the log: the reason is echoed back in the command's message.
  const reason = redactSecrets(options.reason?.trim() || DEFAULT_REASON, secrets);
  if (reason.length > 1_000) throw new RangeError(`reason is ${reason.length} characters: keep it to 1,000`);
  using log = AuditLog.open({ dataDir, account: options.name, secrets });
  const seen = { reason: "" };
  const replayed = replay(tap(log.events(), seen));
  const fresh = createRiskState({ account: options.name, cash: 0, now: options.now ?? Date.now() });
  const state: RiskState = {
    ...fresh,
    tradingState: replayed.tradingState,
    reason: replayed.tradingState === "active" ? "" : seen.reason,
  };
  return fn({
    log,
    account,
    state,
    now: options.now ?? Date.now(),
    reason,
    pendingReconciliations: replayed.unacknowledgedReconciliations,
  });
}
