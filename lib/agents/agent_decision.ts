import { z } from "zod";

/**
 * The structured answer of an LLM persona (sent as the request's JSON schema output format). The fields follow the
 * prompt's steps in order: situation analysis, signal generation, synthesis, risk assessment, final recommendation.
 *
 * Semantic rules checked after parsing (`validateDecision`): every `factors[].id` is in the persona's registry and
 * appears once; the weights sum to 1 (within 0.01); every `citations[].fact` is a fact of the prompt and its `value`
 * equals the prompt's value as shown (to the digits shown); `invalidationLevel` is positive when present.
 */
export const AgentDecisionSchema = z.strictObject({
  situation: z.string().max(4_000).describe("Step 1: what the facts say about the market now."),
  signals: z.string().max(4_000).describe("Step 2: the signals each of your factors gives."),
  synthesis: z.string().max(4_000).describe("Step 3: how the signals combine."),
  action: z.enum(["buy", "sell", "hold", "close"]).describe(
    "Step 5: buy (be long), sell (be short, or flat where shorting is not allowed), hold (keep the position), close (go flat).",
  ),
  confidence: z.number().min(0).max(1).describe("How sure, from 0 to 1."),
  factors: z.array(z.strictObject({
    id: z.string().max(64).describe("A factor id from your registry."),
    direction: z.enum(["bullish", "bearish", "neutral"]),
    weight: z.number().min(0).max(1).describe("Share of the decision; the weights sum to 1."),
  })).min(1).max(32),
  citations: z.array(z.strictObject({
    fact: z.string().max(64).describe("A fact id from the prompt."),
    value: z.number().describe("The fact's value exactly as the prompt shows it."),
  })).max(64).describe("Every number you rely on, with the fact it comes from."),
  reasoning: z.string().max(8_000),
  riskAssessment: z.string().max(4_000).describe("Step 4: what could go wrong and how much."),
  invalidationLevel: z.number().nullable().describe(
    "The price (as shown in the prompt) at which the view is wrong, or null.",
  ),
});
/** A parsed LLM persona answer. */
export type AgentDecision = z.infer<typeof AgentDecisionSchema>;
