import type { Trade } from "../types/mod.ts";
import { closedTrades } from "./_private.ts";

/**
 * Longest run of winning closed trades (return > 0) in the order given (the engine lists trades by
 * exit). A break-even trade ends a run. 0 without closed trades.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import type { Trade } from "../types/mod.ts";
 * import { maxConsecutiveWins } from "./max_consecutive_wins.ts";
 * const t = (r: number) => ({ exitIndex: 1, return: r }) as Trade;
 * assert.equal(maxConsecutiveWins([t(0.1), t(0.1), t(-0.1), t(0.1), t(0.1), t(0.1), t(0)]), 3);
 * ```
 */
export function maxConsecutiveWins(trades: readonly Trade[]): number {
  let run = 0;
  let best = 0;
  for (const t of closedTrades(trades)) {
    run = t.return > 0 ? run + 1 : 0;
    if (run > best) best = run;
  }
  return best;
}
