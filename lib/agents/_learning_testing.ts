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

/** Mulberry32: a small seeded generator so property tests are reproducible. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
