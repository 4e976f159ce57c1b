import type { Trade } from "../types/mod.ts";
import { closedTrades } from "./_private.ts";

/**
 * Longest run of losing closed trades (return < 0) in the order given. A break-even trade ends a
 * run. 0 without closed trades.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import type { Trade } from "../types/mod.ts";
 * import { maxConsecutiveLosses } from "./max_consecutive_losses.ts";
 * const t = (r: number) => ({ exitIndex: 1, return: r }) as Trade;
 * assert.equal(maxConsecutiveLosses([t(-0.1), t(-0.1), t(0), t(-0.1), t(0.1)]), 2);
 * ```
 */
export function maxConsecutiveLosses(trades: readonly Trade[]): number {
  let run = 0;
  let best = 0;
  for (const t of closedTrades(trades)) {
    run = t.return < 0 ? run + 1 : 0;
    if (run > best) best = run;
  }
  return best;
}
