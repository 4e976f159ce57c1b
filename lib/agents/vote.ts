import type { DissentRow, VoteResult } from "./debate_record.ts";
import type { PersonaOutcome } from "./outcome.ts";

/** Two scores closer than this are a tie (sums of the same products in another order differ in the last bits). */
export const VOTE_TIE_EPSILON = 1e-12;
const ACTIONS = ["buy", "sell", "hold", "close"] as const;

/**
 * The deterministic weighted vote of the personas' final outcomes.
 *
 * 1. Weights: `weights[persona]` (default 1 each; every persona must have a finite weight >= 0 and at least one must
 *    be positive), normalised to sum to 1 over all personas; these are `result.weights`.
 * 2. Quorum: abstaining personas are left out (listed in `abstained`). If every persona abstained, or the ones left
 *    all have weight 0, the vote is `abstain` (no trade), confidence 0, all scores 0.
 * 3. Scores: `scores[a] = sum(w_i * c_i for voters i whose action is a) / sum(w_i over voters)`: the weighted
 *    confidence behind each action, over the voters' weight only (an abstention neither helps nor hurts an
 *    action). The scores sum to the voters' weighted mean confidence, at most 1.
 * 4. The action with the highest score wins; a tie for the highest (within {@link VOTE_TIE_EPSILON}) is `hold`
 *    (two opposed camps of equal weight do not trade). So `close` wins only with strictly the largest score.
 * 5. `confidence = scores[action]`: the weighted mean confidence with the personas that chose another action
 *    counting 0, so dissent lowers it. `net = scores.buy - scores.sell` in [-1, 1] is the directional lean.
 *
 * `rule` is `weighted_vote`; the moderator path (`runDebate`) sets its own.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { vote } from "./vote.ts";
 *
 * const d = (persona: string, action: "buy" | "sell" | "hold" | "close", confidence: number) => ({
 *   kind: "decision" as const, persona, calls: [],
 *   validation: { ok: true as const, repaired: false, firstIssues: [] },
 *   decision: {
 *     situation: "", signals: "", synthesis: "", action, confidence, factors: [], citations: [], reasoning: "",
 *     riskAssessment: "", invalidationLevel: null,
 *   },
 * });
 * const result = vote([d("a", "buy", 0.8), d("b", "sell", 0.6), d("c", "buy", 0.5)], { a: 1, b: 2, c: 1 });
 * // weights 0.25, 0.5, 0.25: buy = 0.25*0.8 + 0.25*0.5 = 0.325, sell = 0.5*0.6 = 0.3
 * assert.equal(result.action, "buy");
 * assert.ok(Math.abs(result.confidence - 0.325) < 1e-12);
 * assert.ok(Math.abs(result.net - 0.025) < 1e-12);
 * ```
 */
export function vote(outcomes: readonly PersonaOutcome[], weights?: Readonly<Record<string, number>>): VoteResult {
  const used = normaliseWeights(outcomes, weights);
  const scores = { buy: 0, sell: 0, hold: 0, close: 0 };
  const abstained: string[] = [];
  let voterWeight = 0;
  for (const outcome of outcomes) {
    if (outcome.kind === "abstain") {
      abstained.push(outcome.persona);
      continue;
    }
    const w = used[outcome.persona]!;
    voterWeight += w;
    scores[outcome.decision.action] += w * outcome.decision.confidence;
  }
  if (!(voterWeight > 0)) {
    return {
      action: "abstain",
      confidence: 0,
      net: 0,
      scores: { buy: 0, sell: 0, hold: 0, close: 0 },
      rule: "weighted_vote",
      weights: used,
      abstained,
    };
  }
  for (const a of ACTIONS) scores[a] = scores[a] / voterWeight;
  let best: (typeof ACTIONS)[number] = "hold";
  let bestScore = -1;
  let tied = false;
  for (const a of ACTIONS) {
    if (scores[a] > bestScore + VOTE_TIE_EPSILON) {
      best = a;
      bestScore = scores[a];
      tied = false;
    } else if (Math.abs(scores[a] - bestScore) <= VOTE_TIE_EPSILON) {
      tied = true;
    }
  }
  const action = tied ? "hold" : best;
  return {
    action,
    confidence: clamp01(scores[action]),
    net: Math.max(-1, Math.min(1, scores.buy - scores.sell)),
    scores,
    rule: "weighted_vote",
    weights: used,
    abstained,
  };
}

/**
 * How much the voters disagree, in [0, 1]: the normalised Shannon entropy of the weighted action shares,
 * `p_a = scores[a] / sum(scores)`, `H = -sum(p_a ln p_a) / ln 4`. 0 when all weighted confidence is behind one
 * action (or nobody voted with any confidence), 1 when it is spread evenly over buy, sell, hold and close; two
 * equal opposed camps give 0.5. It measures the spread of the vote, not the direction: read `net` for that.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { disagreement } from "./vote.ts";
 *
 * assert.equal(disagreement({ scores: { buy: 0.6, sell: 0, hold: 0, close: 0 } }), 0);
 * assert.ok(Math.abs(disagreement({ scores: { buy: 0.3, sell: 0.3, hold: 0, close: 0 } }) - 0.5) < 1e-12);
 * ```
 */
export function disagreement(result: Pick<VoteResult, "scores">): number {
  const { scores } = result;
  const total = scores.buy + scores.sell + scores.hold + scores.close;
  if (!(total > 0)) return 0;
  let h = 0;
  for (const a of ACTIONS) {
    const p = scores[a] / total;
    if (p > 0) h -= p * Math.log(p);
  }
  return clamp01(h / Math.log(ACTIONS.length));
}

/**
 * The dissent rows: each persona (in the outcomes' order) that decided an action other than the vote's with a
 * confidence at or above `threshold` (default 0.6). Abstaining personas never dissent; when the vote abstained
 * nobody voted, so there is none.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { dissent } from "./vote.ts";
 *
 * const d = (persona: string, action: "buy" | "sell", confidence: number) => ({
 *   kind: "decision" as const, persona, calls: [],
 *   validation: { ok: true as const, repaired: false, firstIssues: [] },
 *   decision: {
 *     situation: "", signals: "", synthesis: "", action, confidence, factors: [], citations: [], reasoning: "",
 *     riskAssessment: "", invalidationLevel: null,
 *   },
 * });
 * const rows = dissent([d("a", "buy", 0.9), d("b", "sell", 0.7), d("c", "sell", 0.5)], { action: "buy" }, 0.6);
 * assert.deepEqual(rows, [{ persona: "b", action: "sell", confidence: 0.7, voteAction: "buy" }]);
 * ```
 */
export function dissent(
  outcomes: readonly PersonaOutcome[],
  result: Pick<VoteResult, "action">,
  threshold = 0.6,
): DissentRow[] {
  if (!(threshold >= 0 && threshold <= 1)) {
    throw new RangeError(`dissent threshold ${threshold} is outside [0, 1]; pass a confidence level such as 0.6`);
  }
  const rows: DissentRow[] = [];
  for (const outcome of outcomes) {
    if (outcome.kind !== "decision") continue;
    const { action, confidence } = outcome.decision;
    if (action !== result.action && confidence >= threshold) {
      rows.push({ persona: outcome.persona, action, confidence, voteAction: result.action });
    }
  }
  return rows;
}

function normaliseWeights(
  outcomes: readonly PersonaOutcome[],
  weights: Readonly<Record<string, number>> | undefined,
): Record<string, number> {
  const raw: Record<string, number> = {};
  let total = 0;
  for (const outcome of outcomes) {
    const name = outcome.persona;
    if (Object.hasOwn(raw, name)) {
      throw new RangeError(
        `persona ${JSON.stringify(name)} has two outcomes in one vote; pass one outcome per persona`,
      );
    }
    const w = weights === undefined ? 1 : Object.hasOwn(weights, name) ? weights[name] : undefined;
    if (w === undefined || !Number.isFinite(w) || w < 0) {
      throw new RangeError(
        `vote weight of persona ${JSON.stringify(name)} is ${w}; give every persona a finite weight >= 0`,
      );
    }
    raw[name] = w;
    total += w;
  }
  if (outcomes.length > 0 && !(total > 0)) {
    throw new RangeError(`vote weights are all 0 (${JSON.stringify(weights)}); give at least one persona a weight > 0`);
  }
  for (const name of Object.keys(raw)) raw[name] = raw[name]! / total;
  return raw;
}

function clamp01(x: number): number {
  return x < 0 ? 0 : x > 1 ? 1 : x;
}
