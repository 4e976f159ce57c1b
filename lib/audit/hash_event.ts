import { hash } from "node:crypto";
import { canonicalJson } from "../types/mod.ts";
import type { AuditEvent } from "./audit_event.ts";

/** The first event's `prevHash`: 64 zeros. */
export const GENESIS_HASH: string = "0".repeat(64);

/**
 * The hash of an event: `sha256(prevHash + canonical JSON of the event without its hash)`, hex. The canonical JSON is
 * RFC 8785 (JCS: sorted keys, ECMAScript number text), so the hash does not depend on key order or on how a reader
 * re-serialises the payload. An absent `correlationId` is left out, never `null`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { GENESIS_HASH, hashEvent } from "./hash_event.ts";
 * const body = {
 *   seq: 1, ts: 0, account: "paper-1", runId: "r1", kind: "resume" as const,
 *   payload: { by: "operator" as const, reason: "start" }, prevHash: GENESIS_HASH,
 * };
 * const h = hashEvent(body);
 * assert.match(h, /^[0-9a-f]{64}$/);
 * assert.equal(hashEvent({ ...body, payload: { reason: "start", by: "operator" as const } }), h); // key order is irrelevant
 * assert.notEqual(hashEvent({ ...body, ts: 1 }), h);
 * ```
 */
export function hashEvent(event: Omit<AuditEvent, "hash"> | (AuditEvent & { hash?: string })): string {
  const { hash: _hash, ...body } = event as AuditEvent;
  return hash("sha256", event.prevHash + canonicalJson(body), "hex");
}
