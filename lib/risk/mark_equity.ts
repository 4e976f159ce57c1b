import type { RiskState } from "./risk_state.ts";

const DAY_MS = 86_400_000;

/**
 * Marks the account's equity at `now` (the runner calls it at every bar close, after fills). It raises the equity
 * peak when exceeded, and on the first mark of a new UTC day makes this equity the day's start equity (the
 * daily-loss reference): with bars of one minute that is the equity at 00:00-00:01 UTC. Changes `state` in place
 * and returns it.
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
 * markEquity(s, 950, day); // 00:00 UTC of the next day
 * assert.equal(s.dayStartEquity, 950);
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
    state.dayStartEquity = equity;
  }
  state.equity = equity;
  if (equity > state.equityPeak) state.equityPeak = equity;
  return state;
}
