import type { Trade } from "../types/mod.ts";
import { closedTrades } from "./_private.ts";

/**
 * Mean return of the losing closed trades (return < 0), a **negative** number like quantstats'
 * `avg_loss`. NaN without a loser.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import type { Trade } from "../types/mod.ts";
 * import { avgLoss } from "./avg_loss.ts";
 * const t = (r: number) => ({ exitIndex: 1, return: r }) as Trade;
 * assert.ok(Math.abs(avgLoss([t(0.1), t(-0.05), t(-0.15)]) - -0.1) < 1e-15);
 * ```
 */
export function avgLoss(trades: readonly Trade[]): number {
  let s = 0;
  let k = 0;
  for (const t of closedTrades(trades)) {
    if (t.return < 0) {
      s += t.return;
      k++;
    }
  }
  return k === 0 ? NaN : s / k;
}
