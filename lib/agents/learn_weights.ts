import type { DecisionOutcomeRow } from "./decision_row.ts";
import { weightRule, weightsFromCounts } from "./_learning_weights.ts";

/** Options of {@link learnWeights}. */
export interface LearnWeightsOptions {
  /** Epoch ms of the decision the weights are for; only outcomes with `outcomeTime < at` are used. */
  at: number;
  /** Shrinkage toward equal weights, in [0, 1]: 0 = learned only, 1 = equal weights. Default 0.5. */
  shrinkage?: number;
  /** Directional outcomes a persona needs before its record counts (it keeps the equal weight until then). Default 10. */
  minObservations?: number;
  /** Only outcomes whose window closed within this many ms before `at` (`outcomeTime >= at - lookback`). Default: all. */
  lookback?: number;
  /** The personas to weigh. Default: every persona with a row decided at or before `at`, sorted by name. */
  personas?: readonly string[];
}

/** One persona's learned weight and the record behind it. */
export interface PersonaWeight {
  persona: string;
  /** Directional decisions (buy or sell) with an outcome known before `at`. */
  observations: number;
  hits: number;
  /** `hits / observations` (NaN with none). */
  hitRate: number;
  /** `max(0, hitRate - 0.5)`, NaN below `minObservations`. */
  edge: number;
  /** The weight before shrinkage. */
  learned: number;
  /** The weight after shrinkage: what the vote uses. */
  weight: number;
}

/** The weights of a vote at one decision time. */
export interface LearnedWeights {
  at: number;
  shrinkage: number;
  minObservations: number;
  personas: PersonaWeight[];
  /** persona -> weight; the weights are non-negative and sum to 1. */
  weights: Record<string, number>;
}

/**
 * Persona weights for a vote at decision time `at`, learned from the decisions whose outcome window closed
 * strictly before `at` (`outcomeTime < at`; NaN outcomes never count), so no outcome the vote could not have
 * known changes them. With N personas, for each one the directional decisions (buy or sell, holds and
 * abstentions left out) give `n` and `hits` (`direction × forwardReturn > 0`):
 *
 * - a persona is *qualified* when `n >= minObservations`; its edge is `e = max(0, hits / n - 0.5)`;
 * - learned weight: an unqualified persona keeps `1 / N`; the Q qualified ones share `Q / N` in proportion to
 *   their edges, `learned_i = (Q / N) × e_i / Σ e` (each `1 / N` when every edge is 0);
 * - shrinkage toward equal weights: `w_i = (1 - s) × learned_i + s / N`.
 *
 * So the weights are non-negative, sum to 1, equal `1 / N` for s = 1 and the learned weights for s = 0; a persona
 * no better than a coin gets only the shrinkage share `s / N` once qualified.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { learnWeights } from "./learn_weights.ts";
 * const row = (persona: string, forwardReturn: number, outcomeTime: number) => ({
 *   persona, symbol: "X", decisionTime: outcomeTime - 1, barTs: outcomeTime - 2, action: "buy" as const,
 *   confidence: 1, direction: 1 as const, factors: [], source: "backtest" as const, runId: "r", forwardReturn,
 *   outcomeTime,
 * });
 * // a: 2 hits of 2 (edge 0.5); b: 1 of 2 (edge 0); the rows at 10 are not known at 10
 * const rows = [row("a", 0.01, 5), row("a", 0.02, 6), row("b", 0.01, 5), row("b", -0.01, 6), row("b", 0.5, 10)];
 * const w = learnWeights(rows, { at: 10, shrinkage: 0.5, minObservations: 2 });
 * assert.deepEqual(w.weights, { a: 0.75, b: 0.25 });
 * ```
 */
export function learnWeights(rows: readonly DecisionOutcomeRow[], options: LearnWeightsOptions): LearnedWeights {
  const at = options.at;
  if (!Number.isFinite(at)) throw new RangeError(`learnWeights: at must be an epoch ms time, got ${at}`);
  const rule = weightRule("learnWeights", options);
  let names: string[];
  if (options.personas !== undefined) {
    names = [...options.personas];
  } else {
    const seen = new Set<string>();
    for (const row of rows) if (row.decisionTime <= at) seen.add(row.persona);
    names = [...seen].sort();
  }
  const index = new Map(names.map((name, i) => [name, i]));
  const N = names.length;
  const n = new Float64Array(N), hits = new Float64Array(N);
  const from = at - rule.lookback;
  for (const row of rows) {
    const i = index.get(row.persona);
    const t = row.outcomeTime;
    // NaN outcome times fail both comparisons, so open windows never count.
    if (i === undefined || row.direction === 0 || !(t < at && t >= from)) continue;
    const r = row.forwardReturn;
    if (r !== r) continue;
    n[i]!++;
    if (row.direction * r > 0) hits[i]!++;
  }
  const edge = new Float64Array(N), learned = new Float64Array(N), weights = new Float64Array(N);
  weightsFromCounts(n, hits, rule, edge, learned, weights);
  const personas = names.map((persona, i): PersonaWeight => ({
    persona,
    observations: n[i]!,
    hits: hits[i]!,
    hitRate: n[i]! > 0 ? hits[i]! / n[i]! : NaN,
    edge: edge[i]!,
    learned: learned[i]!,
    weight: weights[i]!,
  }));
  return {
    at,
    shrinkage: rule.shrinkage,
    minObservations: rule.minObservations,
    personas,
    weights: Object.fromEntries(personas.map((p) => [p.persona, p.weight])),
  };
}
