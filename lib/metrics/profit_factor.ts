import type { Trade } from "../types/mod.ts";
import { closedTrades } from "./_private.ts";

/**
 * Profit factor: gross profit over gross loss of the closed trades' P&L (quote currency, net of
 * fees): `sum(pnl > 0) / |sum(pnl < 0)|`. quantstats computes it on period returns instead.
 * Infinity with profits but no loss; NaN with neither (quantstats says 0 there).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import type { Trade } from "../types/mod.ts";
 * import { profitFactor } from "./profit_factor.ts";
 * const t = (pnl: number) => ({ exitIndex: 1, pnl }) as Trade;
 * // (300 + 100) / 200 = 2
 * assert.equal(profitFactor([t(300), t(-200), t(100)]), 2);
 * ```
 */
export function profitFactor(trades: readonly Trade[]): number {
  let win = 0;
  let loss = 0;
  for (const t of closedTrades(trades)) {
    if (t.pnl > 0) win += t.pnl;
    else if (t.pnl < 0) loss -= t.pnl;
  }
  if (loss === 0) return win > 0 ? Infinity : NaN;
  return win / loss;
}
