import type { Trade } from "../types/mod.ts";
import { payoffRatio } from "./payoff_ratio.ts";
import { winRate } from "./win_rate.ts";

/**
 * Kelly fraction, quantstats' `kelly_criterion` (fixed-odds form) on closed trades:
 * `p − (1 − p) / b` with `p` the win rate and `b` the payoff ratio. Negative means the edge is
 * negative (bet nothing); `p` when there is no loser. NaN without closed trades or winners.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import type { Trade } from "../types/mod.ts";
 * import { kelly } from "./kelly.ts";
 * const t = (r: number) => ({ exitIndex: 1, return: r }) as Trade;
 * // p = 0.5, b = 0.2 / 0.1 = 2: 0.5 - 0.5 / 2 = 0.25
 * assert.ok(Math.abs(kelly([t(0.2), t(-0.1)]) - 0.25) < 1e-12);
 * ```
 */
export function kelly(trades: readonly Trade[]): number {
  const b = payoffRatio(trades);
  const p = winRate(trades);
  if (b !== b || p !== p || b === 0) return NaN;
  return p - (1 - p) / b;
}
