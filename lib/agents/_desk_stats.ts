import type { AbstainReason, LlmUsage, PersonaOutcome } from "./outcome.ts";

/** Counts and costs of an agent run (one desk). */
export interface DeskStats {
  /** Bars decided (one per decision bar: a persona's decision or a debate's vote). */
  decisions: number;
  /** Of which debates. */
  debates: number;
  /** Persona answers asked for (every persona, every round). */
  asked: number;
  /** Abstentions among them, by reason (excluded from votes). */
  abstentions: Record<AbstainReason, number>;
  /** Answers that passed only after the repair request. */
  repaired: number;
  /** Model calls (repairs included); `storeHits` of them came from the content-addressed store. */
  calls: number;
  storeHits: number;
  usage: LlmUsage;
  /** Price of every call (store hits priced as if called: what the run costs to record). */
  costUsd: number;
  /** Per persona: answers, abstentions, cost. */
  byPersona: Record<string, { asked: number; abstained: number; costUsd: number }>;
}

export function emptyDeskStats(): DeskStats {
  return {
    decisions: 0,
    debates: 0,
    asked: 0,
    abstentions: { refusal: 0, max_tokens: 0, invalid: 0, api_error: 0, budget: 0, no_data: 0 },
    repaired: 0,
    calls: 0,
    storeHits: 0,
    usage: { inputTokens: 0, outputTokens: 0, cacheReadTokens: 0, cacheWriteTokens: 0 },
    costUsd: 0,
    byPersona: {},
  };
}

export function addOutcome(s: DeskStats, o: PersonaOutcome): void {
  s.asked++;
  const p = s.byPersona[o.persona] ??= { asked: 0, abstained: 0, costUsd: 0 };
  p.asked++;
  if (o.kind === "abstain") {
    s.abstentions[o.reason]++;
    p.abstained++;
  } else if (o.validation.repaired) s.repaired++;
  for (const c of o.calls) {
    s.calls++;
    if (c.fromStore) s.storeHits++;
    s.usage.inputTokens += c.usage.inputTokens;
    s.usage.outputTokens += c.usage.outputTokens;
    s.usage.cacheReadTokens += c.usage.cacheReadTokens;
    s.usage.cacheWriteTokens += c.usage.cacheWriteTokens;
    s.costUsd += c.costUsd;
    p.costUsd += c.costUsd;
  }
}
