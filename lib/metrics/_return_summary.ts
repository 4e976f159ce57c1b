import type { CoreStats } from "./core_stats.ts";
import type { Moments } from "./_private.ts";

/**
 * Everything the stats registry reads from the returns series, from two fused passes, for
 * `computeStats`. On a million bars the single-metric functions each walked the returns (core
 * stats twice, moments twice, omega, ulcer, beta twice, plus a copy for the quantiles and two
 * arrays for the strategy and benchmark returns): about 30 ms, mostly waiting on one accumulator
 * chain at a time. Here the chains run side by side and no returns array is allocated: returns are
 * recomputed from equity (`equity[i + 1] / equity[i] - 1`, the same float as `returnsFromEquity`).
 *
 * Bit-identical to the single-metric functions: every accumulator sees the same operations in the
 * same order as in `coreStats`, `moments`, `omega`, `ulcerIndex` and `betaAndMeans`. The only
 * change is that a NaN return adds nothing instead of `+0` in the second pass, and `x + 0 === x`
 * for every sum here (none can be -0: it starts at +0 and `-0` is only reached from `-0 + -0`).
 */
export interface ReturnSummary {
  /** What `coreStats(returns)` returns. */
  core: CoreStats;
  /** `omega(returns)` with the default required return 0. */
  omega: number;
  /** `ulcerIndex(returns)`. */
  ulcer: number;
  /** `firstFinite(returns)` and `moments(returns, shift)`. */
  shift: number;
  moments: Moments;
  /** `betaAndMeans(returns, benchmarkReturns)`, or undefined without a benchmark. */
  beta: { beta: number; n: number; meanR: number; meanB: number } | undefined;
  /**
   * The non-NaN returns in order (`finiteCopy(returns)`), for the quantiles to reorder; a view of a
   * scratch buffer that the next `returnSummary` call overwrites.
   */
  finite: Float64Array;
}

/** Inputs of {@link returnSummary}; `rf` is the per-period risk-free rate. */
export interface ReturnSummaryInput {
  equity: Float64Array;
  /** `returnsFromEquity(equity)` if the caller has it; else returns are computed from equity. */
  returns?: Float64Array;
  /** Benchmark equity aligned to `equity`. */
  benchmark?: Float64Array;
  periodsPerYear: number;
  rf: number;
}

/**
 * One grow-only buffer for {@link ReturnSummary.finite}, reused by every call: the quantiles only
 * need it until `computeStats` returns (it is synchronous and reads no other summary meanwhile), and
 * a fresh 8 MB array per million-bar run was paid in page faults and in the GCs that the external
 * memory triggers. It keeps the largest run's size alive, as a sweep worker would anyway.
 */
let scratch = new Float64Array(0);
function scratchOf(len: number): Float64Array {
  if (scratch.length < len) scratch = new Float64Array(len);
  return scratch.subarray(0, len);
}

/**
 * See {@link ReturnSummary}. Inputs are validated by the caller (`LazyStatsContext`). `finite` is
 * a view of a shared scratch buffer, valid until the next call.
 */
export function returnSummary(input: ReturnSummaryInput): ReturnSummary {
  const { equity, periodsPerYear: ppy, rf } = input;
  const given = input.returns;
  // One source, read the same way in both passes: the given returns, or equity ratios.
  const src = given ?? equity;
  const fromEquity = given === undefined;
  const len = fromEquity ? Math.max(0, equity.length - 1) : given.length;
  const bm = input.benchmark;
  const hasBm = bm !== undefined;
  // omega's threshold for a required return of 0: exactly 0 for every ppy.
  const threshold = ppy === 1 ? 0 : Math.pow(1 + 0, 1 / ppy) - 1;

  let shift = 0;
  for (let i = 0; i < len; i++) {
    const r = fromEquity ? src[i + 1]! / src[i]! - 1 : src[i]!;
    if (r === r) {
      shift = r;
      break;
    }
  }

  const finite = scratchOf(len);
  // Accumulators live in `st` between chunks (see CHUNK): k, n, sum, down, eq, peak, worst,
  // ulcerSs, up, loss, mSum, bn, sb, sr.
  const st = new Float64Array(14);
  st[4] = st[5] = st[6] = 1;
  for (let i = 0; i < len; i += CHUNK) {
    firstPass(src, fromEquity, i, Math.min(len, i + CHUNK), bm, rf, threshold, shift, finite, st);
  }
  const k = st[0]!, n = st[1]!, sum = st[2]!, down = st[3]!, eq = st[4]!, worst = st[6]!;
  const ulcerSs = st[7]!, up = st[8]!, loss = st[9]!, mSum = st[10]!, bn = st[11]!, sb = st[12]!, sr = st[13]!;

  const mean = n > 0 ? sum / n : NaN;
  const mMean = n > 0 ? mSum / n : NaN;
  const mb = bn >= 2 ? sb / bn : NaN;
  // Without NaN returns, `finite` still holds them in order (the quantiles reorder it later).
  const dense = k === len;
  const st2 = new Float64Array(6); // ss, s2, s3, s4, cov, vb
  for (let i = 0; i < len; i += CHUNK) {
    secondPass(
      dense ? finite : src,
      dense ? false : fromEquity,
      i,
      Math.min(len, i + CHUNK),
      bm,
      mean,
      shift,
      mMean,
      mb,
      st2,
    );
  }
  const ss = st2[0]!, s2 = st2[1]!, s3 = st2[2]!, s4 = st2[3]!, cov = st2[4]!;
  let vb = st2[5]!;
  let beta: ReturnSummary["beta"];
  if (hasBm) {
    if (bn < 2) beta = { beta: NaN, n: bn, meanR: NaN, meanB: NaN };
    else {
      vb /= bn;
      beta = { beta: vb < 1e-30 ? NaN : (cov / bn) / vb, n: bn, meanR: sr / bn, meanB: mb };
    }
  }
  return {
    core: finishCore({ len, n, sum, down, eq, worst, ss }, ppy, rf),
    omega: n < 2 || !(loss > 0) ? NaN : up / loss,
    ulcer: len < 2 ? NaN : Math.sqrt(ulcerSs / (len - 1)),
    shift,
    moments: { n, mean: mMean, m2: s2 / n, m3: s3 / n, m4: s4 / n },
    beta,
    finite: k === len ? finite : finite.subarray(0, k),
  };
}

/**
 * The passes run a chunk at a time, their sums carried in a small array between calls. Written as
 * one long loop, each call ran it as on-stack-replaced code, which V8 compiles with the sums boxed:
 * 2-3x slower until some tens of calls later. Short calls get the function itself optimized after
 * a few chunks, and the sums see the same operations in the same order either way.
 */
const CHUNK = 4096;

/** Pass one over [from, to): the sums of coreStats, ulcerIndex, omega, the first moment and betaAndMeans. */
function firstPass(
  src: Float64Array,
  fromEquity: boolean,
  from: number,
  to: number,
  bm: Float64Array | undefined,
  rf: number,
  threshold: number,
  shift: number,
  finite: Float64Array,
  st: Float64Array,
): void {
  let k = st[0]!, n = st[1]!, sum = st[2]!, down = st[3]!, eq = st[4]!, peak = st[5]!, worst = st[6]!;
  let ulcerSs = st[7]!, up = st[8]!, loss = st[9]!, mSum = st[10]!, bn = st[11]!, sb = st[12]!, sr = st[13]!;
  const hasBm = bm !== undefined;
  for (let i = from; i < to; i++) {
    const r = fromEquity ? src[i + 1]! / src[i]! - 1 : src[i]!;
    const ok = r === r;
    finite[k] = r;
    k += ok ? 1 : 0;
    // coreStats
    n += ok ? 1 : 0;
    sum += ok ? r : 0;
    const x = r - rf;
    const neg = x - Math.abs(x); // 2 min(x, 0)
    down += ok ? neg * neg : 0;
    eq *= ok ? 1 + r : 1;
    peak = Math.max(peak, eq);
    const rel = eq / peak;
    worst = Math.min(worst, rel);
    // ulcerIndex (its equity and peak are coreStats' own)
    const dd = rel - 1;
    ulcerSs += dd * dd;
    // omega
    const xo = r - rf - threshold;
    const a = Math.abs(xo);
    up += ok ? (a + xo) / 2 : 0;
    loss += ok ? (a - xo) / 2 : 0;
    // moments
    mSum += ok ? r - shift : 0;
    // betaAndMeans
    if (hasBm) {
      const b = bm[i + 1]! / bm[i]! - 1;
      if (ok && b === b) {
        sb += b;
        sr += r;
        bn++;
      }
    }
  }
  st[0] = k, st[1] = n, st[2] = sum, st[3] = down, st[4] = eq, st[5] = peak, st[6] = worst;
  st[7] = ulcerSs, st[8] = up, st[9] = loss, st[10] = mSum, st[11] = bn, st[12] = sb, st[13] = sr;
}

/** Pass two over [from, to): squared deviations (coreStats), central moments, beta's cov and var. */
function secondPass(
  src: Float64Array,
  fromEquity: boolean,
  from: number,
  to: number,
  bm: Float64Array | undefined,
  mean: number,
  shift: number,
  mMean: number,
  mb: number,
  st: Float64Array,
): void {
  let ss = st[0]!, s2 = st[1]!, s3 = st[2]!, s4 = st[3]!, cov = st[4]!, vb = st[5]!;
  const hasBm = bm !== undefined;
  for (let i = from; i < to; i++) {
    const r = fromEquity ? src[i + 1]! / src[i]! - 1 : src[i]!;
    if (r !== r) continue;
    const d = r - mean;
    ss += d * d;
    const dm = r - shift - mMean;
    const d2 = dm * dm;
    s2 += d2;
    s3 += d2 * dm;
    s4 += d2 * d2;
    if (hasBm) {
      const b = bm[i + 1]! / bm[i]! - 1;
      if (b === b) {
        const db = b - mb;
        cov += db * r;
        vb += db * db;
      }
    }
  }
  st[0] = ss, st[1] = s2, st[2] = s3, st[3] = s4, st[4] = cov, st[5] = vb;
}

/** The sums `coreStats` accumulates over `len` returns (`n` of them non-NaN). */
export interface CoreSums {
  len: number;
  n: number;
  sum: number;
  /** Sum of (2 min(r - rf, 0))². */
  down: number;
  /** Compounded equity from 1, and its lowest ratio to its running peak. */
  eq: number;
  worst: number;
  /** Sum of squared deviations from the mean. */
  ss: number;
}

/** {@link CoreStats} from its sums; shared by `coreStats` and {@link returnSummary}. */
export function finishCore(s: CoreSums, ppy: number, rf: number): CoreStats {
  const { len, n, eq, worst } = s;
  const down = s.down / 4;
  const mean = n > 0 ? s.sum / n : NaN;
  const sqrtPpy = Math.sqrt(ppy);
  const sd = n >= 2 ? Math.sqrt(s.ss / (n - 1)) : NaN;
  const maxDrawdown = len === 0 ? NaN : worst - 1;
  const cagr = len === 0 || !(eq >= 0) ? NaN : Math.pow(eq, ppy / len) - 1;
  const calmarRaw = maxDrawdown < 0 ? cagr / -maxDrawdown : NaN;
  return {
    totalReturn: len === 0 ? NaN : eq - 1,
    cagr,
    annualReturn: cagr,
    annualReturnArithmetic: mean * ppy,
    annualVolatility: sd * sqrtPpy,
    sharpe: n >= 2 && sd !== 0 ? (mean - rf) / sd * sqrtPpy : NaN,
    sortino: n >= 2 ? (mean - rf) / Math.sqrt(down / n) * sqrtPpy : NaN,
    maxDrawdown,
    calmar: Number.isFinite(calmarRaw) ? calmarRaw : NaN,
  };
}
