import type { Fact } from "./fact.ts";

/**
 * A prompt built for one persona at one decision time, from facts only (`buildPrompt`). `system` is the stable
 * prefix; `user` holds the facts (with times relative to the decision when masked) and the step instructions.
 * `shown` maps each fact id to the number exactly as the prompt prints it, for the citation check.
 */
export interface DecisionPrompt {
  persona: string;
  templateVersion: string;
  /** Epoch ms of the decision (the close time of the decision bar). */
  decisionTime: number;
  system: string;
  user: string;
  facts: Fact[];
  shown: Record<string, number>;
  /** How the prompt was masked against the model's memory. */
  masking: { relativeTimes: boolean; pseudonym: string | null; rebased: boolean };
}
