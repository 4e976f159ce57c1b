import type { AnyStrategy, PortfolioStrategy, Strategy } from "./strategy.ts";
import { type ParamField, paramFields } from "./param_fields.ts";
import { ParamError, type ParamIssue } from "./param_error.ts";
import { stringRuleText } from "./_param_text.ts";

/**
 * Parses raw parameters (CLI flags, query strings, JSON) into the strategy's typed params.
 *
 * - Strings are coerced by the field's type: `"20"` to 20, `"0.5"` to 0.5, `"true"`/`"false"`
 *   (also `1/0`, `yes/no`, `on/off`) to booleans; an enum takes the trimmed string; a string
 *   param takes the string exactly as given (`personas=a,b`) and the schema checks its pattern
 *   and length, e.g. `llm_debate: personas must be text matching /^[a-z_]+(,[a-z_]+)*$/ (got "a;b")`.
 * - Missing (or `undefined`) params take their defaults.
 * - Every problem is reported at once in a {@link ParamError} (a RangeError), each naming the
 *   param, the value seen and what is allowed, e.g. `sma_cross: fast must be an integer from
 *   1 to 10000 (got 0)`, `sma_cross: fast must be < slow (got fast=50, slow=20)` or
 *   `unknown param "fats" for sma_cross; params are fast, slow`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { parseParams } from "./parse_params.ts";
 * import { smaCross } from "./sma_cross.ts";
 * assert.deepEqual(parseParams(smaCross, { fast: "5" }), { fast: 5, slow: 30 });
 * assert.throws(() => parseParams(smaCross, { fast: "50", slow: "20" }), /fast must be < slow \(got fast=50, slow=20\)/);
 * assert.throws(() => parseParams(smaCross, { fats: 5 }), /unknown param "fats" for sma_cross; params are fast, slow/);
 * ```
 */
export function parseParams<P>(strategy: Strategy<P> | PortfolioStrategy<P>, raw: Record<string, unknown>): P {
  if (raw === null || typeof raw !== "object" || Array.isArray(raw)) {
    throw new TypeError(
      `parseParams: raw params for ${strategy.name} must be an object of name -> value, got ${
        raw === null ? "null" : Array.isArray(raw) ? "an array" : typeof raw
      }`,
    );
  }
  const fields = paramFields(strategy as AnyStrategy);
  const byName = new Map(fields.map((f) => [f.name, f]));
  const issues: ParamIssue[] = [];
  const input: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(raw)) {
    const field = byName.get(name);
    if (field === undefined) {
      issues.push({
        param: name,
        message: `unknown param ${JSON.stringify(name)} for ${strategy.name}; params are ${
          fields.length ? fields.map((f) => f.name).join(", ") : "(none)"
        }`,
      });
      continue;
    }
    if (value === undefined) continue;
    const coerced = coerce(field, value);
    if (coerced === INVALID) {
      issues.push({ param: name, message: `${strategy.name}: ${name} must be ${allowed(field)} (got ${show(value)})` });
      continue;
    }
    input[name] = coerced;
  }
  if (issues.length > 0) throw new ParamError(strategy.name, issues);
  const result = strategy.params.safeParse(input);
  if (result.success) return result.data;
  const seen = new Set<string>();
  for (const issue of result.error.issues) {
    const head = issue.path[0];
    const param = typeof head === "string" ? head : null;
    const field = param === null ? undefined : byName.get(param);
    // Cross-field rules carry their own message (naming both values); field errors get ours.
    const message = issue.code === "custom" || field === undefined
      ? `${strategy.name}: ${issue.message}`
      : `${strategy.name}: ${param} must be ${allowed(field)} (got ${
        show(param! in input ? input[param!] : field.default)
      })`;
    if (seen.has(message)) continue;
    seen.add(message);
    issues.push({ param, message });
  }
  throw new ParamError(strategy.name, issues);
}

const INVALID = Symbol("invalid");

function coerce(field: ParamField, value: unknown): unknown {
  // A string param's spaces may be part of its value; zod, not us, decides what it accepts.
  if (typeof value !== "string" || field.type === "string") return value;
  const s = value.trim();
  switch (field.type) {
    case "int":
    case "float": {
      if (s === "") return INVALID;
      const x = Number(s);
      return Number.isNaN(x) ? INVALID : x;
    }
    case "bool": {
      const t = s.toLowerCase();
      if (t === "true" || t === "1" || t === "yes" || t === "on") return true;
      if (t === "false" || t === "0" || t === "no" || t === "off") return false;
      return INVALID;
    }
    case "enum":
      return s;
  }
}

/**
 * What a field accepts, in words: `an integer from 1 to 500`, `a number > 0`, `one of "a", "b"`,
 * `text matching /^[a-z_]+$/`.
 */
function allowed(f: ParamField): string {
  if (f.type === "bool") return "true or false";
  if (f.type === "string") return stringRuleText(f);
  if (f.type === "enum") return `one of ${(f.options ?? []).map((o) => JSON.stringify(o)).join(", ")}`;
  const what = f.type === "int" ? "an integer" : "a number";
  const lo = f.min !== undefined;
  const hi = f.max !== undefined;
  if (lo && hi && !f.minExclusive && !f.maxExclusive) return `${what} from ${f.min} to ${f.max}`;
  const parts: string[] = [];
  if (lo) parts.push(`${f.minExclusive ? ">" : ">="} ${f.min}`);
  if (hi) parts.push(`${f.maxExclusive ? "<" : "<="} ${f.max}`);
  return parts.length ? `${what} ${parts.join(" and ")}` : f.type === "int" ? what : "a finite number";
}

function show(v: unknown): string {
  return typeof v === "string" ? JSON.stringify(v) : typeof v === "bigint" ? `${v}n` : String(v);
}
