/**
 * A new run id for a run whose manifest hashes to `manifestHash` (hex; its first 8 digits are used).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { newRunId } from "./new_run_id.ts";
 * import { parseRunId } from "./parse_run_id.ts";
 * const id = newRunId("1a2b3c4d5e6f", new Date(Date.UTC(2024, 0, 2, 3, 4, 5, 678)));
 * assert.match(id, /^20240102T030405678Z-1a2b3c4d-[0-9a-f]{4}$/);
 * assert.equal(parseRunId(id), id);
 * ```
 */
export function newRunId(manifestHash: string, now: Date = new Date()): string {
  const hash = String(manifestHash).toLowerCase();
  if (!/^[0-9a-f]{8,}$/.test(hash)) {
    throw new RangeError(`newRunId: manifest hash must be at least 8 hex digits, got ${JSON.stringify(manifestHash)}`);
  }
  const t = now.getTime();
  if (!Number.isFinite(t)) throw new RangeError(`newRunId: invalid date ${String(now)}`);
  const stamp = now.toISOString().replace(/[-:]/g, "").replace(".", "");
  const tail = crypto.getRandomValues(new Uint16Array(1))[0]!.toString(16).padStart(4, "0");
  return `${stamp}-${hash.slice(0, 8)}-${tail}`;
}
