import type { RiskState } from "./risk_state.ts";

/** A closed bar of one symbol, as the risk rules need it. */
export interface RiskBar {
  symbol: string;
  /** Close time of the bar (its open time plus the timeframe), epoch ms UTC. */
  closeTime: number;
  /** Close price: marks the symbol's position for exposure. */
  close: number;
  /** The symbol's volatility figure after this bar (see `volatilityHalt`); omit or NaN while warming up. */
  volatility?: number;
}

/**
 * Records a closed bar: its close time (stale-data guard), its close as the symbol's last price (exposure) and
 * the symbol's volatility figure (volatility halt; a missing or NaN figure removes the old one, so the rule's
 * `onMissing` decides). Changes `state` in place and returns it.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { createRiskState, recordBar } from "./mod.ts";
 * const s = createRiskState({ account: "a", cash: 1_000, now: 0 });
 * recordBar(s, { symbol: "X", closeTime: 60_000, close: 10, volatility: 0.01 });
 * assert.equal(s.lastBarClose.get("X"), 60_000);
 * assert.equal(s.volatility.get("X"), 0.01);
 * ```
 */
export function recordBar(state: RiskState, bar: RiskBar): RiskState {
  if (!Number.isFinite(bar.closeTime)) throw new RangeError(`bar close time must be finite, got ${bar.closeTime}`);
  if (!(bar.close > 0) || !Number.isFinite(bar.close)) {
    throw new RangeError(`bar close of ${bar.symbol} must be a finite price > 0, got ${bar.close}`);
  }
  state.lastBarClose.set(bar.symbol, bar.closeTime);
  const pos = state.positions.get(bar.symbol);
  if (pos !== undefined) pos.lastPrice = bar.close;
  const v = bar.volatility;
  if (v !== undefined && Number.isFinite(v) && v >= 0) state.volatility.set(bar.symbol, v);
  else state.volatility.delete(bar.symbol);
  return state;
}
