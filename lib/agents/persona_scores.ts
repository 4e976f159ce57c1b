import type { DecisionOutcomeRow } from "./decision_row.ts";
import { ObservationColumns, type ReliabilityBin, type ScoreFigures, scoreFigures } from "./_learning_stats.ts";

export type { ReliabilityBin, ScoreFigures };

/** Options of {@link personaScores}. */
export interface PersonaScoresOptions {
  /** Reliability bins over the predicted probability [0, 1]. Default 10. */
  bins?: number;
}

/** One factor's figures within a persona. */
export interface FactorScore extends ScoreFigures {
  factor: string;
}

/** One persona's figures, with its factors'. */
export interface PersonaScore extends ScoreFigures {
  persona: string;
  /** Abstentions (excluded from every figure). */
  abstained: number;
  /** Decisions whose outcome window has not closed (excluded from every figure). */
  pending: number;
  factors: FactorScore[];
}

/**
 * Scores each persona, and each factor of each persona, against the outcomes of its decisions (rows from
 * `attachOutcomes`). Abstentions and rows with a NaN forward return (window still open) are left out of every
 * figure and counted apart. Over the remaining rows, with `d` the direction (+1, -1, 0), `c` the confidence and
 * `r` the forward return:
 *
 * - **hit rate** = hits / directional: a hit is `d × r > 0`; holds and closes (`d = 0`) are excluded from both
 *   counts (they take no side); a zero return is a miss.
 * - **information coefficient** = the Spearman rank correlation of the signal `c × d` with `r`, ties ranked by
 *   their average rank (holds count, with signal 0); `pearsonIc` is the Pearson correlation of the same. NaN
 *   with fewer than two rows or a constant signal or return.
 * - **Brier score** = mean of `(p - u)²` with `p = 0.5 + 0.5 × c × d` the probability of an up move the decision
 *   implies (a hold says 0.5) and `u = 1` when `r > 0`, else 0. 0 is perfect, 0.25 is a coin.
 * - **reliability**: the rows binned on `p` into `bins` equal bins (`[k/bins, (k+1)/bins)`, `p = 1` in the last),
 *   each with its count, mean `p` and observed up frequency.
 * - **P&L contribution** = `Σ d × r × share`: a persona's share at a bar is its share of an equal-weight vote,
 *   `1 / k` with `k` the personas that did not abstain on that run, symbol and bar; the sum over personas is then
 *   the return of the equal-weight average view.
 *
 * A factor is scored as a view of its own: direction its `direction` (bullish +1, bearish -1, neutral 0), the
 * persona's confidence, and share its weight's share of the row's weights (`weight / Σ weights`), so its P&L
 * contribution is the part of the persona's view it carried.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { personaScores } from "./persona_scores.ts";
 * const row = (direction: 1 | -1, forwardReturn: number) => ({
 *   persona: "p", symbol: "X", decisionTime: 1, barTs: 0, action: direction > 0 ? "buy" as const : "sell" as const,
 *   confidence: 1, direction, factors: [], source: "backtest" as const, runId: "r", forwardReturn, outcomeTime: 2,
 * });
 * const [p] = personaScores([row(1, 0.02), row(-1, 0.01), row(-1, -0.03)]);
 * assert.equal(p!.hitRate, 2 / 3);
 * assert.equal(p!.brier, 1 / 3); // p is 1, 0, 0; up is 1, 1, 0
 * ```
 */
export function personaScores(rows: readonly DecisionOutcomeRow[], options: PersonaScoresOptions = {}): PersonaScore[] {
  const bins = options.bins ?? 10;
  if (!Number.isInteger(bins) || bins < 1 || bins > 1_000) {
    throw new RangeError(`personaScores: bins must be an integer from 1 to 1000, got ${options.bins}`);
  }
  const voters = new Map<string, number>();
  for (const row of rows) {
    if (row.action === "abstain") continue;
    const key = barKey(row);
    voters.set(key, (voters.get(key) ?? 0) + 1);
  }
  const groups = new Map<
    string,
    { abstained: number; pending: number; cols: ObservationColumns; factors: Map<string, ObservationColumns> }
  >();
  for (const row of rows) {
    let g = groups.get(row.persona);
    if (g === undefined) {
      g = { abstained: 0, pending: 0, cols: new ObservationColumns(), factors: new Map() };
      groups.set(row.persona, g);
    }
    if (row.action === "abstain") {
      g.abstained++;
      continue;
    }
    const r = row.forwardReturn;
    if (!Number.isFinite(r)) {
      g.pending++;
      continue;
    }
    g.cols.push(row.direction, row.confidence, r, 1 / voters.get(barKey(row))!);
    let total = 0;
    for (const f of row.factors) total += f.weight;
    for (const f of row.factors) {
      let cols = g.factors.get(f.id);
      if (cols === undefined) g.factors.set(f.id, cols = new ObservationColumns());
      cols.push(f.direction, row.confidence, r, total > 0 ? f.weight / total : 0);
    }
  }
  return [...groups.keys()].sort().map((persona) => {
    const g = groups.get(persona)!;
    return {
      persona,
      abstained: g.abstained,
      pending: g.pending,
      ...scoreFigures(g.cols, bins),
      factors: [...g.factors.keys()].sort().map((factor) => ({
        factor,
        ...scoreFigures(g.factors.get(factor)!, bins),
      })),
    };
  });
}

function barKey(row: DecisionOutcomeRow): string {
  return `${row.runId}\u0000${row.symbol}\u0000${row.decisionTime}`;
}
