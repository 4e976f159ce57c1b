import type { Trade } from "../types/mod.ts";
import { closedTrades } from "./_private.ts";

/**
 * System Quality Number (Van Tharp): `sqrt(N) × mean(pnl) / std(pnl, ddof = 1)` over the N
 * closed trades' P&L, as backtesting.py computes it (Tharp uses R-multiples, which need an
 * initial risk per trade, and later capped N at 100; neither is applied here). NaN with fewer
 * than two closed trades or identical P&L.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import type { Trade } from "../types/mod.ts";
 * import { sqn } from "./sqn.ts";
 * const t = (pnl: number) => ({ exitIndex: 1, pnl }) as Trade;
 * // pnl 1, 3: mean 2, sample std sqrt(2), sqrt(2) * 2 / sqrt(2) = 2
 * assert.ok(Math.abs(sqn([t(1), t(3)]) - 2) < 1e-12);
 * ```
 */
export function sqn(trades: readonly Trade[]): number {
  const closed = closedTrades(trades);
  const n = closed.length;
  if (n < 2) return NaN;
  let s = 0;
  for (const t of closed) s += t.pnl;
  const mean = s / n;
  let ss = 0;
  for (const t of closed) ss += (t.pnl - mean) * (t.pnl - mean);
  const sd = Math.sqrt(ss / (n - 1));
  if (sd === 0) return NaN;
  return Math.sqrt(n) * mean / sd;
}
