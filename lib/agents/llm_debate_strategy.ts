import { z } from "zod";
import type { Strategy } from "../strategies/mod.ts";
import { type AgentParams, type BatchSender, defineAgentStrategy, type DeskSource } from "./_agent_strategy.ts";
import { learnedVoteWeights } from "./learned_vote_weights.ts";

const names = /^[a-z][a-z0-9_]{0,63}(,[a-z][a-z0-9_]{0,63}){0,15}$/;

const params = z.object({
  personas: z.string().regex(names).default("trend_follower,mean_reverter,risk_officer,macro_skeptic").describe(
    "Comma-separated persona names (deno task agents list).",
  ),
  rounds: z.number().int().min(0).max(5).default(1).describe("Rebuttal rounds after the independent one."),
  rule: z.enum(["weighted_vote", "moderator"]).default("weighted_vote").describe(
    "How the debate is decided: the deterministic weighted vote, or a schema-bound moderator call.",
  ),
  dissent: z.number().min(0).max(1).default(0.6).describe(
    "A persona whose final action differs from the vote's with at least this confidence is recorded as dissent.",
  ),
  weights: z.enum(["equal", "learned"]).default("equal").describe(
    "Vote weights: equal, or learned from the debate's own earlier outcomes (closed before each decision).",
  ),
  shrinkage: z.number().min(0).max(1).default(0.5).describe(
    "weights=learned: shrinkage toward equal weights (0 learned only, 1 equal).",
  ),
  horizon: z.number().int().min(0).max(100_000).default(0).describe(
    "weights=learned: bars from a decision to its outcome (0: the decision interval, every).",
  ),
  lookback: z.number().int().min(1).max(100_000).default(250).describe(
    "weights=learned: the earlier decision bars that count.",
  ),
  every: z.number().int().min(1).max(100_000).default(1).describe("A decision every N bars."),
  min_confidence: z.number().min(0).max(1).default(0).describe(
    "Votes below this confidence keep the position.",
  ),
});

/** Parameters of the `llm_debate` strategy. */
export type LlmDebateParams = z.output<typeof params> & AgentParams;

/** The persona names of a `personas` param, in the order given, without repeats. */
export function debatePersonaNames(p: { personas: string }): string[] {
  return [...new Set(p.personas.split(","))];
}

/**
 * **A debate decides** (`llm_debate`): every `every` bars the personas decide independently, then see each other's
 * structured positions for `rounds` rebuttal rounds, and a deterministic weighted vote (abstentions excluded; a tie
 * holds) decides, or a schema-bound moderator call with `rule=moderator`. The vote's weights are equal, or with
 * `weights=learned` learned from the debate's own earlier outcomes whose window closed before the decision, shrunk
 * toward equal ({@link learnedVoteWeights}). Each round's position of
 * each persona, the vote, its disagreement and the dissent are audit events. The vote's action becomes a target
 * position by the same rule as `llm_persona`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { Frame } from "../frame/mod.ts";
 * import { prepareStrategy } from "../strategies/mod.ts";
 * import { AgentDesk, AgentJournal, builtinPersonas, createLlmDebateStrategy } from "./mod.ts";
 * const journal = new AgentJournal();
 * const desk = new AgentDesk({ personas: builtinPersonas(), record: (e) => journal.append(e) });
 * const strategy = createLlmDebateStrategy(desk);
 * const close = Float64Array.from({ length: 80 }, (_, i) => 100 + i);
 * const frame = new Frame(Float64Array.from(close, (_, i) => i * 3_600_000), { close, open: close, high: close, low: close });
 * const p = strategy.params.parse({ personas: "rule_trend", rounds: 1, every: 10 });
 * await prepareStrategy(strategy, frame, p, { symbol: "BTC/USDT", timeframe: "1h" });
 * const votes = journal.decisions().filter((e) => e.payload.agent === "vote");
 * assert.ok(votes.length > 0 && votes.every((e) => e.payload.vote?.rounds === 2));
 * ```
 */
export function createLlmDebateStrategy(desk: DeskSource, batch?: BatchSender): Strategy<LlmDebateParams> {
  return defineAgentStrategy<LlmDebateParams>(
    {
      name: "llm_debate",
      title: "Persona debate",
      description: "Personas decide, rebut each other's positions, and a deterministic weighted vote decides.",
      params: params as z.ZodType<LlmDebateParams>,
      version: "1",
      personasOf: (d, p) => debatePersonaNames(p).map((n) => d.persona(n)),
      decide: (d, p, bar, history) => {
        const personas = debatePersonaNames(p);
        const weights = p.weights === "equal" ? undefined : learnedVoteWeights({
          history,
          frame: bar.frame,
          t: bar.t,
          timeframe: bar.timeframe,
          symbol: bar.symbol,
          personas,
          horizon: p.horizon === 0 ? p.every : p.horizon,
          shrinkage: p.shrinkage,
          lookback: p.lookback,
        });
        return d.debate({
          personas,
          rounds: p.rounds,
          rule: p.rule,
          dissentThreshold: p.dissent,
          ...(weights === undefined ? {} : { weights }),
        }, bar);
      },
    },
    desk,
    batch,
  );
}
