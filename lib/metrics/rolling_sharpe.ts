import { checkPeriodsPerYear, riskFreePerPeriod } from "./_private.ts";
import type { RiskFreeOptions } from "./options.ts";

/** Options of {@link rollingSharpe}. */
export interface RollingSharpeOptions extends RiskFreeOptions {
  /** Window length in bars, an integer >= 2 (126 is quantstats' default for daily data). */
  window: number;
  /** A buffer of `returns.length` to write into (and return) instead of a new array. */
  out?: Float64Array;
}

/**
 * Rolling annualized Sharpe ratio: at bar i, `sharpe` over returns `i - window + 1 .. i`
 * (ddof 1, like quantstats' `rolling_sharpe`), NaN before the window fills, when a window holds
 * fewer than two non-NaN returns, or has zero dispersion. O(n) with running sums around a
 * shifted origin, recentred every `window` bars so rounding cannot accumulate.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { rollingSharpe } from "./rolling_sharpe.ts";
 * import { sharpe } from "./sharpe.ts";
 * const r = new Float64Array([0.01, 0.03, -0.02, 0.04]);
 * const out = rollingSharpe(r, { window: 3, periodsPerYear: 252 });
 * assert.ok(Number.isNaN(out[1]!));
 * assert.ok(Math.abs(out[3]! - sharpe(r.subarray(1), { periodsPerYear: 252 })) < 1e-12);
 * ```
 */
export function rollingSharpe(returns: Float64Array, options: RollingSharpeOptions): Float64Array {
  const ppy = options.periodsPerYear;
  checkPeriodsPerYear(ppy, "rollingSharpe");
  const rf = riskFreePerPeriod(options.riskFree ?? 0, ppy, "rollingSharpe");
  const w = options.window;
  if (!Number.isInteger(w) || w < 2) {
    throw new RangeError(`rollingSharpe: window must be an integer >= 2 bars, got ${w}`);
  }
  const n = returns.length;
  if (options.out !== undefined && options.out.length !== n) {
    throw new RangeError(`rollingSharpe: out must have length ${n} (returns.length), got ${options.out.length}`);
  }
  const out = (options.out ?? new Float64Array(n)).fill(NaN);
  const scale = Math.sqrt(ppy);
  let k = 0;
  let s = 0;
  let ss = 0;
  let shift = 0;
  let phase = 0;
  for (let i = 0; i < n; i++) {
    // i % w, counted rather than divided (an integer modulo per bar is a tenth of the loop's time).
    if (phase === w) phase = 0;
    if (phase++ === 0) {
      // Recentre the sums on the mean of the current window.
      let c = 0;
      let t = 0;
      for (let j = Math.max(0, i - w + 1); j < i; j++) {
        const v = returns[j]!;
        if (v === v) {
          t += v;
          c++;
        }
      }
      shift = c > 0 ? t / c : (returns[i]! === returns[i]! ? returns[i]! : 0);
      k = 0;
      s = 0;
      ss = 0;
      for (let j = Math.max(0, i - w + 1); j < i; j++) {
        const v = returns[j]!;
        if (v === v) {
          const d = v - shift;
          s += d;
          ss += d * d;
          k++;
        }
      }
    } else if (i >= w) {
      const o = returns[i - w]!;
      if (o === o) {
        const d = o - shift;
        s -= d;
        ss -= d * d;
        k--;
      }
    }
    const v = returns[i]!;
    if (v === v) {
      const d = v - shift;
      s += d;
      ss += d * d;
      k++;
    }
    if (i >= w - 1 && k >= 2) {
      const md = s / k;
      const varS = (ss - md * s) / (k - 1);
      if (varS > 0) out[i] = (md + shift - rf) / Math.sqrt(varS) * scale;
    }
  }
  return out;
}
