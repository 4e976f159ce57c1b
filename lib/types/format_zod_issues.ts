import type { z } from "zod";

/** Options of {@link formatZodIssues}. */
export interface FormatZodIssuesOptions {
  /** Top-level fields whose values are never shown (a webhook URL or a header is a token). */
  hideValuesUnder?: readonly string[];
}

function at(input: unknown, path: readonly PropertyKey[]): unknown {
  let v = input;
  for (const k of path) {
    if (v === null || typeof v !== "object") return undefined;
    v = (v as Record<PropertyKey, unknown>)[k];
  }
  return v;
}

function show(v: unknown): string {
  const s = JSON.stringify(v);
  return s === undefined ? String(v) : s.length > 60 ? `${s.slice(0, 57)}...` : s;
}

/**
 * A config file's zod errors for people: one clause per issue, `path: reason (got value)`, joined by "; ", with
 * unknown keys and missing fields named, so the user finds the field and the fix. `input` (the parsed JSON) lets
 * the clauses show the value seen.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { z } from "zod";
 * import { formatZodIssues } from "./format_zod_issues.ts";
 * const S = z.strictObject({ limit: z.number().max(1), url: z.string().url() });
 * const input = { limit: 20, url: "nope", extra: 1 };
 * const r = S.safeParse(input);
 * assert.ok(!r.success);
 * const text = formatZodIssues(r.error, input, { hideValuesUnder: ["url"] });
 * assert.match(text, /limit: .* \(got 20\)/);
 * assert.match(text, /unknown field "extra"/);
 * assert.ok(!text.includes("nope"));
 * ```
 */
export function formatZodIssues(error: z.ZodError, input?: unknown, options: FormatZodIssuesOptions = {}): string {
  const hidden = new Set(options.hideValuesUnder ?? []);
  return error.issues.map((i) => {
    const path = i.path.map(String).join(".") || "(top level)";
    if (i.code === "unrecognized_keys") {
      const keys = (i as { keys: string[] }).keys.map((k) => JSON.stringify(k)).join(", ");
      return `${path}: unknown field ${keys} (remove it or fix its spelling)`;
    }
    // Custom issues (cross-field checks) name their values themselves.
    if (input === undefined || i.code === "custom") return `${path}: ${i.message}`;
    const v = at(input, i.path);
    if (v === undefined && i.code !== "too_small" && i.code !== "too_big") return `${path}: missing (a required field)`;
    if (hidden.has(String(i.path[0]))) return `${path}: ${i.message}`;
    return `${path}: ${i.message} (got ${show(v)})`;
  }).join("; ");
}
