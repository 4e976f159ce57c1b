import type { DecisionOutcomeRow, DecisionRow } from "./decision_row.ts";

/** Closes of one symbol's bars: `ts` the bar open times (epoch ms, ascending), `close` aligned to `ts`. */
export interface BarCloses {
  ts: Float64Array;
  close: Float64Array;
}

/**
 * Attaches each row's outcome: with `t` the decision bar (`ts[t] === row.barTs`), `forwardReturn =
 * close[t + h] / close[t] - 1` (from the decision bar's close, when the decision is made, to the close `h =
 * horizonBars` bars later) and `outcomeTime` the close time of bar `t + h`, `ts[t + h] + barMs` with `barMs =
 * row.decisionTime - row.barTs` (the row's own bar length, so no timeframe is needed). Both are NaN when the
 * window has not closed (`t + h` past the last bar), when the bar is not in the series, or when a close is not
 * finite. `closes` is one series (every row is on it) or a record by symbol (a row's symbol missing from it is an
 * error).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { attachOutcomes } from "./attach_outcomes.ts";
 * const H = 3_600_000;
 * const closes = { ts: new Float64Array([0, H, 2 * H]), close: new Float64Array([100, 110, 99]) };
 * const row = {
 *   persona: "p", symbol: "X", decisionTime: H, barTs: 0, action: "buy" as const, confidence: 1,
 *   direction: 1 as const, factors: [], source: "backtest" as const, runId: "r",
 * };
 * const [a, b] = attachOutcomes([row, { ...row, barTs: 2 * H, decisionTime: 3 * H }], closes, 1);
 * assert.ok(Math.abs(a!.forwardReturn - 0.1) < 1e-12);
 * assert.equal(a!.outcomeTime, 2 * H);
 * assert.ok(Number.isNaN(b!.forwardReturn)); // bar 3 is not in the series: its window is open
 * ```
 */
export function attachOutcomes(
  rows: readonly DecisionRow[],
  closes: BarCloses | Readonly<Record<string, BarCloses>>,
  horizonBars: number,
): DecisionOutcomeRow[] {
  if (!Number.isInteger(horizonBars) || horizonBars < 1) {
    throw new RangeError(`attachOutcomes: horizonBars must be an integer >= 1, got ${horizonBars}`);
  }
  const single = isBarCloses(closes) ? closes : undefined;
  return rows.map((row) => {
    let series = single;
    if (series === undefined) {
      series = (closes as Record<string, BarCloses>)[row.symbol];
      if (series === undefined || !isBarCloses(series)) {
        throw new RangeError(
          `attachOutcomes: no closes for symbol ${JSON.stringify(row.symbol)} (have ${
            Object.keys(closes).join(", ") || "none"
          }); add its series to closes`,
        );
      }
    }
    const { ts, close } = series;
    if (close.length !== ts.length) {
      throw new RangeError(
        `attachOutcomes: closes of ${row.symbol} have ${ts.length} times and ${close.length} closes; align them`,
      );
    }
    const t = indexOf(ts, row.barTs);
    let forwardReturn = NaN;
    let outcomeTime = NaN;
    if (t >= 0 && t + horizonBars < ts.length) {
      const c0 = close[t]!;
      const c1 = close[t + horizonBars]!;
      if (Number.isFinite(c0) && Number.isFinite(c1) && c0 !== 0) {
        forwardReturn = c1 / c0 - 1;
        outcomeTime = ts[t + horizonBars]! + (row.decisionTime - row.barTs);
      }
    }
    return { ...row, forwardReturn, outcomeTime };
  });
}

function isBarCloses(x: unknown): x is BarCloses {
  return typeof x === "object" && x !== null && (x as BarCloses).ts instanceof Float64Array &&
    (x as BarCloses).close instanceof Float64Array;
}

/** Binary search for an exact open time; -1 when absent. */
function indexOf(ts: Float64Array, value: number): number {
  let lo = 0, hi = ts.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >>> 1;
    const v = ts[mid]!;
    if (v === value) return mid;
    if (v < value) lo = mid + 1;
    else hi = mid - 1;
  }
  return -1;
}
