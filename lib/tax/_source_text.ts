import type { LedgerEvent } from "./ledger_event.ts";

/** Where an event came from, as one short text ("trades.csv:12", "account paper-1 seq 45", "event e7"). */
export function sourceText(event: LedgerEvent): string {
  const s = event.source;
  const parts: string[] = [];
  if (s.file !== undefined) parts.push(s.line === undefined ? s.file : `${s.file}:${s.line}`);
  else if (s.line !== undefined) parts.push(`line ${s.line}`);
  if (s.account !== undefined) {
    parts.push(s.seq === undefined ? `account ${s.account}` : `account ${s.account} seq ${s.seq}`);
  }
  if (s.ref !== undefined) parts.push(`ref ${s.ref}`);
  return parts.length === 0 ? `event ${event.id}` : parts.join(", ");
}
