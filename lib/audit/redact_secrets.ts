/** The text that replaces a secret. */
export const REDACTED = "[redacted]";

/**
 * A deep copy of `value` in which every occurrence of each secret inside a string (values and object keys) is
 * replaced by `[redacted]`. The audit log runs it on every payload when opened with `secrets`, so a key that
 * slipped into an error message or an options object never reaches the file. Secrets shorter than 4 characters
 * are refused (they would redact ordinary words).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { redactSecrets } from "./redact_secrets.ts";
 * const out = redactSecrets({ error: "401 for key sk-live-123456", n: 1 }, ["sk-live-123456"]);
 * assert.deepEqual(out, { error: "401 for key [redacted]", n: 1 });
 * ```
 */
export function redactSecrets<T>(value: T, secrets: readonly string[]): T {
  const list = secrets.filter((s) => s !== "");
  for (const s of list) {
    if (typeof s !== "string" || s.length < 4) {
      throw new RangeError(
        `redactSecrets: a secret of ${typeof s === "string" ? s.length : typeof s} characters is too short ` +
          "to redact safely; pass secrets of 4 characters or more",
      );
    }
  }
  if (list.length === 0) return value;
  // Longest first, so a secret containing another is removed whole.
  list.sort((a, b) => b.length - a.length);
  return walk(value, list) as T;
}

function scrub(s: string, secrets: readonly string[]): string {
  let out = s;
  for (const secret of secrets) if (out.includes(secret)) out = out.replaceAll(secret, REDACTED);
  return out;
}

function walk(v: unknown, secrets: readonly string[]): unknown {
  if (typeof v === "string") return scrub(v, secrets);
  if (Array.isArray(v)) return v.map((x) => walk(x, secrets));
  if (v !== null && typeof v === "object") {
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) out[scrub(k, secrets)] = walk(x, secrets);
    return out;
  }
  return v;
}
