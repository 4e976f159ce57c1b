import { checkDistinct, checkPeriod, checkSeries, prepareOut } from "./_validate.ts";
import { ema, type EmaSeed } from "./ema.ts";

/** The three series of {@link macd}. */
export interface Macd {
  /** MACD line: `ema(fast) - ema(slow)`. */
  macd: Float64Array;
  /** Signal line: EMA of the MACD line over `signal` bars. */
  signal: Float64Array;
  /** `macd - signal`. */
  histogram: Float64Array;
}

/** Options for {@link macd}. */
export interface MacdOptions {
  /** Fast EMA period; default 12. */
  fast?: number;
  /** Slow EMA period; default 26; must be greater than `fast`. */
  slow?: number;
  /** Signal EMA period; default 9. */
  signal?: number;
  /** Seeding of all three EMAs (see {@link EmaSeed}); default `"sma"`. */
  seed?: EmaSeed;
  /** Buffers to write into (each of the input's length, all distinct); missing ones are allocated. */
  out?: Partial<Macd>;
}

/** First defined index of each {@link macd} series. */
export interface MacdWarmup {
  macd: number;
  signal: number;
  histogram: number;
}

/**
 * Moving Average Convergence/Divergence (Appel), default 12/26/9.
 *
 * - Each EMA is {@link ema} with the chosen seed. With the default SMA seed the fast and slow
 *   EMAs each start from the SMA of their own first `period` values (StockCharts'
 *   cs-macd.xls); the MACD line starts at `slow - 1` and the signal line, an EMA of the MACD
 *   line seeded by the SMA of its first `signal` values, at `slow + signal - 2`
 *   ({@link macdWarmup}). TA-Lib `MACD` seeds the fast EMA later (aligned to the slow one),
 *   so its early values differ slightly. With `seed: "first"` everything starts at bar 0,
 *   like pandas `ewm(adjust=False)`.
 * - Missing values (NaN, ±Infinity): NaN at that bar in every series, then the EMAs resume
 *   (see {@link ema}).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { macd } from "./macd.ts";
 * const x = Float64Array.of(1, 2, 3, 4, 5, 6);
 * const m = macd(x, { fast: 2, slow: 3, signal: 2 });
 * // ema2 at index 2 is 2.5, ema3 (SMA seed) is 2, so MACD is 0.5 there
 * assert.equal(m.macd[2], 0.5);
 * assert.ok(Number.isNaN(m.signal[2]!));
 * assert.equal(m.signal[3], 0.5); // SMA of MACD values 0.5 and 0.5
 * assert.equal(m.histogram[3], m.macd[3]! - m.signal[3]!);
 * ```
 */
export function macd(values: Float64Array, options: MacdOptions = {}): Macd {
  const fn = "macd";
  checkSeries(fn, "values", values);
  const fast = options.fast ?? 12;
  const slow = options.slow ?? 26;
  const signalPeriod = options.signal ?? 9;
  checkPeriod(fn, "fast", fast);
  checkPeriod(fn, "slow", slow);
  checkPeriod(fn, "signal", signalPeriod);
  if (fast >= slow) {
    throw new RangeError(`${fn}: fast (${fast}) must be less than slow (${slow}); swap them`);
  }
  const seed = options.seed ?? "sma";
  const n = values.length;
  const o = options.out ?? {};
  const line = prepareOut(fn, "out.macd", n, o.macd, [values]);
  const signal = prepareOut(fn, "out.signal", n, o.signal, [values]);
  const histogram = prepareOut(fn, "out.histogram", n, o.histogram, [values]);
  checkDistinct(fn, { macd: line, signal, histogram });
  // The slow EMA goes through `histogram` first, so no scratch array is needed.
  ema(values, fast, { seed, out: line });
  ema(values, slow, { seed, out: histogram });
  for (let i = 0; i < n; i++) line[i] = line[i]! - histogram[i]!;
  ema(line, signalPeriod, { seed, out: signal });
  for (let i = 0; i < n; i++) histogram[i] = line[i]! - signal[i]!;
  return { macd: line, signal, histogram };
}

/** First defined index of each {@link macd} series (defaults 12/26/9, SMA seed). */
export function macdWarmup(options: Omit<MacdOptions, "out"> = {}): MacdWarmup {
  const slow = options.slow ?? 26;
  const signal = options.signal ?? 9;
  checkPeriod("macdWarmup", "slow", slow);
  checkPeriod("macdWarmup", "signal", signal);
  if (options.seed === "first") return { macd: 0, signal: 0, histogram: 0 };
  return { macd: slow - 1, signal: slow + signal - 2, histogram: slow + signal - 2 };
}
