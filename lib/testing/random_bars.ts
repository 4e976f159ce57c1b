import { Frame } from "../frame/mod.ts";
import { mulberry32 } from "./mulberry32.ts";

/** Options for {@link randomBars}. */
export interface RandomBarsOptions {
  /** Number of bars. */
  n: number;
  /** PRNG seed (any 32-bit integer); the same seed always gives the same bars. */
  seed: number;
  /** Open time of the first bar, epoch ms; default 1_700_000_000_000 (2023-11-14, on a minute). */
  start?: number;
  /** Bar spacing in ms; default 60_000 (1m bars). */
  stepMs?: number;
  /** First open price; default 100. */
  price?: number;
  /** Standard deviation of the log return per bar; default 0.01. */
  volatility?: number;
  /** Probability that a bar is missing (NaN in every value column, ts kept); default 0. */
  missing?: number;
}

/**
 * A seeded random-walk OHLCV frame for tests and benches: log-normal closes, each open at
 * the previous close, high and low beyond both, log-normal volume, and a bar that is
 * sometimes flat (open = high = low = close) so flat-window edge cases occur too.
 * Bars are consistent: `low <= min(open, close) <= max(open, close) <= high`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { randomBars } from "./random_bars.ts";
 * const a = randomBars({ n: 100, seed: 7 });
 * const b = randomBars({ n: 100, seed: 7 });
 * assert.deepEqual(a.close, b.close);
 * assert.equal(a.ts[1]! - a.ts[0]!, 60_000);
 * assert.ok(a.low.every((l, i) => l <= Math.min(a.open[i]!, a.close[i]!)));
 * ```
 */
export function randomBars(options: RandomBarsOptions): Frame {
  const { n, seed } = options;
  if (!Number.isInteger(n) || n < 0) {
    throw new RangeError(`randomBars: n must be a non-negative integer, got ${String(n)}`);
  }
  if (!Number.isInteger(seed)) {
    throw new RangeError(`randomBars: seed must be an integer, got ${String(seed)}`);
  }
  const start = options.start ?? 1_700_000_000_000;
  const stepMs = options.stepMs ?? 60_000;
  const volatility = options.volatility ?? 0.01;
  const missing = options.missing ?? 0;
  let price = options.price ?? 100;
  if (!(price > 0) || !(volatility >= 0) || !(missing >= 0 && missing <= 1) || !(stepMs > 0)) {
    throw new RangeError(
      `randomBars: need price > 0, volatility >= 0, 0 <= missing <= 1 and stepMs > 0; got ${
        JSON.stringify({ price, volatility, missing, stepMs })
      }`,
    );
  }
  const next = mulberry32(seed);
  const normal = (): number => {
    // Box-Muller; 1 - u keeps the log argument in (0, 1].
    const u = 1 - next();
    const v = next();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  };
  const ts = new Float64Array(n);
  const open = new Float64Array(n);
  const high = new Float64Array(n);
  const low = new Float64Array(n);
  const close = new Float64Array(n);
  const volume = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    ts[i] = start + i * stepMs;
    const o = price;
    const flat = next() < 0.02;
    const c = flat ? o : o * Math.exp(volatility * normal());
    const wick = flat ? 0 : volatility * 0.5;
    high[i] = Math.max(o, c) * (1 + wick * Math.abs(normal()));
    low[i] = Math.min(o, c) * (1 - Math.min(0.5, wick * Math.abs(normal())));
    open[i] = o;
    close[i] = c;
    volume[i] = flat ? 0 : Math.round(1000 * Math.exp(normal())) / 10;
    price = c;
    if (missing > 0 && next() < missing) {
      open[i] =
        high[i] =
        low[i] =
        close[i] =
        volume[i] =
          NaN;
    }
  }
  return new Frame(ts, { open, high, low, close, volume });
}
