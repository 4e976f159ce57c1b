import { checkPeriodsPerYear, riskFreePerPeriod } from "./_private.ts";
import type { RiskFreeOptions } from "./options.ts";
import { finishCore } from "./_return_summary.ts";

/** The headline statistics of a returns series, as {@link coreStats} computes them together. */
export interface CoreStats {
  /** See `totalReturn`. */
  totalReturn: number;
  /** See `cagr`; by bars (`n / periodsPerYear` years), empyrical's `cagr`. */
  cagr: number;
  /** See `annualReturn`: empyrical's geometric `annual_return`, the same number as `cagr` here. */
  annualReturn: number;
  /** See `annualReturnArithmetic`: `mean(r) * periodsPerYear`. */
  annualReturnArithmetic: number;
  /** See `annualVolatility` (ddof 1). */
  annualVolatility: number;
  /** See `sharpe` (ddof 1). */
  sharpe: number;
  /** See `sortino`. */
  sortino: number;
  /** See `maxDrawdown` (negative). */
  maxDrawdown: number;
  /** See `calmar`. */
  calmar: number;
}

/**
 * Total return, CAGR (by bars), annual return (geometric and arithmetic) and volatility, Sharpe,
 * Sortino, max drawdown and Calmar in two passes over the returns, with the same definitions (and
 * results, up to rounding) as the single-metric functions. This is what the backtester and sweeps call per run.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { coreStats } from "./core_stats.ts";
 * import { sharpe } from "./sharpe.ts";
 * const r = new Float64Array([0.01, -0.02, 0.03, 0.005]);
 * const s = coreStats(r, { periodsPerYear: 365 });
 * assert.ok(Math.abs(s.sharpe - sharpe(r, { periodsPerYear: 365 })) < 1e-12);
 * assert.ok(Math.abs(s.maxDrawdown - -0.02) < 1e-12);
 * ```
 */
export function coreStats(returns: Float64Array, options: RiskFreeOptions): CoreStats {
  const ppy = options.periodsPerYear;
  checkPeriodsPerYear(ppy, "coreStats");
  const rf = riskFreePerPeriod(options.riskFree ?? 0, ppy, "coreStats");
  const len = returns.length;
  let n = 0;
  let sum = 0;
  let down = 0;
  let eq = 1;
  let peak = 1;
  let worst = 1;
  for (let i = 0; i < len; i++) {
    // Branch-free (see maxDrawdown): selects on the predictable NaN test, arithmetic elsewhere.
    const r = returns[i]!;
    const ok = r === r;
    n += ok ? 1 : 0;
    sum += ok ? r : 0;
    const x = r - rf;
    const neg = x - Math.abs(x); // 2 min(x, 0)
    down += ok ? neg * neg : 0;
    eq *= ok ? 1 + r : 1;
    peak = Math.max(peak, eq);
    worst = Math.min(worst, eq / peak);
  }
  const mean = n > 0 ? sum / n : NaN;
  let ss = 0;
  for (let i = 0; i < len; i++) {
    const r = returns[i]!;
    const d = r - mean;
    ss += r === r ? d * d : 0;
  }
  return finishCore({ len, n, sum, down, eq, worst, ss }, ppy, rf);
}
