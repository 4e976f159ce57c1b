import { checkColumns, checkPeriod, checkSeries, prepareOut } from "./_validate.ts";
import type { HighLowCloseVolume } from "./types.ts";

/** Input of {@link vwap}: OHLCV columns, plus `ts` (epoch ms) for sessions. A Frame satisfies it. */
export interface VwapInput extends HighLowCloseVolume {
  readonly ts?: Float64Array;
}

/** Options for {@link vwap}; `window` and `sessionMs` are mutually exclusive. */
export interface VwapOptions {
  /** Rolling VWAP over the last `window` bars instead of a cumulative one. */
  window?: number;
  /**
   * Restart the cumulative VWAP at every session boundary: bars belong to the session
   * `floor((ts - sessionOffsetMs) / sessionMs)`, so `86_400_000` gives UTC days. Needs `ts`.
   */
  sessionMs?: number;
  /** Shift of the session boundaries in ms (e.g. `-5 * 3_600_000` for UTC-5 days); default 0. */
  sessionOffsetMs?: number;
  /** Buffer to write into (length of the input, not sharing memory with it); a new one by default. */
  out?: Float64Array;
}

/**
 * Volume-weighted average price of the typical price `(high + low + close) / 3`.
 *
 * Three forms: cumulative from the first bar (default), restarted at each session
 * (`sessionMs`, as intraday charts anchor VWAP to the trading day; crypto trades round the
 * clock, so UTC days are the usual choice), or rolling over the last `window` bars.
 *
 * - Warm-up: none for the cumulative forms (the first bar with volume has a value), `window - 1`
 *   for the rolling one ({@link vwapWarmup}). While the volume so far (or in the window) is 0
 *   the VWAP is undefined: NaN.
 * - The rolling form keeps compensated running sums (TwoSum), so a huge volume leaving the
 *   window leaves no residue in the bars after it.
 * - Missing values (NaN, ±Infinity): cumulative forms give NaN at that bar and skip it (the
 *   sums carry over); the rolling form gives NaN while the bar is in the window.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { vwap } from "./vwap.ts";
 * const bars = {
 *   high: Float64Array.of(10, 20, 30),
 *   low: Float64Array.of(10, 20, 30),
 *   close: Float64Array.of(10, 20, 30),
 *   volume: Float64Array.of(1, 3, 1),
 *   ts: Float64Array.of(0, 3_600_000, 86_400_000),
 * };
 * assert.deepEqual([...vwap(bars)], [10, 17.5, 20]); // (10 + 60 + 30) / 5 on the last bar
 * assert.deepEqual([...vwap(bars, { window: 2 })], [NaN, 17.5, 22.5]);
 * assert.deepEqual([...vwap(bars, { sessionMs: 86_400_000 })], [10, 17.5, 30]); // new UTC day
 * ```
 */
export function vwap(bars: VwapInput, options: VwapOptions = {}): Float64Array {
  const fn = "vwap";
  const { high, low, close, volume } = bars;
  const n = checkColumns(fn, { high, low, close, volume });
  const out = prepareOut(fn, "options.out", n, options.out, [high, low, close, volume]);
  const { window, sessionMs } = options;
  if (window !== undefined && sessionMs !== undefined) {
    throw new RangeError(`${fn}: pass either window (${window}) or sessionMs (${sessionMs}), not both`);
  }
  if (window !== undefined) {
    checkPeriod(fn, "window", window);
    rolling(high, low, close, volume, window, out);
    return out;
  }
  if (sessionMs === undefined) {
    cumulative(high, low, close, volume, null, 1, 0, out);
    return out;
  }
  if (!(typeof sessionMs === "number" && sessionMs > 0 && Number.isFinite(sessionMs))) {
    throw new RangeError(
      `${fn}: sessionMs must be a positive number of ms (86_400_000 for UTC days), got ${sessionMs}`,
    );
  }
  const offset = options.sessionOffsetMs ?? 0;
  if (!Number.isFinite(offset)) {
    throw new RangeError(`${fn}: sessionOffsetMs must be a finite number of ms, got ${offset}`);
  }
  const ts = bars.ts;
  if (ts === undefined) {
    throw new TypeError(`${fn}: sessionMs needs bar times; pass a Frame or an input with a ts column`);
  }
  checkSeries(fn, "ts", ts);
  checkColumns(fn, { close, ts });
  cumulative(high, low, close, volume, ts, sessionMs, offset, out);
  return out;
}

function cumulative(
  high: Float64Array,
  low: Float64Array,
  close: Float64Array,
  volume: Float64Array,
  ts: Float64Array | null,
  sessionMs: number,
  offset: number,
  out: Float64Array,
): void {
  let pv = 0;
  let vol = 0;
  let session = NaN;
  for (let i = 0; i < close.length; i++) {
    if (ts !== null) {
      const s = Math.floor((ts[i]! - offset) / sessionMs);
      if (s !== session) {
        session = s;
        pv = 0;
        vol = 0;
      }
    }
    const v = volume[i]!;
    const tp = (high[i]! + low[i]! + close[i]!) / 3;
    const probe = tp + v;
    if (!(probe - probe === 0)) {
      out[i] = NaN;
      continue;
    }
    pv += tp * v;
    vol += v;
    out[i] = vol !== 0 ? pv / vol : NaN;
  }
}

// Compensated running sums (Knuth TwoSum, branch-free): each sum carries the rounding error of
// its updates in a second variable, so a huge volume that leaves the window takes its rounding
// with it instead of leaving it in the small sums of the bars after (1e15 then 0.1s stayed
// exact only to ~0.2 before). The sums are rebuilt exactly (compensated too) every
// max(window, 1024) bars, so the error cannot accumulate.
function rolling(
  high: Float64Array,
  low: Float64Array,
  close: Float64Array,
  volume: Float64Array,
  window: number,
  out: Float64Array,
): void {
  const n = close.length;
  const interval = Math.max(window, 1024);
  // pv, its compensation, vol, its compensation, bad, traded.
  const st = new Float64Array(6);
  for (let from = 0; from < n;) {
    const to = Math.min(n, from + interval);
    rollingBlock(high, low, close, volume, window, from, to, st, out);
    if (to >= n) break;
    // Exact (compensated) sums of the window that ends at `to - 1`.
    st[0] =
      st[1] =
      st[2] =
      st[3] =
        0;
    for (let j = Math.max(0, to - window); j < to; j++) {
      const wv = volume[j]!;
      const wtp = (high[j]! + low[j]! + close[j]!) / 3;
      const p = wtp + wv;
      if (p - p === 0) {
        const x: number = wtp * wv, pv: number = st[0]!, vol: number = st[2]!;
        let t: number = pv + x, b: number = t - pv;
        st[1] = st[1]! + ((pv - (t - b)) + (x - b));
        st[0] = t;
        t = vol + wv;
        b = t - vol;
        st[3] = st[3]! + ((vol - (t - b)) + (wv - b));
        st[2] = t;
      }
    }
    from = to;
  }
}

// The hot loop, one call per block so V8 optimizes it whole.
function rollingBlock(
  high: Float64Array,
  low: Float64Array,
  close: Float64Array,
  volume: Float64Array,
  window: number,
  from: number,
  to: number,
  st: Float64Array,
  out: Float64Array,
): void {
  let pv = st[0]!, pvc = st[1]!, vol = st[2]!, volc = st[3]!, bad = st[4]!, traded = st[5]!;
  for (let i = from; i < to; i++) {
    const v = volume[i]!;
    const tp = (high[i]! + low[i]! + close[i]!) / 3;
    const probe = tp + v;
    if (probe - probe === 0) {
      const x = tp * v;
      let t = pv + x, b = t - pv;
      pvc += (pv - (t - b)) + (x - b);
      pv = t;
      t = vol + v;
      b = t - vol;
      volc += (vol - (t - b)) + (v - b);
      vol = t;
      if (v !== 0) traded++;
    } else {
      bad++;
    }
    if (i >= window) {
      const j = i - window;
      const ov = volume[j]!;
      const otp = (high[j]! + low[j]! + close[j]!) / 3;
      const p = otp + ov;
      if (p - p === 0) {
        const x = -otp * ov;
        let t = pv + x, b = t - pv;
        pvc += (pv - (t - b)) + (x - b);
        pv = t;
        t = vol - ov;
        b = t - vol;
        volc += (vol - (t - b)) - (ov + b);
        vol = t;
        if (ov !== 0) traded--;
      } else {
        bad--;
      }
    }
    out[i] = i < window - 1 || bad > 0 || traded === 0 ? NaN : (pv + pvc) / (vol + volc);
  }
  st[0] = pv;
  st[1] = pvc;
  st[2] = vol;
  st[3] = volc;
  st[4] = bad;
  st[5] = traded;
}

/** Number of leading NaN values of {@link vwap}: 0 when cumulative, `window - 1` when rolling. */
export function vwapWarmup(options: Pick<VwapOptions, "window"> = {}): number {
  if (options.window === undefined) return 0;
  checkPeriod("vwapWarmup", "window", options.window);
  return options.window - 1;
}
