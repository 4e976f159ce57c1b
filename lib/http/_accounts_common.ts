// What the account pages, the accounts API and the live streams share: the accounts' data dir, a checked account
// name, the accounts list rows, the last events of a log, and an event's one-line summary.
import { accountStatus, type AccountSummary, listAccountConfigs } from "../accounts/mod.ts";
import { type AuditEvent, AuditLog } from "../audit/mod.ts";
import { AccountNameSchema } from "../types/mod.ts";
import { HttpError } from "./_errors.ts";
import type { Lab } from "./_lab.ts";

/** The data dir accounts live under (`<data dir>/_accounts`): the store's folder, as jobs and runs. */
export function accountsDataDir(lab: Lab): string {
  return lab.store.dir;
}

/**
 * The account named in the path, checked: a malformed name is a 400 naming the rule, an unknown one a 404 naming
 * the known accounts.
 */
export function knownAccount(lab: Lab, name: string): string {
  const r = AccountNameSchema.safeParse(name);
  if (!r.success) {
    throw new HttpError(400, `invalid account name ${JSON.stringify(name)}`, [{
      path: ["name"],
      message: r.error.issues[0]?.message ?? "bad account name",
    }]);
  }
  const all = listAccountConfigs({ dataDir: accountsDataDir(lab) });
  if (!all.some((a) => a.name === name)) {
    const known = all.map((a) => a.name);
    throw new HttpError(
      404,
      `no account ${JSON.stringify(name)}; known accounts: ${
        known.length ? known.join(", ") : "none (create one with `deno task account create --name NAME`)"
      }`,
    );
  }
  return name;
}

/** One row of the accounts list: its summary and status, or why the status cannot be read. */
export interface AccountRow {
  summary: AccountSummary;
  status: ReturnType<typeof accountStatus> | null;
  error: string | null;
}

/** Every account with its status (an account whose log cannot be read is listed with the error). */
export function accountRows(lab: Lab): AccountRow[] {
  const dataDir = accountsDataDir(lab);
  return listAccountConfigs({ dataDir }).map((summary) => {
    try {
      return { summary, status: accountStatus({ dataDir, name: summary.name }), error: null };
    } catch (e) {
      return { summary, status: null, error: e instanceof Error ? e.message : String(e) };
    }
  });
}

/** The last `n` audit events of an account, oldest first. */
export function lastEvents(lab: Lab, name: string, n: number): AuditEvent[] {
  using log = AuditLog.open({ dataDir: accountsDataDir(lab), account: name, readOnly: true });
  const head = log.head().seq;
  return log.query({ afterSeq: Math.max(0, head - n), limit: n });
}

// Payload fields a summary shows, in this order (operator_ack and reconciliation ones last).
const SUMMARY_KEYS = [
  "by",
  "reason",
  "symbol",
  "side",
  "qty",
  "price",
  "close",
  "code",
  "ok",
  "flatten",
  "mode",
  "trigger",
  "reconciliationSeq",
  "operator",
  "note",
] as const;

/** A one-line summary of an event's payload for tables (no secrets: payloads are scrubbed at append). */
export function eventSummary(e: AuditEvent): string {
  const p = e.payload as Record<string, unknown>;
  const parts: string[] = [];
  for (const k of SUMMARY_KEYS) {
    const v = p[k];
    if (v !== undefined && v !== "" && (typeof v !== "object" || v === null)) parts.push(`${k}=${String(v)}`);
  }
  const s = parts.join(" ");
  return s.length > 160 ? `${s.slice(0, 157)}...` : s;
}

/** The last bar the runner logged for one symbol. */
export interface LastBarSeen {
  symbol: string;
  timeframe: string;
  /** The bar's own time (its open), epoch ms. */
  ts: number;
  close: number;
  /** When the runner logged it (the event's decision time). */
  seenAt: number;
  seq: number;
}
