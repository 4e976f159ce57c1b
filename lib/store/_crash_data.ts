// Deterministic bars shared by the crash test and its child process.
import type { Bar, SeriesId } from "../types/mod.ts";

/** The series the crash test writes. */
export const CRASH_ID: SeriesId = { exchange: "crash", symbol: "BTC/USDT:USDT", timeframe: "1m" };

/** Bar number `i` (ts = i minutes); values are awkward doubles so a torn write could not pass as valid. */
export function crashBar(i: number): Bar {
  const x = Math.sin(i) * 1000 + 1e4;
  return {
    ts: i * 60_000,
    open: x / 3,
    high: x / 3 + 0.1 + 0.2,
    low: x / 7,
    close: x / 9 + 1e-300,
    volume: i * 1e10 + 5e-324,
  };
}

/** Bar `i` as revision `v` of the data: every price moved by `v`, so each revision differs from the others. */
export function revisedBar(i: number, v: number): Bar {
  const b = crashBar(i);
  return { ...b, open: b.open + v, high: b.high + v, low: b.low + v, close: b.close + v };
}
