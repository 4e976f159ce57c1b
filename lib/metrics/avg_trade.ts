import type { Trade } from "../types/mod.ts";
import { closedTrades } from "./_private.ts";

/**
 * Mean return of the closed trades (arithmetic, net of fees). NaN without closed trades.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import type { Trade } from "../types/mod.ts";
 * import { avgTrade } from "./avg_trade.ts";
 * const t = (r: number) => ({ exitIndex: 1, return: r }) as Trade;
 * // (0.1 - 0.05 + 0.01) / 3 = 0.02
 * assert.ok(Math.abs(avgTrade([t(0.1), t(-0.05), t(0.01)]) - 0.02) < 1e-15);
 * ```
 */
export function avgTrade(trades: readonly Trade[]): number {
  const closed = closedTrades(trades);
  if (closed.length === 0) return NaN;
  let s = 0;
  for (const t of closed) s += t.return;
  return s / closed.length;
}
