import type { Trade } from "../types/mod.ts";
import { closedTrades } from "./_private.ts";

/**
 * Expectancy: the mean P&L of a closed trade in quote currency, net of fees, which equals
 * `winRate × mean win − (1 − winRate) × mean |loss|` (Van Tharp's expectancy measured in money
 * rather than R-multiples, which need a per-trade initial risk the engine does not record).
 * For the mean *return* per trade see `avgTrade`. NaN without closed trades.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import type { Trade } from "../types/mod.ts";
 * import { expectancy } from "./expectancy.ts";
 * const t = (pnl: number) => ({ exitIndex: 1, pnl }) as Trade;
 * // (300 - 200 + 100 - 100) / 4 = 25
 * assert.equal(expectancy([t(300), t(-200), t(100), t(-100)]), 25);
 * ```
 */
export function expectancy(trades: readonly Trade[]): number {
  const closed = closedTrades(trades);
  if (closed.length === 0) return NaN;
  let s = 0;
  for (const t of closed) s += t.pnl;
  return s / closed.length;
}
