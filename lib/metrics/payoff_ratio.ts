import type { Trade } from "../types/mod.ts";
import { avgLoss } from "./avg_loss.ts";
import { avgWin } from "./avg_win.ts";

/**
 * Payoff ratio: `avgWin / |avgLoss|` over closed trades' returns (quantstats' `payoff_ratio`,
 * also "win/loss ratio"). Infinity with winners but no loser; NaN without a winner.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import type { Trade } from "../types/mod.ts";
 * import { payoffRatio } from "./payoff_ratio.ts";
 * const t = (r: number) => ({ exitIndex: 1, return: r }) as Trade;
 * // avg win 0.15, avg loss -0.05 -> 3
 * assert.ok(Math.abs(payoffRatio([t(0.1), t(-0.05), t(0.2)]) - 3) < 1e-12);
 * ```
 */
export function payoffRatio(trades: readonly Trade[]): number {
  const w = avgWin(trades);
  const l = avgLoss(trades);
  if (w !== w) return NaN;
  if (l !== l) return Infinity;
  return w / -l;
}
