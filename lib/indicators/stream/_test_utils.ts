// Fixtures and the exact-equality assertion shared by the stream tests (not part of the module).
import { AssertionError } from "node:assert";
import { Frame } from "../../frame/mod.ts";
import { mulberry32, randomBars } from "../../testing/mod.ts";
import type { StreamBar } from "./indicator_stream.ts";

/**
 * Asserts `Object.is(actual[i], expected[i])` for every i (so NaN matches NaN and 0 does not
 * match -0) and names the first differing index with both values.
 */
export function assertSameSeries(actual: ArrayLike<number>, expected: ArrayLike<number>, label: string): void {
  if (actual.length !== expected.length) {
    throw new AssertionError({ message: `${label}: length ${actual.length}, expected ${expected.length}` });
  }
  for (let i = 0; i < expected.length; i++) {
    if (!Object.is(actual[i], expected[i])) {
      throw new AssertionError({
        message: `${label}: first difference at index ${i} of ${expected.length}: stream ${show(actual[i]!)}, ` +
          `vectorized ${show(expected[i]!)} (diff ${actual[i]! - expected[i]!})`,
      });
    }
  }
}

// String(-0) is "0", which would hide the one difference Object.is sees there.
function show(x: number): string {
  return Object.is(x, -0) ? "-0" : String(x);
}

/**
 * Pushes every bar of `frame` through `push` and collects `read()` after each push, one array
 * per reader (multi-output streams read several fields).
 */
export function collect(frame: Frame, push: (bar: StreamBar) => void, ...read: (() => number)[]): Float64Array[] {
  const n = frame.length;
  const outs = read.map(() => new Float64Array(n));
  const bar: StreamBar = { open: NaN, high: NaN, low: NaN, close: NaN, volume: NaN };
  const { open, high, low, close, volume } = frame.columns as Record<string, Float64Array>;
  for (let i = 0; i < n; i++) {
    bar.open = open![i]!;
    bar.high = high![i]!;
    bar.low = low![i]!;
    bar.close = close![i]!;
    bar.volume = volume![i]!;
    push(bar);
    for (let k = 0; k < read.length; k++) outs[k]![i] = read[k]!();
  }
  return outs;
}

/**
 * Random-walk frames that exercise every code path: clean ones, ones with missing bars, and
 * "hard" ones with planted NaN and ±Infinity in single columns, outlier spikes (which make the
 * rolling deviation rebuild), flat runs (a window of equal values), a huge price level and
 * leading missing values. Lengths cross the 128- and 1024-bar rebuild intervals.
 */
export function frames(seed: number): { name: string; frame: Frame }[] {
  const out: { name: string; frame: Frame }[] = [];
  for (const n of [0, 1, 5, 40, 300, 2_600]) {
    out.push({ name: `clean n=${n}`, frame: randomBars({ n, seed: seed + n }) });
  }
  out.push({ name: "missing 3%", frame: randomBars({ n: 2_600, seed: seed + 7, missing: 0.03 }) });
  out.push({ name: "missing 30%", frame: randomBars({ n: 700, seed: seed + 8, missing: 0.3 }) });
  out.push({ name: "hard", frame: hardBars(3_000, seed) });
  out.push({ name: "hard 1e9", frame: hardBars(1_500, seed + 1, 1e9) });
  return out;
}

/** A frame with planted holes, spikes, flat runs and leading NaNs (see {@link frames}). */
export function hardBars(n: number, seed: number, price = 100): Frame {
  const base = randomBars({ n, seed, price, missing: 0.01 });
  const rand = mulberry32(seed ^ 0x5eed);
  const names = ["open", "high", "low", "close", "volume"] as const;
  const cols: Record<string, Float64Array> = {};
  for (const name of names) cols[name] = Float64Array.from(base.columns[name]!);
  const holes = [NaN, Infinity, -Infinity];
  for (let i = 0; i < n; i++) {
    const r = rand();
    if (i < 3) {
      for (const name of names) cols[name]![i] = NaN;
    } else if (r < 0.01) {
      cols[names[Math.floor(rand() * 5)]!]![i] = holes[Math.floor(rand() * 3)]!;
    } else if (r < 0.02) {
      // An outlier: the window's spread collapses when it leaves.
      const f = rand() < 0.5 ? 1e6 : 1e-6;
      for (const name of ["open", "high", "low", "close"]) cols[name]![i] = cols[name]![i]! * f;
    } else if (r < 0.03 && i > 0) {
      // A flat run of up to 60 bars at the previous close.
      const len = Math.floor(rand() * 60);
      const c = cols.close![i - 1]!;
      for (let j = i; j < Math.min(n, i + len); j++) {
        cols.open![j] =
          cols.high![j] =
          cols.low![j] =
          cols.close![j] =
            c;
      }
      i += len;
    }
  }
  return new Frame(Float64Array.from(base.ts), cols);
}

/** Column `name` of `frame` (the frames here always have the five OHLCV columns). */
export function col(frame: Frame, name: string): Float64Array {
  return frame.columns[name]!;
}
