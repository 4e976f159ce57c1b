/**
 * `stabilityOfTimeseries` over returns, or (with `fromEquity`) over the returns of an equity
 * curve without materializing them, for the stats registry. One pass: Welford's running
 * co-moments keep the fit centred, so a steep or far-from-zero log curve keeps its precision.
 */
export function stabilityOf(src: Float64Array, fromEquity: boolean): number {
  const len = fromEquity ? Math.max(0, src.length - 1) : src.length;
  let n = 0;
  let c = 0; // cumulative log return
  let mx = 0;
  let my = 0;
  let cxy = 0;
  let syy = 0;
  for (let i = 0; i < len; i++) {
    const r = fromEquity ? src[i + 1]! / src[i]! - 1 : src[i]!;
    if (r !== r) continue;
    // log(1 + r), not log1p: V8's log1p costs twice as much, and the rounding of 1 + r (1e-16
    // absolute per bar) is far below what an R² can show.
    c += Math.log(1 + r);
    n++;
    const inv = 1 / n;
    const dx = n - 1 - mx;
    mx += dx * inv;
    const dyOld = c - my;
    my += dyOld * inv;
    const dy = c - my;
    cxy += dx * dy;
    syy += dyOld * dy;
  }
  // A wiped-out account (log 0) or an overflow leaves a non-finite curve: no fit.
  if (n < 2 || !Number.isFinite(c) || !Number.isFinite(syy) || !(syy > 0)) return NaN;
  // Sum of (x - mean x)² over x = 0..n-1, exactly.
  const sxx = (n * (n * n - 1)) / 12;
  return (cxy * cxy) / (sxx * syy);
}
