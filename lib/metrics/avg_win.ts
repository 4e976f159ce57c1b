import type { Trade } from "../types/mod.ts";
import { closedTrades } from "./_private.ts";

/**
 * Mean return of the winning closed trades (return > 0); quantstats' `avg_win` on trades. NaN
 * without a winner.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import type { Trade } from "../types/mod.ts";
 * import { avgWin } from "./avg_win.ts";
 * const t = (r: number) => ({ exitIndex: 1, return: r }) as Trade;
 * assert.ok(Math.abs(avgWin([t(0.1), t(-0.05), t(0.2)]) - 0.15) < 1e-15);
 * ```
 */
export function avgWin(trades: readonly Trade[]): number {
  let s = 0;
  let k = 0;
  for (const t of closedTrades(trades)) {
    if (t.return > 0) {
      s += t.return;
      k++;
    }
  }
  return k === 0 ? NaN : s / k;
}
