import type { z } from "zod";
import { type Notification, NotificationSchema } from "./notification.ts";

/** A notification redacted and validated, or why it was refused (field paths and rules, never the values). */
export type Prepared = { ok: true; value: Notification } | { ok: false; error: string };

/** Validates an already redacted copy (so an invalid notification's text never reaches an error message). */
export function validate(redacted: unknown): Prepared {
  const parsed = NotificationSchema.safeParse(redacted);
  if (parsed.success) return { ok: true, value: parsed.data };
  return { ok: false, error: `notification refused (${describeIssues(parsed.error.issues)}); fix the caller` };
}

/** `path: message` of each issue, joined; zod's messages name the rule, not the value seen. */
export function describeIssues(issues: readonly z.core.$ZodIssue[]): string {
  return issues.map((i) => `${i.path.length ? i.path.join(".") : "(root)"}: ${i.message}`).join("; ");
}

/** The default error reporter: one line on stderr. */
export function writeStderr(line: string): void {
  const bytes = new TextEncoder().encode(line + "\n");
  let off = 0;
  while (off < bytes.length) off += Deno.stderr.writeSync(bytes.subarray(off));
}
