import type { Trade } from "../types/mod.ts";
import { closedTrades } from "./_private.ts";

/**
 * Worst closed trade's return (net of fees; negative for a loss). NaN without closed trades.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import type { Trade } from "../types/mod.ts";
 * import { worstTrade } from "./worst_trade.ts";
 * const t = (r: number) => ({ exitIndex: 1, return: r }) as Trade;
 * assert.equal(worstTrade([t(0.1), t(-0.05), t(0.2)]), -0.05);
 * ```
 */
export function worstTrade(trades: readonly Trade[]): number {
  let worst = NaN;
  for (const t of closedTrades(trades)) if (!(t.return >= worst)) worst = t.return;
  return worst;
}
