// Assertions and fixtures shared by the indicator tests (not part of the public module).
import { AssertionError } from "node:assert";
import { randomBars } from "../testing/mod.ts";
import type { Frame } from "../frame/mod.ts";

/**
 * Asserts `actual[i]` is within `tol` of `expected[i]`, and NaN exactly where `expected` is
 * NaN or null (published tables leave warm-up cells blank).
 */
export function assertSeriesClose(
  actual: ArrayLike<number>,
  expected: ArrayLike<number | null>,
  tol: number,
  label = "series",
): void {
  if (actual.length !== expected.length) {
    throw new AssertionError({ message: `${label}: length ${actual.length}, expected ${expected.length}` });
  }
  for (let i = 0; i < expected.length; i++) {
    const a = actual[i]!;
    const e = expected[i];
    const eNaN = e === null || e === undefined || Number.isNaN(e);
    if (eNaN || Number.isNaN(a)) {
      if (eNaN && Number.isNaN(a)) continue;
      throw new AssertionError({ message: `${label}[${i}] is ${a}, expected ${e ?? "NaN"}` });
    }
    if (!(Math.abs(a - e!) <= tol)) {
      throw new AssertionError({ message: `${label}[${i}] is ${a}, expected ${e} within ${tol}` });
    }
  }
}

/** `count` leading nulls then `values`: the layout of a published table with a blank warm-up. */
export function published(count: number, values: number[]): (number | null)[] {
  return [...Array<null>(count).fill(null), ...values];
}

/** Seeded random-walk bars: a clean set and one with about 2% missing bars. */
export function fixtures(n: number, seed: number): { clean: Frame; gappy: Frame } {
  return {
    clean: randomBars({ n, seed }),
    gappy: randomBars({ n, seed: seed + 1, missing: 0.02 }),
  };
}

// StockCharts ChartSchool, "Moving Averages - Simple and Exponential", spreadsheet
// cs-movavg.xls: 30 daily closes (the SMA and EMA tests use it).
export const MOVAVG_CLOSE = [
  22.2734,
  22.194,
  22.0847,
  22.1741,
  22.184,
  22.1344,
  22.2337,
  22.4323,
  22.2436,
  22.2933,
  22.1542,
  22.3926,
  22.3816,
  22.6109,
  23.3558,
  24.0519,
  23.753,
  23.8324,
  23.9516,
  23.6338,
  23.8225,
  23.8722,
  23.6537,
  23.187,
  23.0976,
  23.326,
  22.6805,
  23.0976,
  22.4025,
  22.1725,
];

// Two-pass reference: mean first, then the sum of squared deviations.
export function twoPassStd(x: Float64Array, p: number, ddof: number): Float64Array {
  return x.map((_, i) => {
    if (i < p - 1 || p - ddof <= 0) return NaN;
    let m = 0;
    for (let j = i - p + 1; j <= i; j++) m += x[j]!;
    m /= p;
    let ss = 0;
    for (let j = i - p + 1; j <= i; j++) ss += (x[j]! - m) ** 2;
    return Math.sqrt(ss / (p - ddof));
  });
}
