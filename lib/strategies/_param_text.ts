import type { ParamField } from "./param_fields.ts";

/** A value of one strategy parameter: numbers for numeric params, words for enums and strings, booleans for flags. */
export type GridValue = number | boolean | string;

const DECIMAL = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:e[+-]?\d+)?$/i;
const TRUE_WORDS = new Set(["true", "1", "yes", "on"]);
const FALSE_WORDS = new Set(["false", "0", "no", "off"]);

/** True when `text` is a plain decimal number (no hex, no Infinity, no empty text). */
export function isDecimalText(text: string): boolean {
  return DECIMAL.test(text.trim());
}

/**
 * Text typed on a command line or in a form (`fast=10`, `flag=on`) converted to the field's type; text that is not of
 * the type stays text, so the strict check of {@link paramValueProblem} reports it.
 */
export function typedParamText(field: ParamField | undefined, text: string): GridValue {
  const t = text.trim();
  if (field === undefined) return t;
  if ((field.type === "int" || field.type === "float") && DECIMAL.test(t)) return Number(t);
  if (field.type === "bool") {
    const w = t.toLowerCase();
    if (TRUE_WORDS.has(w)) return true;
    if (FALSE_WORDS.has(w)) return false;
  }
  return t;
}

function typeText(f: ParamField): string {
  if (f.type === "int") return "an integer (a JSON number, no quotes)";
  if (f.type === "float") return "a number (a JSON number, no quotes)";
  if (f.type === "bool") return "true or false (JSON booleans, no quotes)";
  if (f.type === "string") return stringRuleText(f);
  return `one of ${(f.options ?? []).map((o) => JSON.stringify(o)).join(", ")}`;
}

function show(v: unknown): string {
  return typeof v === "string" ? `the text ${JSON.stringify(v)}` : JSON.stringify(v) ?? String(v);
}

/**
 * What a string param accepts, in words: `text`, `text of 1 to 200 characters matching /^[a-z_]+$/`.
 */
export function stringRuleText(f: ParamField): string {
  const lo = f.minLength, hi = f.maxLength;
  const length = lo !== undefined && hi !== undefined
    ? lo === hi ? ` of ${lo} characters` : ` of ${lo} to ${hi} characters`
    : lo !== undefined
    ? ` of at least ${lo} characters`
    : hi !== undefined
    ? ` of at most ${hi} characters`
    : "";
  return `text${length}${f.pattern === undefined ? "" : ` matching /${f.pattern}/`}`;
}

/** True when text `s` meets a string param's length and pattern (zod's own rules: the pattern searches `s`). */
function stringOk(f: ParamField, s: string): boolean {
  if (f.minLength !== undefined && s.length < f.minLength) return false;
  if (f.maxLength !== undefined && s.length > f.maxLength) return false;
  return f.pattern === undefined || new RegExp(f.pattern).test(s);
}

/**
 * Why `v` is not a value of `field` (its JSON type, then its range), or undefined when it is one. Strict: the text
 * `"10"` is not a number (convert text first with {@link typedParamText}).
 */
export function paramValueProblem(strategy: string, field: ParamField, v: unknown): string | undefined {
  const f = field;
  const typed = f.type === "int" || f.type === "float"
    ? typeof v === "number" && Number.isFinite(v)
    : f.type === "bool"
    ? typeof v === "boolean"
    : f.type === "string"
    ? typeof v === "string" && stringOk(f, v)
    : typeof v === "string" && (f.options ?? []).includes(v);
  if (!typed) return `${strategy} ${f.name} must be ${typeText(f)}; got ${show(v)}`;
  if (typeof v !== "number") return undefined;
  const bad = (f.type === "int" && !Number.isInteger(v)) ||
    (f.min !== undefined && (f.minExclusive ? v <= f.min : v < f.min)) ||
    (f.max !== undefined && (f.maxExclusive ? v >= f.max : v > f.max));
  if (!bad) return undefined;
  const lo = f.min === undefined ? "" : `${f.minExclusive ? ">" : ">="} ${f.min}`;
  const hi = f.max === undefined ? "" : `${f.maxExclusive ? "<" : "<="} ${f.max}`;
  return `${strategy} ${f.name} must be ${f.type === "int" ? "an integer" : "a number"}${
    lo || hi ? ` ${[lo, hi].filter(Boolean).join(" and ")}` : ""
  }; got ${v}`;
}
