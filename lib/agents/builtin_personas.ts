import macroSkeptic from "./personas/macro_skeptic.json" with { type: "json" };
import meanReverter from "./personas/mean_reverter.json" with { type: "json" };
import riskOfficer from "./personas/risk_officer.json" with { type: "json" };
import ruleTrend from "./personas/rule_trend.json" with { type: "json" };
import trendFollower from "./personas/trend_follower.json" with { type: "json" };
import { checkPersona } from "./_persona_checks.ts";
import { type Persona, PersonaSchema } from "./persona.ts";

const FILES: Record<string, unknown> = {
  "macro_skeptic.json": macroSkeptic,
  "mean_reverter.json": meanReverter,
  "risk_officer.json": riskOfficer,
  "rule_trend.json": ruleTrend,
  "trend_follower.json": trendFollower,
};

let cache: readonly Persona[] | undefined;

/**
 * The built-in personas (`lib/agents/personas/*.json`), validated, sorted by name: `macro_skeptic`, `mean_reverter`,
 * `risk_officer`, `rule_trend` (the rule baseline that needs no model) and `trend_follower`. Each call returns fresh
 * copies, so a caller editing one cannot change the next caller's.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { builtinPersonas } from "./builtin_personas.ts";
 * const names = builtinPersonas().map((p) => p.name);
 * assert.deepEqual(names, ["macro_skeptic", "mean_reverter", "risk_officer", "rule_trend", "trend_follower"]);
 * ```
 */
export function builtinPersonas(): Persona[] {
  cache ??= Object.entries(FILES).map(([file, json]) => {
    const r = PersonaSchema.safeParse(json);
    if (!r.success) throw new TypeError(`built-in persona ${file} is invalid: ${r.error.message}`);
    checkPersona(r.data, `lib/agents/personas/${file}`);
    return r.data;
  }).sort((a, b) => a.name < b.name ? -1 : 1);
  return structuredClone(cache as Persona[]);
}
