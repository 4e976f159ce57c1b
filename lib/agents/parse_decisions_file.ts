import { type AuditEvent, type AuditEventOf, AuditEventSchema } from "../audit/audit_event.ts";

/**
 * The `decision` events of an agent run's `decisions.jsonl` (one stored audit event a line; other kinds and blank
 * lines are skipped), as the lab's agents pages and the MCP `get_agent_run` tool read them. A line that is not JSON
 * or not an audit event throws naming the run and the line. Imports only the audit event schema, so readers load
 * it without the Anthropic SDK.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { parseDecisionsFile } from "./parse_decisions_file.ts";
 * assert.deepEqual(parseDecisionsFile("\n", "r1"), []);
 * assert.throws(() => parseDecisionsFile("{oops", "r1"), /run r1: decisions.jsonl line 1 is not JSON/);
 * ```
 */
export function parseDecisionsFile(text: string, runId: string): AuditEventOf<"decision">[] {
  const out: AuditEventOf<"decision">[] = [];
  const lines = text.split("\n");
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!.trim();
    if (line === "") continue;
    let json: unknown;
    try {
      json = JSON.parse(line);
    } catch (e) {
      throw new Error(
        `run ${runId}: decisions.jsonl line ${i + 1} is not JSON (${(e as Error).message}); the file is damaged`,
      );
    }
    const r = AuditEventSchema.safeParse(json);
    if (!r.success) {
      const issue = r.error.issues[0]!;
      throw new Error(
        `run ${runId}: decisions.jsonl line ${i + 1} is not an audit event (${issue.path.join(".")}: ${issue.message})`,
      );
    }
    const e = r.data as AuditEvent;
    if (e.kind === "decision") out.push(e as AuditEventOf<"decision">);
  }
  return out;
}
