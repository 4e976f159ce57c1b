import type { AgentDecision } from "./agent_decision.ts";
import type { DecisionPrompt } from "./decision_prompt.ts";
import type { LlmCallRecord, PersonaOutcome } from "./outcome.ts";
import type { Persona } from "./persona.ts";

/** An LLM persona with three factors, for tests. */
export function testPersona(name = "trend_follower", factors = ["trend", "momentum", "volatility"]): Persona {
  return {
    name,
    kind: "llm",
    title: "Test persona",
    role: "trend follower",
    style: "terse",
    riskAppetite: "medium",
    factors: factors.map((id) => ({ id, description: `the ${id} factor` })),
    sees: { indicators: [], returns: [5], regime: false, position: true, recentCloses: 0 },
    template: { version: "t1", system: `You are ${name}. Answer with the JSON decision.`, instructions: "" },
  };
}

/** A prompt literal with two numeric facts and one label fact, for tests. */
export function testPrompt(persona = "trend_follower"): DecisionPrompt {
  return {
    persona,
    templateVersion: "t1",
    decisionTime: 3_600_000,
    system: `You are ${persona}. Answer with the JSON decision.`,
    user: [
      "- ret_5 = 1.23 % | return over 5 bars | known 0 bars ago",
      "- close = 104.5 price | close | known 0 bars ago",
      "- regime = uptrend | regime | known 0 bars ago",
    ].join("\n"),
    facts: [
      { id: "ret_5", label: "return over 5 bars", value: 1.23, unit: "%", availableAt: 3_600_000 },
      { id: "close", label: "close", value: 104.5, unit: "price", availableAt: 3_600_000 },
      { id: "regime", label: "regime", value: "uptrend", availableAt: 3_600_000 },
    ],
    shown: { ret_5: 1.23, close: 104.5 },
    masking: { relativeTimes: true, pseudonym: null, rebased: true },
  };
}

/** A valid answer to {@link testPersona} and {@link testPrompt}. */
export function validAnswer(overrides: Partial<AgentDecision> = {}): AgentDecision {
  return {
    situation: "Price is above its recent range.",
    signals: "Trend bullish, momentum bullish, volatility neutral.",
    synthesis: "Long bias.",
    action: "buy",
    confidence: 0.7,
    factors: [
      { id: "trend", direction: "bullish", weight: 0.5 },
      { id: "momentum", direction: "bullish", weight: 0.3 },
      { id: "volatility", direction: "neutral", weight: 0.2 },
    ],
    citations: [{ fact: "ret_5", value: 1.23 }, { fact: "close", value: 104.5 }],
    reasoning: "Returns are positive.",
    riskAssessment: "A reversal below 100.",
    invalidationLevel: 100,
    ...overrides,
  };
}

/** A decision outcome with the given action and confidence. */
export function decisionOutcome(
  persona: string,
  action: AgentDecision["action"],
  confidence: number,
  calls: LlmCallRecord[] = [],
): PersonaOutcome {
  return {
    kind: "decision",
    persona,
    decision: validAnswer({ action, confidence }),
    validation: { ok: true, repaired: false, firstIssues: [] },
    calls,
  };
}

/** An abstention outcome. */
export function abstainOutcome(persona: string, reason: "refusal" | "api_error" = "refusal"): PersonaOutcome {
  return { kind: "abstain", persona, reason, detail: `stop_reason ${reason}`, calls: [] };
}
