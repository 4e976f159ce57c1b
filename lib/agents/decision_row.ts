import { z } from "zod";

/** Where a decision was made. */
export const DecisionSourceSchema = z.enum(["backtest", "paper", "live"]);
/** Where a decision was made: a backtest, a paper account or a live account. */
export type DecisionSource = z.infer<typeof DecisionSourceSchema>;

/** A decision row's action: a persona's answer, or `abstain`. */
export type DecisionAction = "buy" | "sell" | "hold" | "close" | "abstain";

/**
 * One persona's final decision on one bar of one symbol, the unit of the learning module (`personaScores`,
 * `learnWeights`, `learningReport`). Built from audit `decision` events by `decisionRowsFromAudit`, or directly.
 *
 * `direction` is the view's sign: +1 for `buy`, -1 for `sell`, 0 for `hold`, `close` and `abstain` (no view on
 * the next move). A factor's `direction` is +1 bullish, -1 bearish, 0 neutral; its `weight` is as the persona gave
 * it (the scores use each weight's share of the row's weight sum).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { DecisionRowSchema } from "./decision_row.ts";
 * const row = DecisionRowSchema.parse({
 *   persona: "trend_follower", symbol: "BTC/USDT", decisionTime: 3_600_000, barTs: 0, action: "buy",
 *   confidence: 0.7, direction: 1, factors: [{ id: "trend", direction: 1, weight: 1 }], source: "backtest",
 *   runId: "run-1",
 * });
 * assert.equal(row.direction, 1);
 * ```
 */
export const DecisionRowSchema = z.strictObject({
  persona: z.string().min(1).max(128),
  symbol: z.string().min(1).max(64),
  /** Epoch ms of the decision: the close time of the decision bar, `barTs + timeframeMs`. */
  decisionTime: z.number().int(),
  /** Epoch ms open time of the decision bar. */
  barTs: z.number().int(),
  action: z.enum(["buy", "sell", "hold", "close", "abstain"]),
  confidence: z.number().min(0).max(1),
  direction: z.union([z.literal(1), z.literal(-1), z.literal(0)]),
  factors: z.array(z.strictObject({
    id: z.string().min(1).max(128),
    direction: z.union([z.literal(1), z.literal(-1), z.literal(0)]),
    weight: z.number().min(0).finite(),
  })).max(100),
  source: DecisionSourceSchema,
  runId: z.string().min(1).max(128),
}).refine((r) => r.direction === directionOfAction(r.action), {
  message: "direction must be +1 for buy, -1 for sell and 0 for hold, close and abstain",
  path: ["direction"],
});
/** One persona's decision on one bar (see {@link DecisionRowSchema}). */
export type DecisionRow = z.infer<typeof DecisionRowSchema>;

/**
 * A decision row with its outcome (`attachOutcomes`): the simple return from the decision bar's close to the close
 * `horizonBars` later, and the epoch ms when that window closed (the close time of bar `t + horizonBars`). Both
 * are NaN while the window is open or when the bar is not in the price series.
 */
export interface DecisionOutcomeRow extends DecisionRow {
  forwardReturn: number;
  outcomeTime: number;
}

/** +1 buy, -1 sell, 0 otherwise. */
export function directionOfAction(action: DecisionAction): 1 | -1 | 0 {
  return action === "buy" ? 1 : action === "sell" ? -1 : 0;
}
