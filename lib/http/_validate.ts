// A tiny zod validator middleware on top of hono/validator (@hono/zod-validator is not installed).
import type { ValidationTargets } from "hono";
import { validator } from "hono/validator";
import type { z } from "zod";
import { HttpError, type Issue, zodIssues } from "./_errors.ts";

/**
 * Own `__proto__` keys anywhere in a parsed body, as issues. JSON.parse makes them ordinary own
 * keys, but zod's records drop them silently (and assigning one elsewhere would swap an object's
 * prototype), so they are refused up front like any unknown field.
 */
export function protoIssues(value: unknown, prefix: (string | number)[] = [], depth = 0): Issue[] {
  if (value === null || typeof value !== "object" || depth > 32) return [];
  const out: Issue[] = [];
  for (const k of Object.keys(value)) {
    const path = [...prefix, Array.isArray(value) ? Number(k) : k];
    if (k === "__proto__") {
      out.push({ path, message: "__proto__ is not a field here; remove it", code: "unrecognized_keys" });
      continue;
    }
    out.push(...protoIssues((value as Record<string, unknown>)[k], path, depth + 1));
  }
  return out;
}

/**
 * Parses a value with a schema, throwing a 400 whose issues sit under `prefix` (`json.metric`);
 * no prefix for form submissions, whose issues name the form's fields.
 */
export function parseRequest<S extends z.ZodType>(schema: S, value: unknown, prefix?: string): z.output<S> {
  const where = prefix === undefined ? [] : [prefix];
  const proto = protoIssues(value, where);
  if (proto.length > 0) throw new HttpError(400, `invalid ${prefix ?? "request"}`, proto);
  const r = schema.safeParse(value);
  if (!r.success) throw new HttpError(400, `invalid ${prefix ?? "request"}`, zodIssues(r.error, prefix));
  return r.data as z.output<S>;
}

/**
 * Validates one part of the request (`json`, `query`, `param`, `form`) with a zod schema; a
 * failure is a 400 whose issues say where (`query.page`) and what. Handlers read the typed
 * value with `c.req.valid(target)`.
 */
export const zv = <T extends keyof ValidationTargets, S extends z.ZodType>(target: T, schema: S) =>
  validator(target, (value) => parseRequest(schema, value, target));

/** Parses a value with a schema, throwing a 400 with the issues under `prefix`. */
export function parseOr400<S extends z.ZodType>(schema: S, value: unknown, prefix: string): z.output<S> {
  return parseRequest(schema, value, prefix);
}
