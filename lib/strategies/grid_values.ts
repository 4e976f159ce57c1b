import { type GridValue, isDecimalText, paramValueProblem, typedParamText } from "./_param_text.ts";
import type { ParamField } from "./param_fields.ts";

export type { GridValue } from "./_param_text.ts";
export { paramValueProblem, typedParamText } from "./_param_text.ts";

/** Options of {@link gridValues}. */
export interface GridValuesOptions {
  /** Most values one spec may expand to; a larger range is a problem (use a larger step). Default 1,000,000. */
  maxValues?: number;
}

/** The values of one grid spec, or the problems that stop it (then `values` is empty). */
export interface GridValuesResult {
  values: GridValue[];
  problems: string[];
}

/**
 * One sweep-grid spec for a strategy param, as the command line, saved research jobs and the lab's API all write it:
 *
 * - text: `a..b` or `a..b:step` (inclusive of `b` when it falls on a step; numeric params only), or `a,b,c` (each
 *   converted from text by the field's type: `5`, `on`, `fast`); a string param's values are separated by `|`
 *   instead, since a comma may belong to a value: `a,b|c` is the two values `a,b` and `c` (quote it in a shell);
 * - a JSON list (`[5, 10]`): values of the param's JSON type, strictly (`"5"` is refused for a number).
 *
 * Every value is then checked against the field's type and range. Duplicates are dropped, order kept. Never throws:
 * the caller turns `problems` into its own error (a usage error, a 400 with issues). Cross-field rules (fast < slow)
 * are the sweep's to check per combination. (A random search without a grid keeps a string param at its default: it
 * has no range to draw from.)
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { gridValues, paramFields, smaCross } from "./mod.ts";
 * const fast = paramFields(smaCross).find((f) => f.name === "fast")!;
 * assert.deepEqual(gridValues("sma_cross", fast, "2..10:4").values, [2, 6, 10]);
 * assert.deepEqual(gridValues("sma_cross", fast, [5, 5, 10]).values, [5, 10]);
 * assert.match(gridValues("sma_cross", fast, "10..1:-1").problems[0]!, /a <= b and step > 0/);
 * assert.match(gridValues("sma_cross", fast, ["5"]).problems[0]!, /must be an integer/);
 * ```
 */
export function gridValues(
  strategy: string,
  field: ParamField,
  spec: string | readonly unknown[],
  options: GridValuesOptions = {},
): GridValuesResult {
  const max = options.maxValues ?? 1_000_000;
  const numeric = field.type === "int" || field.type === "float";
  const fail = (problem: string): GridValuesResult => ({ values: [], problems: [problem] });
  let values: unknown[];
  if (typeof spec !== "string") {
    values = [...spec];
  } else {
    const t = spec.trim();
    const range = /^(.*?)\s*\.\.\s*([^:]*?)\s*(?::\s*(.*))?$/.exec(t);
    if (field.type === "string") {
      // Commas and ".." may belong to a string value, so its values are split on | and never read as a range.
      values = t.split("|").map((s) => s.trim()).filter(Boolean);
    } else if (range) {
      if (!numeric) {
        return fail(
          `${field.name} is ${field.type === "bool" ? "a flag" : "a choice"}: list its values, e.g. ${
            field.type === "bool" ? "true,false" : (field.options ?? []).join(",")
          }`,
        );
      }
      const [a, b, step] = [range[1]!, range[2]!, range[3] ?? "1"];
      if (![a, b, step].every(isDecimalText)) {
        return fail(`${JSON.stringify(spec)}: a range is a..b or a..b:step with numbers, e.g. 5..50:5`);
      }
      const lo = Number(a), hi = Number(b), st = Number(step);
      if (st <= 0 || hi < lo) {
        return fail(
          `${JSON.stringify(spec)}: write a..b:step with a <= b and step > 0, e.g. ${Math.min(lo, hi)}..${
            Math.max(lo, hi)
          }:${Math.abs(st) || 1}`,
        );
      }
      const n = Math.floor((hi - lo) / st + 1e-9) + 1;
      if (n > max) return fail(`${JSON.stringify(spec)} is ${n} values; at most ${max}: use a larger step`);
      // Multiply rather than accumulate so 0.1 steps do not drift (0.1..0.3:0.1 gives 0.3, not 0.30000000000000004).
      values = Array.from({ length: n }, (_, i) => Number((lo + i * st).toPrecision(12)));
    } else {
      values = t.split(",").map((s) => s.trim()).filter(Boolean).map((s) => typedParamText(field, s));
    }
  }
  if (values.length === 0) {
    return fail(
      field.type === "string"
        ? `no values: give values separated by |, like ${field.default || "a,b"}|other`
        : `no values: give values like 5,10,20 or 5..50:5`,
    );
  }
  if (values.length > max) return fail(`${values.length} values; at most ${max}`);
  const problems: string[] = [];
  for (const v of values) {
    const p = paramValueProblem(strategy, field, v);
    if (p !== undefined && problems.length < 3) problems.push(p);
  }
  return problems.length ? { values: [], problems } : { values: [...new Set(values as GridValue[])], problems };
}
