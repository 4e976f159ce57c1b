// JSON under /api/accounts: the accounts, one account's status, its audit events (paged) and the operator's
// pause / resume / kill. Shared helpers for the pages under /accounts live here too.
import { Hono } from "hono";
import { z } from "zod";
import {
  accountStatus,
  type AccountSummary,
  killAccount,
  listAccountConfigs,
  type OperatorResult,
  pauseAccount,
  resumeAccount,
} from "../accounts/mod.ts";
import { AUDIT_KINDS, type AuditEvent, type AuditKind, AuditLog } from "../audit/mod.ts";
import { AccountNameSchema } from "../types/mod.ts";
import { HttpError } from "./_errors.ts";
import type { Lab } from "./_lab.ts";
import { zv } from "./_validate.ts";

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

/** A one-line summary of an event's payload for tables (no secrets: payloads are scrubbed at append). */
export function eventSummary(e: AuditEvent): string {
  const p = e.payload as Record<string, unknown>;
  const parts: string[] = [];
  for (const k of ["by", "reason", "symbol", "side", "qty", "price", "close", "code", "ok", "flatten", "mode"]) {
    const v = p[k];
    if (v !== undefined && v !== "" && (typeof v !== "object" || v === null)) parts.push(`${k}=${String(v)}`);
  }
  const s = parts.join(" ");
  return s.length > 160 ? `${s.slice(0, 157)}...` : s;
}

/** The operator commands the lab offers. */
export type OperatorAction = "pause" | "resume" | "kill";

/** Form and JSON body of the operator commands (one schema: unknown fields refused). */
export const OperatorBodySchema = z.strictObject({
  reason: z.string().trim().max(500).optional().describe("why (recorded in the event)"),
  confirmAccount: z.string().max(100).optional().describe("resume after a kill: the account name typed again"),
  flatten: z.boolean().optional().describe("kill: ask the runner to close every position"),
});

/** Runs one operator command on a known account. */
export function runOperator(
  lab: Lab,
  name: string,
  action: OperatorAction,
  body: z.output<typeof OperatorBodySchema>,
): OperatorResult {
  const dataDir = accountsDataDir(lab);
  const reason = body.reason ? body.reason : undefined;
  if (action === "pause") return pauseAccount({ dataDir, name, reason });
  if (action === "kill") return killAccount({ dataDir, name, reason, flatten: body.flatten });
  const confirm = body.confirmAccount?.trim();
  return resumeAccount({ dataDir, name, reason, confirmAccount: confirm ? confirm : undefined });
}

const EventsQuerySchema = z.strictObject({
  afterSeq: z.coerce.number().int().min(0).optional().describe("events with seq above this (the paging cursor)"),
  limit: z.coerce.number().int().min(1).max(1000).optional().describe("most events (default 100)"),
  kind: z.enum(AUDIT_KINDS as [AuditKind, ...AuditKind[]]).optional().describe("one event kind"),
});

/** JSON under /api/accounts. */
export function accountsApi(lab: Lab): Hono {
  const app = new Hono();

  app.get("/", (c) =>
    c.json({
      accounts: accountRows(lab).map((r) => ({
        name: r.summary.name,
        kind: r.summary.kind ?? null,
        quote: r.summary.quote ?? null,
        tradingState: r.status?.tradingState ?? null,
        equity: r.status?.equity ?? null,
        cash: r.status?.cash ?? null,
        chainOk: r.status ? r.status.audit.ok : null,
        error: r.error ?? r.summary.error ?? null,
        url: `/accounts/${r.summary.name}`,
      })),
    }));

  app.get("/:name", (c) => {
    const name = knownAccount(lab, c.req.param("name"));
    return c.json(accountStatus({ dataDir: accountsDataDir(lab), name }));
  });

  app.get("/:name/events", zv("query", EventsQuerySchema), (c) => {
    const name = knownAccount(lab, c.req.param("name"));
    const q = c.req.valid("query");
    const limit = q.limit ?? 100;
    using log = AuditLog.open({ dataDir: accountsDataDir(lab), account: name, readOnly: true });
    // One more than asked tells whether there is a next page.
    const got = log.query({ afterSeq: q.afterSeq ?? 0, limit: limit + 1, ...(q.kind ? { kind: q.kind } : {}) });
    const events = got.slice(0, limit);
    const more = got.length > limit;
    return c.json({ events, nextAfterSeq: more ? events[events.length - 1]!.seq : null });
  });

  for (const action of ["pause", "resume", "kill"] as const) {
    app.post(`/:name/${action}`, zv("json", OperatorBodySchema), (c) => {
      const name = knownAccount(lab, c.req.param("name"));
      return c.json(runOperator(lab, name, action, c.req.valid("json")));
    });
  }
  return app;
}
