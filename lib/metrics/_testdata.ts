// Fixtures shared by the tests of this module (not part of the public API).
import type { Trade } from "../types/mod.ts";

/**
 * empyrical's test fixtures (quantopian/empyrical, empyrical/tests/test_stats.py), in percent.
 * `mixed` is its `mixed_returns` with the leading NaN as 0: the expectations published there for
 * Sharpe, volatility, Sortino, CAGR and Calmar are the values of this vector (recomputed with
 * numpy 2.4.6: e.g. Sharpe 1.6368951821422701, volatility 0.855277732669336).
 */
export const EMPYRICAL = {
  mixed: new Float64Array([0, 1, 10, -4, 2, 3, 2, 1, -10].map((v) => v / 100)),
  negative: new Float64Array([0, -6, -7, -1, -9, -2, -6, -8, -5].map((v) => v / 100)),
  positive: new Float64Array([1, 2, 1, 1, 1, 1, 1, 1, 1].map((v) => v / 100)),
  simpleBenchmark: new Float64Array(9).fill(0.01),
  one: new Float64Array([0.01]),
  empty: new Float64Array(0),
};

/** empyrical passes a per-period risk-free rate; ours is yearly: the rate that de-annualizes to `perPeriod`. */
export function yearlyRate(perPeriod: number, ppy: number): number {
  return Math.pow(1 + perPeriod, ppy) - 1;
}

/** Asserts |actual - expected| <= tol, treating NaN == NaN and equal infinities as equal. */
export function assertClose(actual: number, expected: number, tol = 1e-8, what = ""): void {
  if (Number.isNaN(expected) && Number.isNaN(actual)) return;
  if (actual === expected) return;
  if (!(Math.abs(actual - expected) <= tol)) {
    throw new Error(`${what ? what + ": " : ""}expected ${expected}, got ${actual} (tol ${tol})`);
  }
}

/** Deterministic N(mean, sd) returns (xorshift32 + Box-Muller). */
export function randomReturns(n: number, seed = 7, mean = 0.0005, sd = 0.02): Float64Array {
  const out = new Float64Array(n);
  let s = seed >>> 0 || 1;
  const u = () => {
    s ^= s << 13;
    s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5;
    s >>>= 0;
    return (s + 1) / 4294967297;
  };
  for (let i = 0; i < n; i++) out[i] = mean + sd * Math.sqrt(-2 * Math.log(u())) * Math.cos(2 * Math.PI * u());
  return out;
}

/** A closed (or, with `exitIndex: -1`, open) trade with sensible defaults. */
export function makeTrade(p: Partial<Trade> & { return: number }): Trade {
  const entryPrice = p.entryPrice ?? 100;
  const size = p.size ?? 1;
  const exitIndex = p.exitIndex ?? 1;
  return {
    asset: "BTC/USDT",
    direction: "long",
    entryIndex: p.entryIndex ?? 0,
    exitIndex,
    entryTs: 0,
    exitTs: exitIndex < 0 ? NaN : 86_400_000,
    entryPrice,
    exitPrice: p.exitPrice ?? entryPrice * (1 + p.return),
    size,
    pnl: p.pnl ?? p.return * entryPrice * size,
    fees: p.fees ?? 0,
    bars: p.bars ?? 1,
    durationMs: p.durationMs ?? 86_400_000,
    exitReason: exitIndex < 0 ? "open" : "signal",
    ...p,
  };
}

/**
 * Six closed trades with returns 10 %, -5 %, 20 %, 0 %, -10 %, 5 % on 100 of capital each (pnl 10,
 * -5, 20, 0, -10, 5), then an open trade at +50 % that every trade statistic must ignore.
 */
export const TRADES: Trade[] = [0.1, -0.05, 0.2, 0, -0.1, 0.05].map((r) => makeTrade({ return: r }))
  .concat([makeTrade({ return: 0.5, exitIndex: -1 })]);
