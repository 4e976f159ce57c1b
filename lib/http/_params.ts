// Strategy params and sweep grids of lab requests, checked strictly against the strategy's param
// fields before anything is queued: JSON numbers for numeric params (no "10"), booleans for
// flags, listed words for enums, text for string params (its pattern and length checked too),
// values inside the field's range, no unknown names.
import { z } from "zod";
import {
  type AnyStrategy,
  type GridValue,
  gridValues as gridValuesOf,
  type ParamField,
  paramFields,
  paramValueProblem,
  typedParamText,
} from "../strategies/mod.ts";
import { HttpError, type Issue } from "./_errors.ts";

/** Most combinations a web sweep may evaluate. */
export const MAX_COMBOS = 20_000;

/** A param name: letters, digits and `_`, starting with a letter (so never `__proto__`). */
export const ParamNameSchema = z.string().max(64).regex(
  /^[A-Za-z][A-Za-z0-9_]*$/,
  "a param name is letters, digits and _, starting with a letter",
);

/** One param value as JSON carries it (a string param may be a list of names, hence the room). */
export const ParamValueSchema = z.union([z.number(), z.boolean(), z.string().max(1000)]);

/** A value a grid may list for one param. */
export type { GridValue } from "../strategies/mod.ts";

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
    // Ranges, enum words and string patterns are parseParams' to report; here only the JSON type.
    const typed = f.type === "int" || f.type === "float"
      ? typeof v === "number"
      : f.type === "bool"
      ? typeof v === "boolean"
      : typeof v === "string";
    if (!typed) {
      issues.push({ path: ["params", k], message: paramValueProblem(strategy.name, f, v)!, code: "invalid_type" });
    }
  }
  return issues;
}

/**
 * Form text (`p.fast=10`) to the field's JSON type, so a form and a JSON body are checked by the
 * same strict rules; text that is not of the type stays text and is reported by them.
 */
export const typedFormValue: (f: ParamField | undefined, text: string) => GridValue = typedParamText;

/**
 * One grid spec as values (lib/strategies' {@link gridValuesOf}, the rule the command line uses too); problems go to
 * `issues` under `grid.<name>`.
 */
export function gridValues(
  strategy: string,
  f: ParamField,
  spec: string | readonly GridValue[],
  issues: Issue[],
): GridValue[] {
  const r = gridValuesOf(strategy, f, spec, { maxValues: MAX_COMBOS });
  for (const message of r.problems) issues.push({ path: ["grid", f.name], message, code: "invalid_grid_value" });
  return r.values;
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
