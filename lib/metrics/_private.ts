import type { Trade } from "../types/mod.ts";

/** Throws unless `ppy` is a finite positive number; `fn` names the caller in the message. */
export function checkPeriodsPerYear(ppy: number, fn: string): void {
  if (typeof ppy !== "number" || !Number.isFinite(ppy) || ppy <= 0) {
    throw new RangeError(
      `${fn}: periodsPerYear must be a finite number > 0, got ${ppy}; ` +
        `derive it with periodsPerYear(timeframe, { calendar }) (365 for daily crypto bars, 252 for daily equities)`,
    );
  }
}

/**
 * De-annualizes a yearly risk-free rate into a per-period rate by compounding, as quantstats does:
 * `(1 + rf) ** (1 / ppy) - 1`. A rate of 0 stays exactly 0.
 */
export function riskFreePerPeriod(riskFree: number, ppy: number, fn: string): number {
  if (typeof riskFree !== "number" || !Number.isFinite(riskFree) || riskFree <= -1) {
    throw new RangeError(
      `${fn}: riskFree must be a finite yearly rate > -1 (0.04 for 4%), got ${riskFree}`,
    );
  }
  if (riskFree === 0) return 0;
  return Math.pow(1 + riskFree, 1 / ppy) - 1;
}

/** Throws unless `confidence` lies strictly between 0 and 1. */
export function checkConfidence(confidence: number, fn: string): void {
  if (typeof confidence !== "number" || !(confidence > 0 && confidence < 1)) {
    throw new RangeError(`${fn}: confidence must be in (0, 1), e.g. 0.95, got ${confidence}`);
  }
}

/** The non-NaN values of `values`, in a new array (order kept). */
export function finiteCopy(values: Float64Array): Float64Array {
  let n = 0;
  for (let i = 0; i < values.length; i++) n += values[i] === values[i] ? 1 : 0;
  if (n === values.length) return values.slice(); // no NaN: a memcpy
  const out = new Float64Array(n);
  let j = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (v === v) out[j++] = v;
  }
  return out;
}

/**
 * Moves the k-th smallest value of `a[lo..hi]` to index k, smaller ones before it, larger after
 * (Hoare's quickselect), touching only `a[lo..hi]`. Over the whole array (the default bounds) the
 * permutation it leaves is what `conditionalValueAtRisk` sums over, so it must stay deterministic.
 */
export function select(a: Float64Array, k: number, lo = 0, hi: number = a.length - 1): void {
  while (hi > lo) {
    // Median of three pivot keeps sorted and reversed input linear.
    const mid = (lo + hi) >>> 1;
    const x = a[lo]!, y = a[mid]!, z = a[hi]!;
    const pivot = x < y ? (y < z ? y : x < z ? z : x) : (x < z ? x : y < z ? z : y);
    let i = lo;
    let j = hi;
    while (i <= j) {
      while (a[i]! < pivot) i++;
      while (a[j]! > pivot) j--;
      if (i <= j) {
        const t = a[i]!;
        a[i] = a[j]!;
        a[j] = t;
        i++;
        j--;
      }
    }
    if (k <= j) hi = j;
    else if (k >= i) lo = i;
    else return;
  }
}

/**
 * Quantile `q` of the values of `scratch` (no NaN) with linear interpolation between closest
 * ranks: numpy's default `percentile` and pandas' `quantile`, which empyrical and quantstats use.
 * O(n) by selection; reorders `scratch`.
 */
export function quantileInPlace(scratch: Float64Array, q: number): number {
  const n = scratch.length;
  if (n === 0) return NaN;
  const h = (n - 1) * q;
  const lo = Math.floor(h);
  select(scratch, lo);
  const a = scratch[lo]!;
  if (lo + 1 >= n || h === lo) return a;
  let b = Infinity;
  for (let i = lo + 1; i < n; i++) b = Math.min(b, scratch[i]!);
  return a + (h - lo) * (b - a);
}

/**
 * The first non-NaN value, or 0. Shifting by an observation before taking moments keeps precision
 * when the mean is far from 0.
 */
export function firstFinite(x: Float64Array): number {
  for (let i = 0; i < x.length; i++) if (x[i] === x[i]) return x[i]!;
  return 0;
}

/** Central moments of the non-NaN values: count, mean, m2, m3, m4 (each divided by n). */
export interface Moments {
  n: number;
  mean: number;
  m2: number;
  m3: number;
  m4: number;
}

/** Bias-corrected (or, with `bias`, plain) sample skewness from {@link moments}; see `skew`. */
export function skewOfMoments(m: Moments, bias: boolean): number {
  const { n, m2, m3 } = m;
  if (n < (bias ? 2 : 3) || !(m2 > 0)) return NaN;
  const g1 = m3 / Math.pow(m2, 1.5);
  return bias ? g1 : g1 * Math.sqrt(n * (n - 1)) / (n - 2);
}

/** Bias-corrected (or, with `bias`, plain) excess kurtosis from {@link moments}; see `kurtosis`. */
export function kurtosisOfMoments(m: Moments, bias: boolean): number {
  const { n, m2, m4 } = m;
  if (n < (bias ? 2 : 4) || !(m2 > 0)) return NaN;
  const g2 = m4 / (m2 * m2) - 3;
  return bias ? g2 : ((n + 1) * g2 + 6) * (n - 1) / ((n - 2) * (n - 3));
}

/** Two-pass central moments over the non-NaN values of `x`, shifted by `shift` first. */
export function moments(x: Float64Array, shift = 0): Moments {
  let n = 0;
  let sum = 0;
  for (let i = 0; i < x.length; i++) {
    const v = x[i]!;
    const ok = v === v;
    sum += ok ? v - shift : 0;
    n += ok ? 1 : 0;
  }
  const mean = n > 0 ? sum / n : NaN;
  let s2 = 0, s3 = 0, s4 = 0;
  for (let i = 0; i < x.length; i++) {
    const v = x[i]!;
    const ok = v === v;
    const d = ok ? v - shift - mean : 0;
    const d2 = d * d;
    s2 += d2;
    s3 += d2 * d;
    s4 += d2 * d2;
  }
  return { n, mean, m2: s2 / n, m3: s3 / n, m4: s4 / n };
}

/** Trades with an exit (open trades, `exitIndex === -1`, are marked, not realized). */
export function closedTrades(trades: readonly Trade[]): readonly Trade[] {
  let allClosed = true;
  for (const t of trades) {
    if (t.exitIndex < 0) {
      allClosed = false;
      break;
    }
  }
  return allClosed ? trades : trades.filter((t) => t.exitIndex >= 0);
}

/** One drawdown episode: from a peak to the first bar back at or above it (or the last bar). */
export interface DrawdownEpisode {
  /** Index of the peak the episode falls from. */
  peak: number;
  /** Index of the deepest point. */
  trough: number;
  /** Index of recovery (first bar at or above the peak), or the last bar if not recovered. */
  end: number;
  /** Depth at the trough, a negative fraction. */
  depth: number;
  recovered: boolean;
}

/** Every drawdown episode of an equity curve, in time order. NaN equity values are skipped. */
export function drawdownEpisodes(equity: Float64Array): DrawdownEpisode[] {
  const out: DrawdownEpisode[] = [];
  const n = equity.length;
  let i0 = 0;
  while (i0 < n && !(equity[i0]! === equity[i0]!)) i0++;
  if (i0 >= n) return out;
  let peak = equity[i0]!;
  let peakIdx = i0;
  let inDd = false;
  let depth = 0;
  let trough = i0;
  let last = i0;
  for (let i = i0 + 1; i < n; i++) {
    const e = equity[i]!;
    if (e !== e) continue;
    last = i;
    if (e >= peak) {
      if (inDd) out.push({ peak: peakIdx, trough, end: i, depth, recovered: true });
      inDd = false;
      peak = e;
      peakIdx = i;
    } else {
      const dd = e / peak - 1;
      if (!inDd) {
        inDd = true;
        depth = dd;
        trough = i;
      } else if (dd < depth) {
        depth = dd;
        trough = i;
      }
    }
  }
  if (inDd) out.push({ peak: peakIdx, trough, end: last, depth, recovered: false });
  return out;
}

/** The duration options (mirrors `DrawdownDurationOptions`, kept here to avoid an import cycle). */
export interface DurationOptionsLike {
  unit?: "bars" | "ms";
  ts?: Float64Array;
}

/** Duration of one episode in the requested unit. */
export function episodeLength(
  peak: number,
  end: number,
  options: DurationOptionsLike,
): number {
  if ((options.unit ?? "bars") === "bars") return end - peak;
  const ts = options.ts!;
  return ts[end]! - ts[peak]!;
}

/** Validates the options against the equity length. */
export function checkDurationOptions(equity: Float64Array, options: DurationOptionsLike, fn: string): void {
  const unit = options.unit ?? "bars";
  if (unit !== "bars" && unit !== "ms") {
    throw new RangeError(`${fn}: unit must be "bars" or "ms", got ${JSON.stringify(unit)}`);
  }
  if (unit === "ms") {
    if (options.ts === undefined) throw new TypeError(`${fn}: unit "ms" needs ts (bar timestamps aligned to equity)`);
    if (options.ts.length !== equity.length) {
      throw new RangeError(`${fn}: ts has length ${options.ts.length} but equity has ${equity.length}; align them`);
    }
  }
}

/** Throws unless the strategy and benchmark returns have the same length. */
export function checkAligned(returns: Float64Array, benchmark: Float64Array, fn: string): void {
  if (returns.length !== benchmark.length) {
    throw new RangeError(
      `${fn}: returns (${returns.length}) and benchmark returns (${benchmark.length}) must be aligned; ` +
        `derive both with returnsFromEquity over the same timestamps`,
    );
  }
}

/**
 * Beta over the pairs where both returns are non-NaN, empyrical's estimator: the covariance
 * `mean((b - mean(b)) * r)` over the variance `mean((b - mean(b))²)`; NaN below 1e-30 variance
 * or with fewer than two pairs. Also returns the pair means alpha needs.
 */
export function betaAndMeans(
  returns: Float64Array,
  benchmark: Float64Array,
): { beta: number; n: number; meanR: number; meanB: number } {
  let n = 0;
  let sb = 0;
  let sr = 0;
  for (let i = 0; i < returns.length; i++) {
    const r = returns[i]!;
    const b = benchmark[i]!;
    if (r === r && b === b) {
      sb += b;
      sr += r;
      n++;
    }
  }
  if (n < 2) return { beta: NaN, n, meanR: NaN, meanB: NaN };
  const mb = sb / n;
  let cov = 0;
  let vb = 0;
  for (let i = 0; i < returns.length; i++) {
    const r = returns[i]!;
    const b = benchmark[i]!;
    if (r === r && b === b) {
      const d = b - mb;
      cov += d * r;
      vb += d * d;
    }
  }
  vb /= n;
  const beta = vb < 1e-30 ? NaN : (cov / n) / vb;
  return { beta, n, meanR: sr / n, meanB: mb };
}

/** Annualized Jensen's alpha from {@link betaAndMeans} and the per-period risk-free rate; see `alpha`. */
export function alphaOf(bm: { beta: number; meanR: number; meanB: number }, rf: number, ppy: number): number {
  const { beta, meanR, meanB } = bm;
  if (beta !== beta) return NaN;
  return Math.pow(1 + (meanR - rf) - beta * (meanB - rf), ppy) - 1;
}

/** Per-period Sharpe (ddof 1), n, biased skew and Pearson kurtosis of the excess returns, for PSR/DSR. */
export function sharpeMoments(
  returns: Float64Array,
  riskFree: number | undefined,
  ppy: number | undefined,
  fn: string,
): { sharpe: number; n: number; skew: number; kurtosis: number } {
  let rf = 0;
  if (riskFree !== undefined && riskFree !== 0) {
    if (ppy === undefined) {
      throw new TypeError(`${fn}: a riskFree rate needs periodsPerYear to de-annualize it`);
    }
    checkPeriodsPerYear(ppy, fn);
    rf = riskFreePerPeriod(riskFree, ppy, fn);
  }
  const shift = firstFinite(returns);
  return sharpeMomentsOf(moments(returns, shift), shift, rf);
}

/** {@link sharpeMoments} from `moments(returns, shift)` and the per-period risk-free rate `rf`. */
export function sharpeMomentsOf(
  m: Moments,
  shift: number,
  rf: number,
): { sharpe: number; n: number; skew: number; kurtosis: number } {
  const n = m.n;
  if (n < 2 || !(m.m2 > 0)) return { sharpe: NaN, n, skew: NaN, kurtosis: NaN };
  const mean = m.mean + shift;
  const sd = Math.sqrt(m.m2 * n / (n - 1));
  return {
    sharpe: (mean - rf) / sd,
    n,
    skew: m.m3 / Math.pow(m.m2, 1.5),
    kurtosis: m.m4 / (m.m2 * m.m2),
  };
}

/** Mean depth of drawdown episodes (0 without any). */
export function meanDepth(episodes: readonly DrawdownEpisode[]): number {
  if (episodes.length === 0) return 0;
  let s = 0;
  for (const e of episodes) s += e.depth;
  return s / episodes.length;
}

/** Longest and mean duration of drawdown episodes in the requested unit (0 without any). */
export function durations(
  episodes: readonly DrawdownEpisode[],
  options: DurationOptionsLike,
): { max: number; mean: number } {
  if (episodes.length === 0) return { max: 0, mean: 0 };
  let max = 0;
  let s = 0;
  for (const e of episodes) {
    const d = episodeLength(e.peak, e.end, options);
    if (d > max) max = d;
    s += d;
  }
  return { max, mean: s / episodes.length };
}

/** Terminal wealth of 1 compounded over `returns`, NaN ones as flat periods (empyrical's `cum_returns`). */
export function compoundGrowth(returns: Float64Array): number {
  let g = 1;
  for (let i = 0; i < returns.length; i++) {
    const r = returns[i]!;
    g *= r === r ? 1 + r : 1;
  }
  return g;
}
