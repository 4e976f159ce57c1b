import { Frame } from "../frame/mod.ts";
import { crossedAbove, crossedBelow } from "../indicators/mod.ts";
import type { SignalSet } from "../types/mod.ts";
import { mulberry32 } from "../testing/mod.ts";

/** A frame from [open, high, low, close] rows, one minute apart (tests). */
export function ohlc(rows: ReadonlyArray<readonly [number, number, number, number]>): Frame {
  return Frame.fromBars(
    rows.map(([open, high, low, close], i) => ({ ts: i * 60_000, open, high, low, close, volume: 1 })),
  );
}

/** A frame whose open, high, low and close are all `closes` (tests). */
export function flat(closes: readonly number[]): Frame {
  return ohlc(closes.map((c) => [c, c, c, c] as const));
}

/** A SignalSet from 0/1 lists (tests). */
export function sig(
  entries: readonly number[],
  exits: readonly number[],
  shortEntries?: readonly number[],
  shortExits?: readonly number[],
): SignalSet {
  return {
    kind: "signals",
    entries: Uint8Array.from(entries),
    exits: Uint8Array.from(exits),
    ...(shortEntries ? { shortEntries: Uint8Array.from(shortEntries) } : {}),
    ...(shortExits ? { shortExits: Uint8Array.from(shortExits) } : {}),
  };
}

/** The seeded PRNG of lib/testing, under the name the engine tests use. */
export const prng: (seed: number) => () => number = mulberry32;

/** A random-walk OHLC frame of `n` bars (tests). */
export function randomFrame(n: number, seed: number): Frame {
  const r = prng(seed);
  const ts = new Float64Array(n), open = new Float64Array(n), high = new Float64Array(n);
  const low = new Float64Array(n), close = new Float64Array(n), volume = new Float64Array(n).fill(1);
  let p = 100;
  for (let i = 0; i < n; i++) {
    ts[i] = i * 60_000;
    const o = p * (1 + (r() - 0.5) * 0.01);
    const c = o * (1 + (r() - 0.5) * 0.04);
    open[i] = o;
    close[i] = c;
    high[i] = Math.max(o, c) * (1 + r() * 0.01);
    low[i] = Math.min(o, c) * (1 - r() * 0.01);
    p = c;
  }
  return new Frame(ts, { open, high, low, close, volume });
}

/** Trailing simple moving average with NaN warm-up (tests and bench). */
export function sma(x: Float64Array, w: number): Float64Array {
  const out = new Float64Array(x.length).fill(NaN);
  let s = 0;
  for (let i = 0; i < x.length; i++) {
    s += x[i]!;
    if (i >= w) s -= x[i - w]!;
    if (i >= w - 1) out[i] = s / w;
  }
  return out;
}

/** Crossing signals as sma_cross emits them (crossedAbove / crossedBelow), long side only. */
export function crossSignals(fast: Float64Array, slow: Float64Array): SignalSet {
  return { kind: "signals", entries: crossedAbove(fast, slow), exits: crossedBelow(fast, slow) };
}

/** Asserts |a - b| <= tol * max(1, |b|). */
export function near(a: number, b: number, tol = 1e-12): void {
  if (!(Math.abs(a - b) <= tol * Math.max(1, Math.abs(b)))) {
    throw new Error(`expected ${a} to be near ${b} (tol ${tol})`);
  }
}
