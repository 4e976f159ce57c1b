// Strategy params and sweep grids of lab requests, checked strictly against the strategy's param
// fields before anything is queued: JSON numbers for numeric params (no "10"), booleans for
// flags, listed words for enums, values inside the field's range, no unknown names.
import { z } from "zod";
import { type AnyStrategy, type ParamField, paramFields } from "../strategies/mod.ts";
import { HttpError, type Issue } from "./_errors.ts";

/** Most combinations a web sweep may evaluate. */
export const MAX_COMBOS = 20_000;

/** A param name: letters, digits and `_`, starting with a letter (so never `__proto__`). */
export const ParamNameSchema = z.string().max(64).regex(
  /^[A-Za-z][A-Za-z0-9_]*$/,
  "a param name is letters, digits and _, starting with a letter",
);

/** One param value as JSON carries it. */
export const ParamValueSchema = z.union([z.number(), z.boolean(), z.string().max(64)]);

/** A value a grid may list for one param. */
export type GridValue = number | boolean | string;

function typeText(f: ParamField): string {
  if (f.type === "int") return "an integer (a JSON number, no quotes)";
  if (f.type === "float") return "a number (a JSON number, no quotes)";
  if (f.type === "bool") return "true or false (JSON booleans, no quotes)";
  return `one of ${(f.options ?? []).map((o) => JSON.stringify(o)).join(", ")}`;
}

function show(v: unknown): string {
  return typeof v === "string" ? `the text ${JSON.stringify(v)}` : JSON.stringify(v) ?? String(v);
}

/** Why `v` is not a value of `f` (type and range), or undefined when it is one. */
export function valueProblem(strategy: string, f: ParamField, v: unknown): string | undefined {
  const typed = f.type === "int" || f.type === "float"
    ? typeof v === "number" && Number.isFinite(v)
    : f.type === "bool"
    ? typeof v === "boolean"
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

/**
 * Type issues of raw params (`params.fast: must be an integer (a JSON number, no quotes); got
 * the text "10"`); unknown names, ranges and cross-field rules are left to lib/strategies'
 * parseParams, which reports them with the same paths.
 */
export function paramTypeIssues(strategy: AnyStrategy, raw: Record<string, unknown>): Issue[] {
  const byName = new Map(paramFields(strategy).map((f) => [f.name, f]));
  const issues: Issue[] = [];
  for (const [k, v] of Object.entries(raw)) {
    const f = byName.get(k);
    if (f === undefined || v === undefined) continue;
    // Ranges and enum words are parseParams' to report; here only the JSON type.
    const typed = f.type === "int" || f.type === "float"
      ? typeof v === "number"
      : f.type === "bool"
      ? typeof v === "boolean"
      : typeof v === "string";
    if (!typed) {
      issues.push({ path: ["params", k], message: valueProblem(strategy.name, f, v)!, code: "invalid_type" });
    }
  }
  return issues;
}

const DECIMAL = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:e[+-]?\d+)?$/i;

/**
 * Form text (`p.fast=10`) to the field's JSON type, so a form and a JSON body are checked by the
 * same strict rules; text that is not of the type stays text and is reported by them.
 */
export function typedFormValue(f: ParamField | undefined, text: string): GridValue {
  const t = text.trim();
  if (f === undefined) return t;
  if ((f.type === "int" || f.type === "float") && DECIMAL.test(t)) return Number(t);
  if (f.type === "bool" && (t === "true" || t === "false")) return t === "true";
  return t;
}

/**
 * One grid spec as values: a list (`[5, 10]`, typed like params), or text: `a..b` / `a..b:step`
 * (inclusive, numeric params only) or `a,b,c`. Problems go to `issues` under `grid.<name>`.
 */
export function gridValues(
  strategy: string,
  f: ParamField,
  spec: string | readonly GridValue[],
  issues: Issue[],
): GridValue[] {
  const path = ["grid", f.name];
  const numeric = f.type === "int" || f.type === "float";
  let values: GridValue[];
  if (typeof spec !== "string") {
    values = [...spec];
  } else {
    const t = spec.trim();
    const range = /^(.*?)\s*\.\.\s*([^:]*?)\s*(?::\s*(.*))?$/.exec(t);
    if (range) {
      if (!numeric) {
        issues.push({
          path,
          message: `${f.name} is ${f.type === "bool" ? "a flag" : "a choice"}: list its values, e.g. ${
            f.type === "bool" ? "true,false" : (f.options ?? []).join(",")
          }`,
        });
        return [];
      }
      const [a, b, step] = [range[1]!, range[2]!, range[3] ?? "1"];
      if (![a, b, step].every((x) => DECIMAL.test(x.trim()))) {
        issues.push({
          path,
          message: `${JSON.stringify(spec)}: a range is a..b or a..b:step with numbers, e.g. 5..50:5`,
        });
        return [];
      }
      const lo = Number(a), hi = Number(b), st = Number(step);
      if (st <= 0 || hi < lo) {
        issues.push({
          path,
          message: `${JSON.stringify(spec)}: write a..b:step with a <= b and step > 0, e.g. ${Math.min(lo, hi)}..${
            Math.max(lo, hi)
          }:${Math.abs(st) || 1}`,
        });
        return [];
      }
      const n = Math.floor((hi - lo) / st + 1e-9) + 1;
      if (n > MAX_COMBOS) {
        issues.push({
          path,
          message: `${JSON.stringify(spec)} is ${n} values; at most ${MAX_COMBOS}: use a larger step`,
        });
        return [];
      }
      // Multiply rather than accumulate so 0.1 steps do not drift.
      values = Array.from({ length: n }, (_, i) => Number((lo + i * st).toPrecision(12)));
    } else {
      const parts = t.split(",").map((s) => s.trim()).filter(Boolean);
      values = parts.map((p) => typedFormValue(f, p));
    }
  }
  if (values.length === 0) {
    issues.push({ path, message: `no values: give values like 5,10,20 or 5..50:5 (or leave ${f.name} out)` });
    return [];
  }
  let bad = 0;
  for (const v of values) {
    const problem = valueProblem(strategy, f, v);
    if (problem !== undefined && bad++ < 3) issues.push({ path, message: problem, code: "invalid_grid_value" });
  }
  return bad > 0 ? [] : [...new Set(values)];
}

/**
 * A request's grid checked against the strategy and expanded to value lists; a 400 listing every
 * problem (unknown params, bad text, values of the wrong type or out of range, too many
 * combinations). Empty text leaves the param at its default.
 */
export function parseGrid(
  strategy: AnyStrategy,
  grid: Record<string, string | readonly GridValue[]> | undefined,
): Record<string, GridValue[]> {
  const out: Record<string, GridValue[]> = {};
  const fields = paramFields(strategy);
  const byName = new Map(fields.map((f) => [f.name, f]));
  const issues: Issue[] = [];
  let combos = 1;
  for (const [k, v] of Object.entries(grid ?? {})) {
    const f = byName.get(k);
    if (f === undefined) {
      issues.push({
        path: ["grid", k],
        message: `unknown param ${JSON.stringify(k)} for ${strategy.name}; params are ${
          fields.map((x) => x.name).join(", ") || "(none)"
        }`,
      });
      continue;
    }
    if (typeof v === "string" && v.trim() === "") continue;
    const values = gridValues(strategy.name, f, v, issues);
    if (values.length === 0) continue;
    out[k] = values;
    combos *= values.length;
  }
  if (combos > MAX_COMBOS) {
    issues.push({
      path: ["grid"],
      message: `${combos} combinations; the lab runs at most ${MAX_COMBOS} (use the CLI for more)`,
    });
  }
  if (issues.length) throw new HttpError(400, "invalid sweep grid", issues);
  return out;
}
