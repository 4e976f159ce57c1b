import type { AgentDecision } from "./agent_decision.ts";

/** Tokens of one model call, as the API reports them. */
export interface LlmUsage {
  inputTokens: number;
  outputTokens: number;
  cacheReadTokens: number;
  cacheWriteTokens: number;
}

/**
 * One model call as the audit chain records it: the request's content hash (the store key), the response's hash,
 * usage and cost. `fromStore` is true when the answer came from the content-addressed store (replay, or a record
 * hit) and cost nothing now; `costUsd` is still the call's price, so a replayed run reports what it would cost.
 */
export interface LlmCallRecord {
  requestHash: string;
  responseHash: string;
  model: string;
  usage: LlmUsage;
  costUsd: number;
  fromStore: boolean;
  /** Attempts the SDK made (1 = no retry); 0 for a store hit. */
  attempts: number;
}

/** Why a persona abstained. */
export type AbstainReason =
  | "refusal" // stop_reason "refusal"
  | "max_tokens" // the answer was cut off
  | "invalid" // schema or semantic checks failed, also after one repair attempt
  | "api_error" // the API failed after the SDK's retries (429, 529, 5xx, timeout, connection)
  | "budget" // the run's --llm-budget would be exceeded
  | "no_data"; // not enough history for the persona's facts (warm-up)

/** The result of asking one persona at one bar: a validated decision, or an abstention with its reason. */
export type PersonaOutcome =
  | {
    kind: "decision";
    persona: string;
    decision: AgentDecision;
    /** Validation of the final answer: `repaired` when the first answer failed and the repair passed. */
    validation: { ok: true; repaired: boolean; firstIssues: string[] };
    /** The model calls made (0 for a rule persona, 1, or 2 with a repair). */
    calls: LlmCallRecord[];
  }
  | {
    kind: "abstain";
    persona: string;
    reason: AbstainReason;
    /** One line naming what happened (`stop_reason refusal`, the zod issues, the API error's status). */
    detail: string;
    calls: LlmCallRecord[];
  };
