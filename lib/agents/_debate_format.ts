import type { DebateRow } from "./debate_record.ts";
import type { PersonaOutcome } from "./outcome.ts";

/** A number as positions show it: up to 6 significant digits, no exponent (confidences and weights are in [0, 1]). */
export function formatShare(x: number): string {
  if (Math.abs(x) < 1e-6) return "0";
  return String(Number(x.toPrecision(6)));
}

/** One persona's outcome as a debate row (the hashes are those of the call that gave the round's answer). */
export function debateRow(outcome: PersonaOutcome, round: number): DebateRow {
  const last = outcome.calls[outcome.calls.length - 1];
  const hashes = last === undefined ? {} : { requestHash: last.requestHash, responseHash: last.responseHash };
  if (outcome.kind === "abstain") {
    return {
      persona: outcome.persona,
      round,
      kind: "abstain",
      action: null,
      confidence: null,
      factors: [],
      abstainReason: outcome.reason,
      detail: outcome.detail,
      ...hashes,
    };
  }
  const { decision } = outcome;
  return {
    persona: outcome.persona,
    round,
    kind: "decision",
    action: decision.action,
    confidence: decision.confidence,
    factors: decision.factors.map((f) => ({ id: f.id, direction: f.direction, weight: f.weight })),
    repaired: outcome.validation.repaired,
    ...hashes,
  };
}
