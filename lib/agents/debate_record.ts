import { z } from "zod";

const ActionSchema = z.enum(["buy", "sell", "hold", "close"]);
const AbstainReasonSchema = z.enum(["refusal", "max_tokens", "invalid", "api_error", "budget", "no_data"]);
const scoreNumber = z.number().finite().min(0);

/**
 * One persona's position in one round of a debate: a decision (action, confidence, the factors it cited with
 * direction and weight) or an abstention (`action` and `confidence` null, the reason). `requestHash` and
 * `responseHash` are those of the call that gave the final answer of that round (the repair call after a repair;
 * absent for a rule persona or an abstention without an answer), linking the row to the content-addressed store.
 */
export const DebateRowSchema = z.strictObject({
  persona: z.string(),
  round: z.number().int().min(0),
  kind: z.enum(["decision", "abstain"]),
  action: ActionSchema.nullable(),
  confidence: z.number().min(0).max(1).nullable(),
  factors: z.array(z.strictObject({
    id: z.string(),
    direction: z.enum(["bullish", "bearish", "neutral"]),
    weight: z.number(),
  })),
  abstainReason: AbstainReasonSchema.optional(),
  /** The abstention's one-line detail (the issues, the API status). */
  detail: z.string().optional(),
  /** True when the decision passed only after the repair attempt. */
  repaired: z.boolean().optional(),
  requestHash: z.string().optional(),
  responseHash: z.string().optional(),
});
/** One persona's position in one round. */
export type DebateRow = z.infer<typeof DebateRowSchema>;

/**
 * The outcome of {@link vote} (see its doc for the exact rule). `action` is `abstain` when every persona abstained
 * (no quorum: no trade). `scores` are the weighted confidences per action over the voting personas' weights (they
 * sum to the weighted mean confidence, at most 1); `net` = `scores.buy - scores.sell`, in [-1, 1]; `weights` are the
 * weights used, normalised over all personas (an abstaining persona's weight is then left out of the scores'
 * denominator). `moderator` is present when the rule was `moderator`: its answer, or why the weighted vote stood in.
 */
export const VoteResultSchema = z.strictObject({
  action: z.enum(["buy", "sell", "hold", "close", "abstain"]),
  confidence: z.number().min(0).max(1),
  net: z.number().min(-1).max(1),
  scores: z.strictObject({ buy: scoreNumber, sell: scoreNumber, hold: scoreNumber, close: scoreNumber }),
  rule: z.enum(["weighted_vote", "moderator"]),
  weights: z.record(z.string(), z.number()),
  abstained: z.array(z.string()),
  moderator: z.strictObject({
    /** True when the moderator's answer decided; false when the weighted vote stood in. */
    ok: z.boolean(),
    /** The moderator's rationale, or why it failed (`stop_reason refusal`, the issues, the API status). */
    detail: z.string(),
    /** The weighted vote's action, kept beside the moderator's for comparison. */
    weightedAction: z.enum(["buy", "sell", "hold", "close", "abstain"]),
    requestHash: z.string().optional(),
    responseHash: z.string().optional(),
  }).optional(),
});
/** A vote's result. */
export type VoteResult = z.infer<typeof VoteResultSchema>;

/** A persona whose final action differs from the vote's, with a confidence at or above the dissent threshold. */
export const DissentRowSchema = z.strictObject({
  persona: z.string(),
  action: ActionSchema,
  confidence: z.number().min(0).max(1),
  voteAction: z.enum(["buy", "sell", "hold", "close", "abstain"]),
});
/** A dissent row. */
export type DissentRow = z.infer<typeof DissentRowSchema>;

/**
 * A stored debate, data and not prose: the personas in their fixed order, every round's rows (round 0 the
 * independent decisions, then the rebuttal rounds), the vote of the last round, its disagreement (normalised entropy
 * of the weighted action shares, {@link disagreement}), dissent rows, and the model calls made with their summed
 * cost (persona calls of every round plus the moderator's).
 */
export const DebateRecordSchema = z.strictObject({
  personas: z.array(z.string()),
  rounds: z.array(z.array(DebateRowSchema)),
  vote: VoteResultSchema,
  disagreement: z.number().min(0).max(1),
  dissentThreshold: z.number().min(0).max(1),
  dissent: z.array(DissentRowSchema),
  calls: z.number().int().min(0),
  costUsd: z.number().min(0),
});
/** A stored debate. */
export type DebateRecord = z.infer<typeof DebateRecordSchema>;
