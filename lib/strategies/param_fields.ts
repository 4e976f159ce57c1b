import { z } from "zod";
import type { AnyStrategy } from "./strategy.ts";

/** Kinds of parameter a strategy form or a sweep grid can hold. */
export type ParamType = "int" | "float" | "bool" | "enum" | "string";

/** One parameter of a strategy, described for forms (web lab) and grid validation (sweeps). */
export interface ParamField {
  name: string;
  type: ParamType;
  /** The value used when the parameter is not given. */
  default: number | boolean | string;
  /** Lower bound (inclusive unless `minExclusive`); absent when unbounded. */
  min?: number;
  /** Upper bound (inclusive unless `maxExclusive`); absent when unbounded. */
  max?: number;
  minExclusive?: boolean;
  maxExclusive?: boolean;
  /** Step hint for forms and grids: the schema's `meta({ step })`, else 1 for ints. */
  step?: number;
  /** Allowed values of an enum. */
  options?: string[];
  /**
   * A string param's regex (the schema's `.regex()`, JSON Schema's `pattern`): ECMAScript source, no flags, matched
   * anywhere in the value unless anchored (`^...$`), as `new RegExp(pattern).test(value)`.
   */
  pattern?: string;
  /** A string param's shortest length (`.min()`). */
  minLength?: number;
  /** A string param's longest length (`.max()`). */
  maxLength?: number;
  /** The schema's description (`.describe()` or `meta({ description })`); empty when absent. */
  description: string;
}

// JSON Schema puts z.int()'s implicit safe-integer bounds in minimum/maximum; they are not real limits.
const SAFE = Number.MAX_SAFE_INTEGER;

/**
 * Describes each parameter of `strategy`: name, type, default, range, step hint, description.
 *
 * The schema must be a `z.object` whose fields are numbers (`.int()` for integers), booleans,
 * string enums or strings (free text such as a list of names, optionally with one `.regex()`
 * without flags and `.min()`/`.max()` lengths), each with `.default()`; anything else throws a
 * TypeError naming the field.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { paramFields } from "./param_fields.ts";
 * import { smaCross } from "./sma_cross.ts";
 * const [fast] = paramFields(smaCross);
 * assert.equal(fast!.name, "fast");
 * assert.equal(fast!.type, "int");
 * assert.equal(fast!.default, 10);
 * assert.equal(fast!.min, 1);
 * ```
 */
export function paramFields(strategy: AnyStrategy): ParamField[] {
  const schema = strategy.params as unknown;
  if (!(schema instanceof z.ZodObject)) {
    throw new TypeError(
      `strategy ${JSON.stringify(strategy.name)}: params must be a z.object(...) of defaulted fields, got ${
        (schema as object)?.constructor?.name ?? typeof schema
      }`,
    );
  }
  const out: ParamField[] = [];
  for (const [name, field] of Object.entries(schema.shape as Record<string, z.ZodType>)) {
    out.push(describeField(strategy.name, name, field));
  }
  return out;
}

function describeField(strategy: string, name: string, field: z.ZodType): ParamField {
  const where = `strategy ${JSON.stringify(strategy)}, param ${JSON.stringify(name)}`;
  let json: Record<string, unknown>;
  try {
    json = z.toJSONSchema(field, { io: "input" }) as Record<string, unknown>;
  } catch (e) {
    throw new TypeError(`${where}: cannot describe its schema (${(e as Error).message})`);
  }
  if (!("default" in json)) {
    throw new TypeError(`${where} has no default; give it .default(value) so params.parse({}) works`);
  }
  const description = typeof json.description === "string" ? json.description : "";
  const step = typeof json.step === "number" ? json.step : undefined;
  const dflt = json.default;
  if (Array.isArray(json.enum) && json.enum.every((v) => typeof v === "string")) {
    return { name, type: "enum", default: dflt as string, options: json.enum as string[], description };
  }
  if (json.type === "string") return describeString(where, name, field, json, dflt, description);
  if (json.type === "boolean") return { name, type: "bool", default: dflt as boolean, description };
  if (json.type === "integer" || json.type === "number") {
    const f: ParamField = {
      name,
      type: json.type === "integer" ? "int" : "float",
      default: dflt as number,
      description,
    };
    if (typeof json.minimum === "number" && json.minimum > -SAFE) f.min = json.minimum;
    if (typeof json.exclusiveMinimum === "number") {
      f.min = json.exclusiveMinimum;
      f.minExclusive = true;
    }
    if (typeof json.maximum === "number" && json.maximum < SAFE) f.max = json.maximum;
    if (typeof json.exclusiveMaximum === "number") {
      f.max = json.exclusiveMaximum;
      f.maxExclusive = true;
    }
    f.step = step ?? (f.type === "int" ? 1 : undefined);
    if (f.step === undefined) delete f.step;
    return f;
  }
  throw new TypeError(
    `${where}: type ${
      JSON.stringify(json.type ?? "unknown")
    } is not supported; use z.number() (with .int() for integers), z.boolean(), z.enum([...]) or z.string()`,
  );
}

function describeString(
  where: string,
  name: string,
  field: z.ZodType,
  json: Record<string, unknown>,
  dflt: unknown,
  description: string,
): ParamField {
  if (Array.isArray(json.allOf)) {
    throw new TypeError(
      `${where} has several .regex() checks; combine them into one regex (forms and grids carry one pattern)`,
    );
  }
  const flagged = regexFlags(field);
  if (flagged !== undefined) {
    // zod's JSON Schema drops a regex's flags, so the pattern forms and grids see would not be the one zod checks.
    throw new TypeError(
      `${where}: its regex ${flagged} has flags, which a param pattern cannot carry; write it without flags ` +
        `(e.g. [A-Za-z] for /i)`,
    );
  }
  const f: ParamField = { name, type: "string", default: dflt as string, description };
  if (typeof json.pattern === "string") f.pattern = json.pattern;
  if (typeof json.minLength === "number") f.minLength = json.minLength;
  if (typeof json.maxLength === "number") f.maxLength = json.maxLength;
  return f;
}

/** The first regex check of a string schema (under its default/optional wrappers) that has flags, as `/src/flags`. */
function regexFlags(field: z.ZodType): string | undefined {
  // zod 4 keeps checks on the innermost type; wrappers (default, optional, readonly) hold it as `innerType`.
  let def = (field as unknown as { _zod: { def: ZodDefLike } })._zod.def;
  for (let depth = 0; def.innerType !== undefined && depth < 8; depth++) def = def.innerType._zod.def;
  for (const check of def.checks ?? []) {
    const re = check._zod.def.pattern;
    if (re instanceof RegExp && re.flags !== "") return String(re);
  }
  return undefined;
}

interface ZodDefLike {
  innerType?: { _zod: { def: ZodDefLike } };
  checks?: { _zod: { def: { pattern?: unknown } } }[];
}
