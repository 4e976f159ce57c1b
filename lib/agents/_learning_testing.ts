// Test fixtures of the learning module: rows with sensible defaults.
import type { DecisionOutcomeRow, DecisionRow } from "./decision_row.ts";

export const HOUR = 3_600_000;

/** A decision row on bar `bar` (hourly bars from 0), buy/sell/hold from `direction`. */
export function row(
  persona: string,
  bar: number,
  direction: 1 | -1 | 0,
  confidence: number,
  extra: Partial<DecisionRow> = {},
): DecisionRow {
  return {
    persona,
    symbol: "BTC/USDT",
    decisionTime: (bar + 1) * HOUR,
    barTs: bar * HOUR,
    action: direction > 0 ? "buy" : direction < 0 ? "sell" : "hold",
    confidence,
    direction,
    factors: [],
    source: "backtest",
    runId: "run-1",
    ...extra,
  };
}

/** A row with its outcome known at `outcomeTime`. */
export function outcomeRow(
  persona: string,
  bar: number,
  direction: 1 | -1 | 0,
  confidence: number,
  forwardReturn: number,
  extra: Partial<DecisionOutcomeRow> = {},
): DecisionOutcomeRow {
  return {
    ...row(persona, bar, direction, confidence),
    forwardReturn,
    outcomeTime: Number.isNaN(forwardReturn) ? NaN : (bar + 2) * HOUR,
    ...extra,
  };
}

// The learning tests' seeded generator is the shared one, so there is a single mulberry32 to keep right.
export { mulberry32 as rng } from "../testing/mod.ts";
