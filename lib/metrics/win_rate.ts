import type { Trade } from "../types/mod.ts";
import { closedTrades } from "./_private.ts";

/**
 * Win rate: the share of closed trades with a positive return (break-even trades count as not
 * won). Open trades are ignored by every trade statistic: their P&L is a mark, not realized.
 * quantstats' `win_rate` works on periods and leaves zero returns out of the denominator; this
 * one works on trades. NaN without closed trades.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import type { Trade } from "../types/mod.ts";
 * import { winRate } from "./win_rate.ts";
 * const t = (r: number) => ({ exitIndex: 1, return: r, pnl: r * 100 }) as Trade;
 * assert.equal(winRate([t(0.1), t(-0.05), t(0), t(0.02)]), 0.5);
 * ```
 */
export function winRate(trades: readonly Trade[]): number {
  const closed = closedTrades(trades);
  if (closed.length === 0) return NaN;
  let w = 0;
  for (const t of closed) if (t.return > 0) w++;
  return w / closed.length;
}
