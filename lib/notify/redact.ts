import { createRedactor } from "./_redactor.ts";

/**
 * A copy of `value` with every occurrence of every secret replaced by `[REDACTED]`, in strings and object keys,
 * at any depth. The copy is JSON-shaped (what `JSON.stringify` would keep): a `Date` becomes its ISO string, a
 * bigint its decimal string, functions, symbols and `undefined` members are left out, a repeated reference is
 * `"[Circular]"` and anything deeper than 8 levels `"[Too deep]"`. Secrets are matched longest first, so a
 * secret that contains another is masked whole. Empty secrets are ignored.
 *
 * This masks the secrets it is given, nothing else: it does not guess that a field named `apiKey` is secret.
 * Keep environments and config objects out of what you pass through it.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { redact } from "./mod.ts";
 * const token = "xoxb-123456";
 * assert.equal(redact(`auth failed for ${token}`, [token]), "auth failed for [REDACTED]");
 * assert.deepEqual(redact({ detail: [token], n: 1 }, [token]), { detail: ["[REDACTED]"], n: 1 });
 * ```
 */
export function redact(value: string, secrets: readonly string[]): string;
export function redact(value: unknown, secrets: readonly string[]): unknown;
export function redact(value: unknown, secrets: readonly string[]): unknown {
  return createRedactor(secrets)(value);
}
