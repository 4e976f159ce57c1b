// A tiny zod validator middleware on top of hono/validator (@hono/zod-validator is not installed).
import type { ValidationTargets } from "hono";
import { validator } from "hono/validator";
import type { z } from "zod";
import { HttpError, zodIssues } from "./_errors.ts";

/**
 * Validates one part of the request (`json`, `query`, `param`, `form`) with a zod schema; a
 * failure is a 400 whose issues say where (`query.page`) and what. Handlers read the typed
 * value with `c.req.valid(target)`.
 */
export const zv = <T extends keyof ValidationTargets, S extends z.ZodType>(target: T, schema: S) =>
  validator(target, (value) => {
    const r = schema.safeParse(value);
    if (!r.success) throw new HttpError(400, `invalid ${target}`, zodIssues(r.error, target));
    return r.data as z.output<S>;
  });

/** Parses a value with a schema, throwing a 400 with the issues under `prefix`. */
export function parseOr400<S extends z.ZodType>(schema: S, value: unknown, prefix: string): z.output<S> {
  const r = schema.safeParse(value);
  if (!r.success) throw new HttpError(400, `invalid ${prefix}`, zodIssues(r.error, prefix));
  return r.data as z.output<S>;
}
