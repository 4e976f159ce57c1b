import type { Trade } from "../types/mod.ts";
import { closedTrades } from "./_private.ts";

/**
 * Best closed trade's return (net of fees, a fraction of the capital put in). NaN without closed
 * trades.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import type { Trade } from "../types/mod.ts";
 * import { bestTrade } from "./best_trade.ts";
 * const t = (r: number) => ({ exitIndex: 1, return: r }) as Trade;
 * assert.equal(bestTrade([t(0.1), t(-0.05), t(0.2)]), 0.2);
 * ```
 */
export function bestTrade(trades: readonly Trade[]): number {
  let best = NaN;
  for (const t of closedTrades(trades)) if (!(t.return <= best)) best = t.return;
  return best;
}
