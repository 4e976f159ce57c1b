import { normalCdf } from "./_normal.ts";

/** Inputs of {@link probabilisticSharpe}, all per period (not annualized). */
export interface ProbabilisticSharpeInput {
  /** Observed Sharpe ratio per period, `mean / std` of the excess returns. */
  sharpe: number;
  /** Number of return observations T. */
  n: number;
  /** Skewness γ₃ of the returns (sample moment ratio, `skew(r, { bias: true })`). */
  skew: number;
  /** Kurtosis γ₄ of the returns, Pearson's (3 for a normal), i.e. excess + 3. */
  kurtosis: number;
  /** Benchmark Sharpe ratio SR* per period; default 0. */
  benchmarkSharpe?: number;
}

/**
 * Probabilistic Sharpe ratio from summary statistics (Bailey & López de Prado 2012, "The Sharpe
 * Ratio Efficient Frontier", eq. for PSR):
 *
 * `PSR(SR*) = Φ( (SR − SR*) · sqrt(T − 1) / sqrt(1 − γ₃·SR + (γ₄ − 1)/4 · SR²) )`
 *
 * the probability that the true Sharpe ratio exceeds SR*. NaN when T < 2 or the variance term is
 * not positive.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { probabilisticSharpe } from "./probabilistic_sharpe.ts";
 * // normal returns (γ₃ = 0, γ₄ = 3), SR = 0.1 per day over 101 days, SR* = 0:
 * // z = 0.1 * 10 / sqrt(1 + 0.5 * 0.01) = 0.997509..., Φ(z) = 0.84073...
 * const p = probabilisticSharpe({ sharpe: 0.1, n: 101, skew: 0, kurtosis: 3 });
 * assert.ok(Math.abs(p - 0.8407) < 1e-4);
 * ```
 */
export function probabilisticSharpe(input: ProbabilisticSharpeInput): number {
  const { sharpe: sr, n, skew: g3, kurtosis: g4 } = input;
  const srStar = input.benchmarkSharpe ?? 0;
  if (!(n >= 2)) return NaN;
  const v = 1 - g3 * sr + (g4 - 1) / 4 * sr * sr;
  if (!(v > 0)) return NaN;
  return normalCdf((sr - srStar) * Math.sqrt(n - 1) / Math.sqrt(v));
}
