import { checkColumns, prepareOut } from "./_validate.ts";
import type { CloseVolume } from "./types.ts";

/** Options for {@link obv}. */
export interface ObvOptions {
  /** Buffer to write into (length of the input, not sharing memory with it); a new one by default. */
  out?: Float64Array;
}

/**
 * On-Balance Volume (Granville): a running total that adds the bar's volume when the close
 * rises, subtracts it when the close falls and leaves it unchanged otherwise.
 *
 * - Start: 0 on the first bar (StockCharts, TradingView `ta.obv`); TA-Lib `OBV` starts at the
 *   first bar's volume. Only differences of OBV carry meaning, and these are the same.
 * - No warm-up ({@link obvWarmup} is 0).
 * - Missing values (NaN, ±Infinity): a bar whose close or volume, or whose previous close, is
 *   missing gives NaN and is skipped (the total carries over).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { obv } from "./obv.ts";
 * const bars = { close: Float64Array.of(10, 11, 11, 9), volume: Float64Array.of(5, 2, 3, 4) };
 * assert.deepEqual([...obv(bars)], [0, 2, 2, -2]);
 * ```
 */
export function obv(bars: CloseVolume, options: ObvOptions = {}): Float64Array {
  const { close, volume } = bars;
  const n = checkColumns("obv", { close, volume });
  const out = prepareOut("obv", "options.out", n, options.out, [close, volume]);
  if (n === 0) return out;
  const first = close[0]! + volume[0]!;
  out[0] = first - first === 0 ? 0 : NaN;
  let total = 0;
  for (let i = 1; i < n; i++) {
    const c = close[i]!;
    const pc = close[i - 1]!;
    const v = volume[i]!;
    const probe = c + pc + v;
    if (!(probe - probe === 0)) {
      out[i] = NaN;
      continue;
    }
    // Branch-free: rises and falls are a coin flip, which defeats branch prediction.
    total += Math.sign(c - pc) * v;
    out[i] = total;
  }
  return out;
}

/** Number of leading NaN values of {@link obv}: 0. */
export function obvWarmup(): number {
  return 0;
}
