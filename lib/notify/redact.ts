/** What replaces a secret. */
const MASK = "[REDACTED]";
/** Deeper structures are cut: notification data is meant to be a few flat facts. */
const MAX_DEPTH = 8;

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
  const sorted = secrets.filter((s) => s.length > 0).sort((a, b) => b.length - a.length);
  return copy(value, sorted, 0, new WeakSet());
}

function mask(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const s of secrets) if (out.includes(s)) out = out.replaceAll(s, MASK);
  return out;
}

function copy(value: unknown, secrets: readonly string[], depth: number, seen: WeakSet<object>): unknown {
  switch (typeof value) {
    case "string":
      return mask(value, secrets);
    case "number":
      return Number.isFinite(value) ? value : null;
    case "boolean":
      return value;
    case "bigint":
      return mask(value.toString(), secrets);
    case "undefined":
    case "function":
    case "symbol":
      return undefined;
  }
  if (value === null) return null;
  const obj = value as object;
  if (obj instanceof Date) return Number.isNaN(obj.getTime()) ? null : obj.toISOString();
  if (depth >= MAX_DEPTH) return "[Too deep]";
  if (seen.has(obj)) return "[Circular]";
  seen.add(obj);
  try {
    if (Array.isArray(obj)) {
      return obj.map((v) => {
        const c = copy(v, secrets, depth + 1, seen);
        return c === undefined ? null : c;
      });
    }
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(obj)) {
      const c = copy(v, secrets, depth + 1, seen);
      if (c !== undefined) out[mask(k, secrets)] = c;
    }
    return out;
  } finally {
    // A reference seen twice in sibling branches is not a cycle; only an ancestor is.
    seen.delete(obj);
  }
}
