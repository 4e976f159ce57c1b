import type { z } from "zod";

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
 * One clause per zod issue, `path: reason (got value)`, joined by "; ". Values under `notify` are not shown: a
 * webhook URL or header is a token.
 */
export function formatIssues(error: z.ZodError, input?: unknown): string {
  return error.issues.map((i) => {
    const path = i.path.map(String).join(".") || "(top level)";
    if (i.code === "unrecognized_keys") {
      const keys = (i as { keys: string[] }).keys.map((k) => JSON.stringify(k)).join(", ");
      return `${path}: unknown field ${keys} (remove it or fix its spelling)`;
    }
    if (input === undefined || i.code === "custom") return `${path}: ${i.message}`;
    const v = at(input, i.path);
    if (v === undefined && i.code !== "too_small" && i.code !== "too_big") return `${path}: missing (a required field)`;
    if (i.path[0] === "notify") return `${path}: ${i.message}`;
    return `${path}: ${i.message} (got ${show(v)})`;
  }).join("; ");
}
