import type { AgentDecision } from "./agent_decision.ts";
import { formatFactValue } from "./build_prompt.ts";
import type { Fact } from "./fact.ts";
import type { PersonaOutcome } from "./outcome.ts";
import type { Persona } from "./persona.ts";

const DEFAULT_THRESHOLD = 0.2;

/**
 * The decision of a `kind: "rule"` persona, with no model call: each factor's direction is `sign(fact - pivot)`
 * (flipped when `invert`), the weights are normalised to sum to 1, the score is `sum(weight * direction)`; it buys
 * above `threshold` (default 0.2), sells below `-threshold`, else holds, with confidence `|score|`. The citations
 * carry each fact's value as `formatFactValue` prints it. A fact missing from `facts` (warm-up) makes it abstain with
 * `no_data` naming the fact; a fact that is a label, not a number, makes it abstain `invalid`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { builtinPersonas } from "./builtin_personas.ts";
 * import { ruleDecision } from "./rule_decision.ts";
 * const persona = builtinPersonas().find((p) => p.name === "rule_trend")!;
 * const fact = (id: string, value: number) => ({ id, label: id, value, availableAt: 0 });
 * const out = ruleDecision(persona, [fact("close_vs_sma_close_50", 2.5), fact("ret_20", -1), fact("rsi_close_14", 61)]);
 * assert.equal(out.kind, "decision");
 * if (out.kind === "decision") {
 *   assert.equal(out.decision.action, "buy"); // 0.4 - 0.3 + 0.3 = 0.4 > 0.2
 *   assert.ok(Math.abs(out.decision.confidence - 0.4) < 1e-12);
 *   assert.equal(out.calls.length, 0);
 * }
 * ```
 */
export function ruleDecision(persona: Persona, facts: readonly Fact[]): PersonaOutcome {
  if (persona.kind !== "rule") {
    throw new TypeError(`ruleDecision: persona ${JSON.stringify(persona.name)} is kind "${persona.kind}", not "rule"`);
  }
  const byId = new Map<string, Fact>();
  for (const f of facts) byId.set(f.id, f);
  const values: number[] = [];
  for (const factor of persona.factors) {
    const id = factor.fact;
    if (id === undefined) {
      throw new TypeError(
        `ruleDecision: factor ${JSON.stringify(factor.id)} of ${persona.name} names no fact; add "fact" to it`,
      );
    }
    const f = byId.get(id);
    if (f === undefined) {
      return abstain(persona, "no_data", `fact ${id} (factor ${factor.id}) is not available yet (warm-up)`);
    }
    if (typeof f.value !== "number") {
      return abstain(
        persona,
        "invalid",
        `fact ${id} (factor ${factor.id}) is the label ${JSON.stringify(f.value)}, not a number`,
      );
    }
    values.push(f.value);
  }
  let total = 0;
  for (const f of persona.factors) total += f.weight ?? 1;
  const threshold = persona.threshold ?? DEFAULT_THRESHOLD;
  let score = 0;
  const factors: AgentDecision["factors"] = [];
  const citations: AgentDecision["citations"] = [];
  const lines: string[] = [];
  persona.factors.forEach((factor, i) => {
    const v = values[i]!;
    const pivot = factor.pivot ?? 0;
    const sign = Math.sign(v - pivot) * (factor.invert ? -1 : 1);
    const weight = (factor.weight ?? 1) / total;
    score += weight * sign;
    const direction = sign > 0 ? "bullish" : sign < 0 ? "bearish" : "neutral";
    factors.push({ id: factor.id, direction, weight });
    const shown = formatFactValue(v);
    citations.push({ fact: factor.fact!, value: Number(shown) });
    lines.push(
      `${factor.id}: ${factor.fact} = ${shown} vs pivot ${formatFactValue(pivot)}${
        factor.invert ? " (inverted)" : ""
      }` +
        ` -> ${direction}, weight ${formatFactValue(weight)}`,
    );
  });
  const action = score > threshold ? "buy" : score < -threshold ? "sell" : "hold";
  const s = formatFactValue(score);
  const decision: AgentDecision = {
    situation: `rule persona ${persona.name}: weighted score ${s} from ${persona.factors.length} factors`,
    signals: lines.join("; "),
    synthesis: `score ${s} against threshold ${formatFactValue(threshold)}: ${action}`,
    action,
    confidence: Math.min(1, Math.abs(score)),
    factors,
    citations,
    reasoning: `${lines.join("\n")}\nscore = ${s}; buy above ${formatFactValue(threshold)}, sell below ` +
      `${formatFactValue(-threshold)}, else hold -> ${action}`,
    riskAssessment: "a rule has no risk view: sizing and limits are the risk engine's",
    invalidationLevel: null,
  };
  return {
    kind: "decision",
    persona: persona.name,
    decision,
    validation: { ok: true, repaired: false, firstIssues: [] },
    calls: [],
  };
}

function abstain(persona: Persona, reason: "no_data" | "invalid", detail: string): PersonaOutcome {
  return { kind: "abstain", persona: persona.name, reason, detail, calls: [] };
}
