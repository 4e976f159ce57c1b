import { checkColumns, checkDistinct, checkPeriod, prepareOut } from "./_validate.ts";
import { rollingExtreme } from "./_rolling_extreme.ts";
import { sma } from "./sma.ts";
import type { HighLowClose } from "./types.ts";

/** The two series of {@link stochastic}. */
export interface Stochastic {
  /** %K, 0..100 (fast %K, or its `smoothK`-bar SMA). */
  k: Float64Array;
  /** %D: the `dPeriod`-bar SMA of %K. */
  d: Float64Array;
}

/** Options for {@link stochastic}. */
export interface StochasticOptions {
  /** Look-back of the highest high and lowest low; default 14. */
  kPeriod?: number;
  /** SMA smoothing of %K: 1 is the fast stochastic (default), 3 the slow one. */
  smoothK?: number;
  /** SMA period of %D; default 3. */
  dPeriod?: number;
  /** Buffers to write into (each of the input's length, distinct); missing ones are allocated. */
  out?: Partial<Stochastic>;
}

/** First defined index of each {@link stochastic} series. */
export interface StochasticWarmup {
  k: number;
  d: number;
}

/**
 * Stochastic Oscillator (Lane), full form: fast `%K = 100 * (close - LL) / (HH - LL)` over
 * the last `kPeriod` bars, `%K` = SMA(`smoothK`) of it, `%D` = SMA(`dPeriod`) of `%K`.
 * Defaults 14/1/3 are TradingView's `Stoch` and StockCharts' fast stochastic; use
 * `smoothK: 3` for the slow one (TA-Lib `STOCH` with SMA smoothing).
 *
 * - A flat window (HH = LL) gives 50: the close is at both ends of the range (TA-Lib gives 0).
 * - Warm-up: %K starts at `kPeriod + smoothK - 2`, %D at `kPeriod + smoothK + dPeriod - 3`
 *   ({@link stochasticWarmup}).
 * - Missing values (NaN, ±Infinity): a window with a missing high, low or close gives NaN.
 * - O(n): highest high and lowest low by the van Herk / Gil-Werman block algorithm.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { stochastic } from "./stochastic.ts";
 * const bars = {
 *   high: Float64Array.of(10, 12, 11),
 *   low: Float64Array.of(8, 9, 7),
 *   close: Float64Array.of(9, 11, 8),
 * };
 * const s = stochastic(bars, { kPeriod: 2, dPeriod: 2 });
 * // bar 1: HH 12, LL 8 -> 100 * 3 / 4; bar 2: HH 12, LL 7 -> 100 * 1 / 5
 * assert.deepEqual([...s.k], [NaN, 75, 20]);
 * assert.deepEqual([...s.d], [NaN, NaN, 47.5]);
 * ```
 */
export function stochastic(bars: HighLowClose, options: StochasticOptions = {}): Stochastic {
  const fn = "stochastic";
  const { high, low, close } = bars;
  const n = checkColumns(fn, { high, low, close });
  const kPeriod = options.kPeriod ?? 14;
  const smoothK = options.smoothK ?? 1;
  const dPeriod = options.dPeriod ?? 3;
  checkPeriod(fn, "kPeriod", kPeriod);
  checkPeriod(fn, "smoothK", smoothK);
  checkPeriod(fn, "dPeriod", dPeriod);
  const o = options.out ?? {};
  const inputs = [high, low, close];
  const k = prepareOut(fn, "out.k", n, o.k, inputs);
  const d = prepareOut(fn, "out.d", n, o.d, inputs);
  checkDistinct(fn, { k, d });
  // HH goes into `k` and LL into `d`; fast %K then overwrites the one that is smoothed next.
  const scratch = new Float64Array(n);
  rollingExtreme(high, kPeriod, 1, k, scratch);
  rollingExtreme(low, kPeriod, -1, d, scratch);
  const fastK = smoothK === 1 ? k : d;
  for (let i = 0; i < n; i++) {
    const ll = d[i]!;
    const range = k[i]! - ll;
    const c = close[i]!;
    // Flat range: 50. NaN (warm-up, missing bar in the window) stays NaN via `range`.
    fastK[i] = range > 0 ? 100 * (c - ll) / range : range === 0 ? 50 : NaN;
  }
  if (smoothK === 1) {
    // A missing close only blanks its own bar in the extremes, so blank its windows here.
    blankMissingClose(close, kPeriod, k);
  } else {
    blankMissingClose(close, kPeriod, d);
  }
  if (smoothK > 1) sma(d, smoothK, { out: k });
  sma(k, dPeriod, { out: d });
  return { k, d };
}

/** First defined index of %K and %D of {@link stochastic} (defaults 14/1/3). */
export function stochasticWarmup(options: Omit<StochasticOptions, "out"> = {}): StochasticWarmup {
  const kPeriod = options.kPeriod ?? 14;
  const smoothK = options.smoothK ?? 1;
  const dPeriod = options.dPeriod ?? 3;
  checkPeriod("stochasticWarmup", "kPeriod", kPeriod);
  checkPeriod("stochasticWarmup", "smoothK", smoothK);
  checkPeriod("stochasticWarmup", "dPeriod", dPeriod);
  const k = kPeriod + smoothK - 2;
  return { k, d: k + dPeriod - 1 };
}

// %K at bar i uses only close[i], but the contract is that a window with any missing value
// gives NaN, so bars whose window holds a missing close are blanked too.
function blankMissingClose(close: Float64Array, period: number, fastK: Float64Array): void {
  let lastMissing = -Infinity;
  for (let i = 0; i < close.length; i++) {
    const c = close[i]!;
    if (!(c - c === 0)) lastMissing = i;
    if (i - lastMissing < period) fastK[i] = NaN;
  }
}
