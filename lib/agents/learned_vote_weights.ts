import type { Frame } from "../frame/mod.ts";
import { timeframeMs } from "../types/mod.ts";
import type { DecidedBar } from "./_agent_strategy.ts";
import { attachOutcomes } from "./attach_outcomes.ts";
import { type DecisionRow, directionOfAction } from "./decision_row.ts";
import { learnWeights } from "./learn_weights.ts";

/** Options of {@link learnedVoteWeights}. */
export interface LearnedVoteWeightsOptions {
  /** The earlier decision bars and their final outcomes (bars before `t`). */
  history: readonly DecidedBar[];
  frame: Frame;
  /** The decision bar the weights are for. */
  t: number;
  timeframe: string;
  symbol: string;
  /** The voting personas. */
  personas: readonly string[];
  /** Bars from a decision to its outcome (the forward return's horizon). */
  horizon: number;
  /** Shrinkage toward equal weights, 0..1. */
  shrinkage: number;
  /** Only the last `lookback` decision bars count (bounds the work per decision). */
  lookback: number;
  /** Directional outcomes a persona needs before its record counts. Default 10. */
  minObservations?: number;
}

/**
 * The vote weights of a debate at bar `t`, learned from its own earlier decisions: each persona's final answer of
 * each earlier decision bar becomes a {@link DecisionRow}, its outcome is the return over the next `horizon` bars
 * computed from bars `0..t` only, and {@link learnWeights} keeps the outcomes whose window closed strictly before
 * this decision (`outcomeTime < decision time`), shrunk toward equal weights. So the weights at `t` never depend on
 * a later bar (the causality test covers `weights=learned`).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { Frame } from "../frame/mod.ts";
 * import { learnedVoteWeights } from "./learned_vote_weights.ts";
 * const close = Float64Array.from({ length: 40 }, (_, i) => 100 + i); // always up
 * const frame = new Frame(Float64Array.from(close, (_, i) => i * 3_600_000), { close });
 * const answer = (persona: string, action: "buy" | "sell") => ({
 *   kind: "decision" as const, persona, calls: [], validation: { ok: true as const, repaired: false, firstIssues: [] },
 *   decision: { situation: "", signals: "", synthesis: "", action, confidence: 0.8, factors: [], citations: [],
 *     reasoning: "", riskAssessment: "", invalidationLevel: null },
 * });
 * const history = Array.from({ length: 30 }, (_, t) => ({ t, outcomes: [answer("bull", "buy"), answer("bear", "sell")] }));
 * const w = learnedVoteWeights({
 *   history, frame, t: 35, timeframe: "1h", symbol: "X", personas: ["bull", "bear"], horizon: 1, shrinkage: 0,
 *   lookback: 100,
 * });
 * assert.equal(w.bull, 1); // every buy was right, every sell wrong
 * assert.equal(w.bear, 0);
 * ```
 */
export function learnedVoteWeights(options: LearnedVoteWeightsOptions): Record<string, number> {
  const { frame, t, symbol } = options;
  const bar = timeframeMs(options.timeframe);
  const rows: DecisionRow[] = [];
  const from = Math.max(0, options.history.length - options.lookback);
  for (let k = from; k < options.history.length; k++) {
    const h = options.history[k]!;
    if (h.t >= t) break;
    for (const o of h.outcomes) {
      const action = o.kind === "decision" ? o.decision.action : "abstain";
      rows.push({
        persona: o.persona,
        symbol,
        decisionTime: frame.ts[h.t]! + bar,
        barTs: frame.ts[h.t]!,
        action,
        confidence: o.kind === "decision" ? o.decision.confidence : 0,
        direction: directionOfAction(action),
        factors: [],
        source: "backtest",
        runId: "agents",
      });
    }
  }
  // Closes through bar t only: an outcome past the decision cannot even be computed.
  const closes = { ts: frame.ts.subarray(0, t + 1), close: frame.close.subarray(0, t + 1) };
  const outcomes = attachOutcomes(rows, closes, options.horizon);
  return learnWeights(outcomes, {
    at: frame.ts[t]! + bar,
    shrinkage: options.shrinkage,
    personas: options.personas,
    ...(options.minObservations === undefined ? {} : { minObservations: options.minObservations }),
  }).weights;
}
