import { debateRow, formatShare } from "./_debate_format.ts";
import { askModerator, type ModeratorOptions } from "./_debate_moderator.ts";
import type { DebateRecord, DebateRow, VoteResult } from "./debate_record.ts";
import type { DecisionPrompt } from "./decision_prompt.ts";
import type { PersonaOutcome } from "./outcome.ts";
import type { Persona } from "./persona.ts";
import { disagreement, dissent, vote } from "./vote.ts";

export type { ModeratorOptions } from "./_debate_moderator.ts";

/** How the final positions become the desk's decision. */
export type DebateRule = "weighted_vote" | "moderator";

/** What {@link runDebate} needs. */
export interface RunDebateOptions {
  /** The personas, in the order every round's rows, the positions shown and the vote use. Names are unique. */
  personas: readonly Persona[];
  /**
   * The persona's prompt for a round. `others` are the other personas' rows of the previous round, in `personas`
   * order (empty in round 0). For a rebuttal round, append {@link formatPositions}`(others)` to the user message
   * (`${user}\n\n${formatPositions(others)}`): that is the fixed format every persona sees; the prompt is sent as
   * returned.
   */
  promptFor(persona: Persona, round: number, others: readonly DebateRow[]): DecisionPrompt | Promise<DecisionPrompt>;
  /** One persona's outcome for a prompt: usually `decidePersona` bound to the gateway and model by the caller. */
  decide(persona: Persona, prompt: DecisionPrompt, round: number): Promise<PersonaOutcome>;
  /** Rebuttal rounds after the independent round 0. Default 1. */
  rounds?: number;
  /** Vote weights by persona name (default equal); see {@link vote}. */
  weights?: Readonly<Record<string, number>>;
  /** Default `weighted_vote`. */
  rule?: DebateRule;
  /** The moderator call's gateway and model; required when `rule` is `moderator`. */
  moderator?: ModeratorOptions;
  /** A persona dissents when its final action differs from the vote's with at least this confidence. Default 0.6. */
  dissentThreshold?: number;
}

/**
 * A debate at one decision time, kept as data ({@link DebateRecord}):
 *
 * 1. Round 0: every persona decides independently, all at once (`Promise.all`); rows in `personas` order.
 * 2. Rounds 1..`rounds`: every persona is asked again with the other personas' structured positions of the
 *    previous round (action, confidence, factors with direction and weight, or `abstained (reason)`; never the
 *    prose), which `promptFor` receives as rows and appends with {@link formatPositions}. A persona abstaining in
 *    a round is an abstention row of that round, shown as such to the others, and is asked again the next round.
 * 3. The last round's outcomes are voted by {@link vote} (weights, quorum, tie → hold). With `rule: "moderator"`,
 *    one schema-bound call through `moderator.gateway` decides instead, given the final positions and weights; its
 *    failure (refusal, cut-off, invalid answer, budget, API error) falls back to the weighted vote, recorded in
 *    `vote.moderator`. If every persona abstained, the vote is `abstain` and no moderator is asked.
 * 4. `disagreement` (normalised entropy of the weighted vote's action shares) and `dissent` rows against the
 *    decided action; `calls` and `costUsd` sum every model call (personas of every round and the moderator).
 *
 * A replay miss (`LlmReplayMissError`) or an abort from any call is thrown, as by `decidePersona`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { formatPositions, runDebate } from "./run_debate.ts";
 * import type { Persona } from "./persona.ts";
 *
 * const persona = (name: string) => ({ name }) as Persona;
 * const seen: string[] = [];
 * const record = await runDebate({
 *   personas: [persona("bull"), persona("bear")],
 *   promptFor: (p, round, others) =>
 *     ({ persona: p.name, user: round === 0 ? "facts" : `facts\n\n${formatPositions(others)}` }) as never,
 *   decide: (p, prompt) => {
 *     seen.push(prompt.user);
 *     return Promise.resolve({
 *       kind: "decision", persona: p.name, calls: [],
 *       validation: { ok: true, repaired: false, firstIssues: [] },
 *       decision: {
 *         situation: "", signals: "", synthesis: "", action: p.name === "bull" ? "buy" : "sell",
 *         confidence: p.name === "bull" ? 0.8 : 0.4, factors: [{ id: "trend", direction: "neutral", weight: 1 }],
 *         citations: [], reasoning: "", riskAssessment: "", invalidationLevel: null,
 *       },
 *     });
 *   },
 * });
 * assert.equal(record.rounds.length, 2);
 * assert.equal(record.vote.action, "buy");
 * assert.match(seen[2]!, /^facts\n\nPositions of the other personas after round 0 .*\n- bear: sell, confidence 0.4/);
 * ```
 */
export async function runDebate(options: RunDebateOptions): Promise<DebateRecord> {
  const { personas, promptFor, decide } = options;
  const rebuttals = options.rounds ?? 1;
  const rule = options.rule ?? "weighted_vote";
  const dissentThreshold = options.dissentThreshold ?? 0.6;
  if (!Number.isInteger(rebuttals) || rebuttals < 0) {
    throw new RangeError(`runDebate: rounds ${rebuttals} is not a whole number >= 0; pass the rebuttal rounds (1)`);
  }
  if (rule === "moderator" && options.moderator === undefined) {
    throw new TypeError("runDebate: rule moderator needs options.moderator (gateway, model, maxTokens)");
  }
  if (!(dissentThreshold >= 0 && dissentThreshold <= 1)) {
    throw new RangeError(`runDebate: dissentThreshold ${dissentThreshold} is outside [0, 1]; pass e.g. 0.6`);
  }
  const names = new Set<string>();
  for (const p of personas) {
    if (names.has(p.name)) {
      throw new RangeError(`runDebate: persona ${JSON.stringify(p.name)} is listed twice; list each persona once`);
    }
    names.add(p.name);
  }

  const rounds: DebateRow[][] = [];
  let calls = 0;
  let costUsd = 0;
  let outcomes: PersonaOutcome[] = [];
  for (let round = 0; round <= rebuttals; round++) {
    const previous = round === 0 ? undefined : rounds[round - 1]!;
    outcomes = await Promise.all(personas.map(async (persona, i) => {
      const others = previous === undefined ? [] : previous.filter((_, j) => j !== i);
      return decide(persona, await promptFor(persona, round, others), round);
    }));
    const rows: DebateRow[] = [];
    for (const outcome of outcomes) {
      rows.push(debateRow(outcome, round));
      for (const call of outcome.calls) {
        calls++;
        costUsd += call.costUsd;
      }
    }
    rounds.push(rows);
  }

  const weighted = vote(outcomes, options.weights);
  let decided: VoteResult = weighted;
  if (rule === "moderator") {
    if (weighted.action === "abstain") {
      decided = {
        ...weighted,
        rule,
        moderator: { ok: false, detail: "every persona abstained: no moderator call", weightedAction: "abstain" },
      };
    } else {
      const result = await askModerator(
        options.moderator!,
        formatPositions(rounds[rounds.length - 1]!),
        weighted.weights,
      );
      const hashes = result.call === undefined
        ? {}
        : { requestHash: result.call.requestHash, responseHash: result.call.responseHash };
      if (result.call !== undefined) {
        calls++;
        costUsd += result.call.costUsd;
      }
      decided = result.ok
        ? {
          ...weighted,
          action: result.answer.action,
          confidence: result.answer.confidence,
          rule,
          moderator: { ok: true, detail: result.answer.rationale, weightedAction: weighted.action, ...hashes },
        }
        : {
          ...weighted,
          rule,
          moderator: {
            ok: false,
            detail: `moderator failed (${result.detail}): the weighted vote decided`,
            weightedAction: weighted.action,
            ...hashes,
          },
        };
    }
  }
  return {
    personas: personas.map((p) => p.name),
    rounds,
    vote: decided,
    disagreement: disagreement(weighted),
    dissentThreshold,
    dissent: dissent(outcomes, decided, dissentThreshold),
    calls,
    costUsd,
  };
}

/**
 * The other personas' positions of the previous round, rendered for a rebuttal prompt: one line per persona in the
 * rows' order, structured fields only (no prose, so one persona's wording cannot steer another's). Numbers have up
 * to 6 significant digits.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { formatPositions } from "./run_debate.ts";
 *
 * const text = formatPositions([
 *   {
 *     persona: "trend", round: 0, kind: "decision", action: "buy", confidence: 0.75,
 *     factors: [{ id: "trend", direction: "bullish", weight: 0.6 }, { id: "vol", direction: "neutral", weight: 0.4 }],
 *   },
 *   {
 *     persona: "risk", round: 0, kind: "abstain", action: null, confidence: null, factors: [],
 *     abstainReason: "refusal",
 *   },
 * ]);
 * assert.equal(
 *   text,
 *   "Positions of the other personas after round 0 (action, confidence, factors as id direction weight):\n" +
 *     "- trend: buy, confidence 0.75, factors: trend bullish 0.6, vol neutral 0.4\n" +
 *     "- risk: abstained (refusal)",
 * );
 * ```
 */
export function formatPositions(others: readonly DebateRow[]): string {
  if (others.length === 0) return "Positions of the other personas: none.";
  const lines = [
    `Positions of the other personas after round ${
      others[0]!.round
    } (action, confidence, factors as id direction weight):`,
  ];
  for (const row of others) {
    if (row.kind === "abstain" || row.action === null || row.confidence === null) {
      lines.push(`- ${row.persona}: abstained (${row.abstainReason ?? "unknown"})`);
      continue;
    }
    const factors = row.factors.map((f) => `${f.id} ${f.direction} ${formatShare(f.weight)}`).join(", ");
    lines.push(`- ${row.persona}: ${row.action}, confidence ${formatShare(row.confidence)}, factors: ${factors}`);
  }
  return lines.join("\n");
}
