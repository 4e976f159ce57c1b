import type { RiskState } from "./risk_state.ts";

const DAY_MS = 86_400_000;

/**
 * Marks the account's equity at `now` (the runner calls it at every bar close, after fills). It raises the equity
 * peak when exceeded. On the first mark of a new UTC day, the equity of the previous mark (the equity carried
 * over midnight) becomes the day's start equity, the daily-loss reference; this mark's own equity already counts
 * toward the day's P&L. Changes `state` in place and returns it.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { createRiskState, markEquity } from "./mod.ts";
 * const day = 86_400_000;
 * const s = createRiskState({ account: "a", cash: 1_000, now: 0 });
 * markEquity(s, 1_200, 1_000);
 * markEquity(s, 900, day - 1);
 * assert.equal(s.equityPeak, 1_200);
 * assert.equal(s.dayStartEquity, 1_000);
 * markEquity(s, 950, day); // 00:00 UTC of the next day: the day started at 900
 * assert.equal(s.dayStartEquity, 900);
 * ```
 */
export function markEquity(state: RiskState, equity: number, now: number): RiskState {
  if (!Number.isFinite(equity)) throw new RangeError(`equity must be a finite number, got ${equity}`);
  if (!Number.isFinite(now)) throw new RangeError(`now must be finite epoch ms, got ${now}`);
  const day = Math.floor(now / DAY_MS);
  if (day !== state.day) {
    if (day < state.day) {
      throw new RangeError(
        `markEquity at ${new Date(now).toISOString()} is on a UTC day before the last mark's ` +
          `(${new Date(state.day * DAY_MS).toISOString().slice(0, 10)}); mark equity in time order`,
      );
    }
    state.day = day;
    // The equity at 00:00 is the one carried into the day (positions at their last prices before midnight), not
    // this mark, which already holds the first bar's P&L. The audit log's replay uses the same reference.
    state.dayStartEquity = state.equity;
  }
  state.equity = equity;
  if (equity > state.equityPeak) state.equityPeak = equity;
  return state;
}
