import { sharpeMoments } from "./_private.ts";
import { probabilisticSharpe } from "./probabilistic_sharpe.ts";

/** Options of {@link psr}. */
export interface PsrOptions {
  /** Benchmark Sharpe ratio SR* **per period** (not annualized); default 0. */
  benchmarkSharpe?: number;
  /** Yearly risk-free rate; needs `periodsPerYear` to de-annualize it. Default 0. */
  riskFree?: number;
  /** Bars per year, only used to de-annualize `riskFree`. */
  periodsPerYear?: number;
}

/**
 * Probabilistic Sharpe ratio of a returns series (Bailey & López de Prado 2012): the probability
 * that the true Sharpe ratio exceeds `benchmarkSharpe`, see `probabilisticSharpe`. Inputs from
 * the non-NaN excess returns: SR = mean / std (ddof 1) per period, γ₃ and γ₄ the plain sample
 * moment ratios (`bias: true`, Pearson kurtosis), as in the paper. quantstats plugs in pandas'
 * bias-corrected skew and kurtosis instead, which differ for short series. NaN with fewer than two
 * returns or zero variance.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { psr } from "./psr.ts";
 * const p = psr(new Float64Array([0.01, 0.02, -0.005, 0.015, 0.0, 0.01]));
 * assert.ok(p > 0.9 && p < 1);
 * ```
 */
export function psr(returns: Float64Array, options: PsrOptions = {}): number {
  const m = sharpeMoments(returns, options.riskFree, options.periodsPerYear, "psr");
  if (m.sharpe !== m.sharpe) return NaN;
  return probabilisticSharpe({ ...m, benchmarkSharpe: options.benchmarkSharpe ?? 0 });
}
