import { checkAligned } from "./_private.ts";

/**
 * Rolling beta against a benchmark: at bar i, `beta(returns, benchmark)` over bars
 * `i - window + 1 .. i`, i.e. `cov(r, b) / var(b)` with the same divisor (so ddof cancels; as
 * empyrical's `beta` and quantstats' `rolling_greeks`) over the pairs where both returns are
 * non-NaN. NaN before the window fills (the first `window - 1` bars), when a window holds fewer
 * than two pairs, or when the benchmark is flat over it (variance below 1e-30, or below 1e-13 of
 * its mean square about the running origin, where the running sums can no longer resolve it).
 * Causal: bar i uses bars up to i only. Pass `out` (length n) to reuse a buffer.
 *
 * O(n) with running sums around a shifted origin, recentred every `window` bars so rounding
 * cannot accumulate.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { rollingBeta } from "./rolling_beta.ts";
 * const b = new Float64Array([0.01, -0.02, 0.03, 0.01, -0.01]);
 * const r = b.map((x, i) => (i < 3 ? 2 : -1) * x); // beta 2, then -1
 * const out = rollingBeta(r, b, 2);
 * assert.ok(Number.isNaN(out[0]!));
 * assert.ok(Math.abs(out[1]! - 2) < 1e-12);
 * assert.ok(Math.abs(out[4]! - -1) < 1e-12);
 * ```
 */
export function rollingBeta(
  returns: Float64Array,
  benchmark: Float64Array,
  window: number,
  out?: Float64Array,
): Float64Array {
  checkAligned(returns, benchmark, "rollingBeta");
  if (!Number.isInteger(window) || window < 2) {
    throw new RangeError(`rollingBeta: window must be an integer >= 2 bars, got ${window}`);
  }
  const w = window;
  const n = returns.length;
  if (out !== undefined && out.length !== n) {
    throw new RangeError(`rollingBeta: out must have length ${n} (returns.length), got ${out.length}`);
  }
  out = (out ?? new Float64Array(n)).fill(NaN);
  // Sums of x = r - sr, y = b - sb over the window's complete pairs.
  let k = 0;
  let sx = 0;
  let sy = 0;
  let sxy = 0;
  let syy = 0;
  let sr = 0;
  let sb = 0;
  let phase = 0;
  for (let i = 0; i < n; i++) {
    const from = i - w + 1;
    // i % w, counted rather than divided (an integer modulo per bar is a tenth of the loop's time).
    if (phase === w) phase = 0;
    if (phase++ === 0) {
      // Recentre on the means of the pairs already in the window, then rebuild the sums.
      let c = 0;
      let tr = 0;
      let tb = 0;
      for (let j = Math.max(0, from); j < i; j++) {
        const r = returns[j]!;
        const b = benchmark[j]!;
        if (r === r && b === b) {
          tr += r;
          tb += b;
          c++;
        }
      }
      const r0 = returns[i]!;
      const b0 = benchmark[i]!;
      const pair0 = r0 === r0 && b0 === b0;
      sr = c > 0 ? tr / c : pair0 ? r0 : 0;
      sb = c > 0 ? tb / c : pair0 ? b0 : 0;
      k = 0, sx = 0, sy = 0, sxy = 0, syy = 0;
      for (let j = Math.max(0, from); j < i; j++) {
        const r = returns[j]!;
        const b = benchmark[j]!;
        if (r === r && b === b) {
          const x = r - sr;
          const y = b - sb;
          sx += x, sy += y, sxy += x * y, syy += y * y;
          k++;
        }
      }
    } else if (from > 0) {
      const r = returns[from - 1]!;
      const b = benchmark[from - 1]!;
      if (r === r && b === b) {
        const x = r - sr;
        const y = b - sb;
        sx -= x, sy -= y, sxy -= x * y, syy -= y * y;
        k--;
      }
    }
    const r = returns[i]!;
    const b = benchmark[i]!;
    if (r === r && b === b) {
      const x = r - sr;
      const y = b - sb;
      sx += x, sy += y, sxy += x * y, syy += y * y;
      k++;
    }
    if (from >= 0 && k >= 2) {
      const my = sy / k;
      const cov = sxy - sx * my;
      const vb = (syy - sy * my) / k;
      // `beta`'s flatness threshold (1e-30), plus one relative to the sums: a flat benchmark
      // away from the shift leaves a rounding residue of about 1e-16 x syy / k, not zero.
      if (vb >= 1e-30 && vb > 1e-13 * (syy / k)) out[i] = cov / k / vb;
    }
  }
  return out;
}
