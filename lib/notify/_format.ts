import type { Notification } from "./notification.ts";

/** `<ISO time> <LEVEL> <account> <kind> <title>: <detail>[ corr=<id>][ <data JSON>]`, on one line. */
export function formatLine(n: Notification): string {
  let line = `${new Date(n.ts).toISOString()} ${n.level.toUpperCase()} ${n.account} ${n.kind} ${n.title}: ${n.detail}`;
  if (n.correlationId !== undefined) line += ` corr=${n.correlationId}`;
  if (n.data !== undefined) line += ` ${JSON.stringify(n.data)}`;
  return oneLine(line);
}

/** Slack's incoming-webhook body: the console line as `text`. */
export function slackBody(n: Notification): { text: string } {
  return { text: formatLine(n) };
}

// deno-lint-ignore no-control-regex
const CONTROL = /[\u0000-\u001f\u007f]/g;

/** Control characters escaped so one notification cannot forge a second log line. */
function oneLine(text: string): string {
  return text.replace(CONTROL, (c) => c === "\n" ? "\\n" : c === "\r" ? "\\r" : c === "\t" ? " " : "?");
}
