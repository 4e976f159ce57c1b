import { drawdownEpisodes } from "./_private.ts";

const DAY = 86_400_000;

/** One drawdown of an equity curve, as {@link drawdownPeriods} reports it. */
export interface DrawdownPeriod {
  /** Time (epoch ms) of the peak the equity falls from. */
  start: number;
  /** Time (epoch ms) of the deepest point. */
  valley: number;
  /** Time (epoch ms) of the first bar back at or above the peak; NaN if not recovered by the end. */
  recovery: number;
  /** Depth at the valley as a negative fraction (-0.23 = 23 % below the peak). */
  depth: number;
  /** Bars from the peak to the recovery, or to the last bar if not recovered. */
  length: number;
  /** Calendar days (fractional) over the same span as `length`. */
  days: number;
}

/** Options of {@link drawdownPeriods}. */
export interface DrawdownPeriodsOptions {
  /** How many periods to return, deepest first: a positive integer or Infinity (all). Default 5. */
  top?: number;
}

/**
 * The deepest drawdowns of an equity curve, like quantstats' `drawdown_details` and pyfolio's
 * `gen_drawdown_table`: each period runs from a peak to the first bar back at or above it (or to
 * the last bar if never recovered), and reports its valley and depth. Sorted by depth, deepest
 * first (ties: earlier first), at most `top` of them.
 *
 * Differences from those tables: `start` is the peak bar (pyfolio's "peak date"; quantstats
 * starts at the first bar under water), `length` counts bars and `days` is the calendar span
 * `(recovery or last ts - peak ts) / 1 day`, without quantstats' `+ 1`. NaN equity values are
 * skipped. An equity curve that never falls gives `[]`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { drawdownPeriods } from "./drawdown_periods.ts";
 * const day = 86_400_000;
 * const ts = new Float64Array([0, 1, 2, 3, 4, 5].map((d) => d * day));
 * const equity = new Float64Array([100, 75, 90, 100, 110, 99]);
 * const [worst, second] = drawdownPeriods(equity, ts);
 * // peak day 0 at 100, valley day 1 at 75 (-25 %), back to 100 on day 3
 * assert.deepEqual(worst, { start: 0, valley: day, recovery: 3 * day, depth: -0.25, length: 3, days: 3 });
 * // peak day 4 at 110, 99 on day 5 (-10 %), not recovered
 * assert.ok(Number.isNaN(second!.recovery));
 * assert.equal(second!.length, 1);
 * ```
 */
export function drawdownPeriods(
  equity: Float64Array,
  ts: Float64Array,
  options: DrawdownPeriodsOptions = {},
): DrawdownPeriod[] {
  if (ts.length !== equity.length) {
    throw new RangeError(
      `drawdownPeriods: ts has length ${ts.length} but equity has ${equity.length}; pass the bar times of the equity curve`,
    );
  }
  const top = options.top ?? 5;
  if (!(top === Infinity || (Number.isInteger(top) && top >= 1))) {
    throw new RangeError(`drawdownPeriods: top must be a positive integer or Infinity, got ${top}`);
  }
  const episodes = drawdownEpisodes(equity);
  // Stable sort: equal depths keep time order.
  episodes.sort((a, b) => a.depth - b.depth);
  const out: DrawdownPeriod[] = [];
  for (const e of episodes) {
    if (out.length >= top) break;
    const start = ts[e.peak]!;
    out.push({
      start,
      valley: ts[e.trough]!,
      recovery: e.recovered ? ts[e.end]! : NaN,
      depth: e.depth,
      length: e.end - e.peak,
      days: (ts[e.end]! - start) / DAY,
    });
  }
  return out;
}
