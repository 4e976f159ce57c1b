import { z } from "zod";
import { AUDIT_KINDS, AuditLog, listAccounts } from "../../audit/mod.ts";
import { defineTool, type McpTool, ProvenanceSchema, toolInput } from "../mcp_tool.ts";
import { parseTime } from "./_research.ts";

/** Most events one page holds. */
export const AUDIT_PAGE_MAX = 500;

const input = toolInput({
  account: z.string().min(1).describe("A paper or live account name (get_account needs the same)"),
  kinds: z.array(z.enum(AUDIT_KINDS as [string, ...string[]])).min(1).optional().describe(
    `Only these event kinds: ${AUDIT_KINDS.join(", ")}`,
  ),
  symbol: z.string().min(1).optional().describe(
    "Only events about this symbol, e.g. BTC/USDT (bars, signals, intents, fills; a bars event holding it)",
  ),
  correlationId: z.string().min(1).optional().describe("Only the events of one decision (bar, signal, orders)"),
  from: z.string().optional().describe("Events at or after this time, ISO UTC"),
  to: z.string().optional().describe("Events before this time, ISO UTC, exclusive"),
  afterSeq: z.number().int().min(0).default(0).describe("Events after this seq: pass nextAfterSeq to page on"),
  limit: z.number().int().min(1).max(AUDIT_PAGE_MAX).default(100).describe(
    `Events per page (default 100, at most ${AUDIT_PAGE_MAX})`,
  ),
});

const output = z.strictObject({
  account: z.string(),
  events: z.array(z.strictObject({
    seq: z.number().int(),
    time: z.string(),
    kind: z.string(),
    runId: z.string(),
    correlationId: z.string().nullable(),
    payload: z.record(z.string(), z.unknown()),
    hash: z.string(),
  })),
  nextAfterSeq: z.number().int().nullable().describe("afterSeq of the next page, null when none follows"),
  provenance: ProvenanceSchema,
});

type Input = typeof input;
type Output = typeof output;

/**
 * `query_audit_log`: an account's hash-chained audit events (opened read-only: never blocks the runner), filtered by
 * kind, symbol, decision and time, paged by seq.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { queryAuditLogTool } from "./query_audit_log.ts";
 * assert.equal(queryAuditLogTool.input.safeParse({ account: "p1", kinds: ["trade"] }).success, false);
 * ```
 */
export const queryAuditLogTool: McpTool<Input, Output> = defineTool({
  name: "query_audit_log",
  title: "Query an account's audit log",
  description: "Reads a paper or live account's audit log (every bar, signal, decision, risk verdict, order, fill, " +
    "pause, kill and config change, hash-chained) read-only, filtered by kinds, symbol, correlation id and from/to, " +
    `ordered by seq and paged with afterSeq (at most ${AUDIT_PAGE_MAX} events a page).`,
  input,
  output,
  // deno-lint-ignore require-await
  async run(args, ctx) {
    const from = parseTime("from", args.from), to = parseTime("to", args.to);
    let log: AuditLog;
    try {
      log = AuditLog.open({ dataDir: ctx.dataDir, account: args.account, readOnly: true });
    } catch (e) {
      const known = (() => {
        try {
          return listAccounts(ctx.dataDir);
        } catch {
          return [];
        }
      })();
      throw new RangeError(
        `account: ${(e as Error).message.split(" in /")[0]}; use one of: ${known.length ? known.join(", ") : "(none)"}`,
        { cause: e },
      );
    }
    try {
      const events = log.query({
        ...(args.kinds ? { kinds: args.kinds as (typeof AUDIT_KINDS)[number][] } : {}),
        ...(args.symbol !== undefined ? { symbol: args.symbol } : {}),
        ...(args.correlationId !== undefined ? { correlationId: args.correlationId } : {}),
        ...(from !== undefined ? { from } : {}),
        ...(to !== undefined ? { to } : {}),
        afterSeq: args.afterSeq,
        limit: args.limit + 1,
      });
      const page = events.slice(0, args.limit);
      const more = events.length > args.limit;
      const nextAfterSeq = more ? page.at(-1)!.seq : null;
      const span = page.length
        ? `seq ${page[0]!.seq}..${page.at(-1)!.seq}, ${new Date(page[0]!.ts).toISOString()} to ${
          new Date(page.at(-1)!.ts).toISOString()
        }`
        : "no events";
      return {
        structured: {
          account: args.account,
          events: page.map((e) => ({
            seq: e.seq,
            time: new Date(e.ts).toISOString(),
            kind: e.kind,
            runId: e.runId,
            correlationId: e.correlationId ?? null,
            payload: e.payload as Record<string, unknown>,
            hash: e.hash,
          })),
          nextAfterSeq,
          provenance: {
            note:
              `audit log of account ${args.account}, opened read-only (secrets were redacted when written); ${span}`,
            ...(more ? { capped: `page of ${args.limit} events; pass afterSeq=${nextAfterSeq} for the next` } : {}),
          },
        },
        text: `${page.length} audit event(s) of ${args.account} (${span})${
          more ? `; more with afterSeq=${nextAfterSeq}` : ""
        }.`,
      };
    } finally {
      log.close();
    }
  },
});
