import { sharpeMoments } from "./_private.ts";
import { expectedMaxSharpe } from "./expected_max_sharpe.ts";
import { probabilisticSharpe } from "./probabilistic_sharpe.ts";

/** Options of {@link dsr}. */
export interface DsrOptions {
  /** Number of independent trials N behind the selected strategy (the sweep's size), >= 1. */
  trials: number;
  /**
   * Variance of the trials' Sharpe ratios **per period** (annualized Sharpes divided by
   * sqrt(periodsPerYear) before taking the variance, i.e. annualized variance / periodsPerYear).
   */
  sharpeVariance: number;
  /** Yearly risk-free rate; needs `periodsPerYear`. Default 0. */
  riskFree?: number;
  /** Bars per year, only used to de-annualize `riskFree`. */
  periodsPerYear?: number;
}

/**
 * Deflated Sharpe ratio (Bailey & López de Prado 2014): the PSR of the selected strategy's
 * returns against the Sharpe ratio expected from the best of N unskilled trials,
 *
 * `DSR = PSR(SR₀)`, `SR₀ = sqrt(V[SR]) · ((1 − γ) Φ⁻¹(1 − 1/N) + γ Φ⁻¹(1 − 1/(N e)))`
 *
 * with γ the Euler–Mascheroni constant and SR, γ₃, γ₄ from the returns as in `psr`. A DSR above
 * 0.95 says the Sharpe ratio survives the multiple testing at 5 %. NaN with fewer than two returns
 * or zero variance.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { dsr } from "./dsr.ts";
 * import { psr } from "./psr.ts";
 * const r = new Float64Array([0.01, 0.02, -0.005, 0.015, 0.0, 0.01, -0.01, 0.02]);
 * // one trial: no deflation
 * assert.equal(dsr(r, { trials: 1, sharpeVariance: 0.1 }), psr(r));
 * assert.ok(dsr(r, { trials: 50, sharpeVariance: 0.1 }) < psr(r));
 * ```
 */
export function dsr(returns: Float64Array, options: DsrOptions): number {
  const sr0 = expectedMaxSharpe({ trials: options.trials, variance: options.sharpeVariance });
  const m = sharpeMoments(returns, options.riskFree, options.periodsPerYear, "dsr");
  if (m.sharpe !== m.sharpe) return NaN;
  return probabilisticSharpe({ ...m, benchmarkSharpe: sr0 });
}
