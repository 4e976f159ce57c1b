import { normalPpf } from "./_normal.ts";

/** Inputs of {@link expectedMaxSharpe}. */
export interface ExpectedMaxSharpeInput {
  /** Number of independent trials N (parameter sets tried), >= 1. */
  trials: number;
  /** Variance of the trials' Sharpe ratios V[SR], in the same units as the Sharpe compared to it. */
  variance: number;
  /** Mean Sharpe ratio of the trials under the null; default 0. */
  mean?: number;
}

/** Euler–Mascheroni constant γ. */
const EULER_GAMMA = 0.5772156649015329;

/**
 * Expected maximum Sharpe ratio of N independent trials with true Sharpe `mean` (Bailey & López
 * de Prado 2014, "The Deflated Sharpe Ratio", the False Strategy theorem):
 *
 * `SR₀ = mean + sqrt(V) · ((1 − γ) · Φ⁻¹(1 − 1/N) + γ · Φ⁻¹(1 − 1/(N·e)))`
 *
 * With a single trial there is no selection and SR₀ is `mean`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { expectedMaxSharpe } from "./expected_max_sharpe.ts";
 * // the paper's example: N = 100, V = 0.5 / 250 per day -> SR₀ = 0.1132 per day
 * const sr0 = expectedMaxSharpe({ trials: 100, variance: 0.5 / 250 });
 * assert.ok(Math.abs(sr0 - 0.1132) < 5e-5);
 * ```
 */
export function expectedMaxSharpe(input: ExpectedMaxSharpeInput): number {
  const { trials, variance } = input;
  const mean = input.mean ?? 0;
  if (!Number.isFinite(trials) || trials < 1) {
    throw new RangeError(`expectedMaxSharpe: trials must be a finite number >= 1, got ${trials}`);
  }
  if (!(variance >= 0) || !Number.isFinite(variance)) {
    throw new RangeError(`expectedMaxSharpe: variance must be a finite number >= 0, got ${variance}`);
  }
  if (trials === 1) return mean;
  const z = (1 - EULER_GAMMA) * normalPpf(1 - 1 / trials) + EULER_GAMMA * normalPpf(1 - 1 / (trials * Math.E));
  return mean + Math.sqrt(variance) * z;
}
