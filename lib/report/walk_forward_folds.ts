/** One walk-forward fold as reports show it, whichever surface recorded it. */
export interface ReportFold {
  /** Fold number, 1-based. */
  fold: number;
  trainStart: number;
  trainEnd: number;
  testStart: number;
  testEnd: number;
  /** Best params in-sample. */
  params: Record<string, unknown>;
  /** The selection metric in and out of sample; NaN when undefined (no trades, flat equity). */
  inSample: number;
  outOfSample: number;
  /** Out-of-sample trades and total return; NaN when not recorded. */
  oosTrades: number;
  oosReturn: number;
}

const num = (v: unknown): number => (typeof v === "number" ? v : NaN);
const obj = (v: unknown): Record<string, unknown> =>
  v !== null && typeof v === "object" && !Array.isArray(v) ? v as Record<string, unknown> : {};

/**
 * The folds recorded in a walk-forward run's `detail`, in one shape. Two shapes are recorded:
 * the lab's (lib/backtest's `WalkForwardFoldResult` as JSON: `trainStart`, `inSample`,
 * `oosStats`, 0-based `fold`) and the CLI's (`train: { from, to }`, `in_sample: { <metric> }`,
 * 1-based `fold`). JSON turns an undefined metric (NaN) into `null`; it comes back as NaN,
 * which reports show as "n/a". Entries that are not objects are skipped.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { walkForwardFolds } from "./walk_forward_folds.ts";
 * const [f] = walkForwardFolds({
 *   metric: "sharpe",
 *   folds: [{ fold: 0, trainStart: 0, trainEnd: 9, testStart: 10, testEnd: 14, params: { fast: 5 },
 *     inSample: 1.2, outOfSample: null, oosStats: { trades: 0, total_return: 0 } }],
 * });
 * assert.equal(f!.fold, 1);
 * assert.ok(Number.isNaN(f!.outOfSample));
 * assert.equal(f!.oosTrades, 0);
 * ```
 */
export function walkForwardFolds(detail: unknown): ReportFold[] {
  const d = obj(detail);
  const metric = typeof d.metric === "string" ? d.metric : "sharpe";
  const folds = Array.isArray(d.folds) ? d.folds : [];
  const out: ReportFold[] = [];
  for (const raw of folds) {
    if (raw === null || typeof raw !== "object") continue;
    const f = raw as Record<string, unknown>;
    const params = obj(f.params);
    if ("train" in f && !("trainStart" in f)) {
      // The CLI's shape (cli/_backtest_wf.ts): windows as { from, to, bars }, stats picked per side.
      const train = obj(f.train), test = obj(f.test), ins = obj(f.in_sample), oos = obj(f.out_of_sample);
      out.push({
        fold: num(f.fold),
        trainStart: num(train.from),
        trainEnd: num(train.to),
        testStart: num(test.from),
        testEnd: num(test.to),
        params,
        inSample: num(ins[metric]),
        outOfSample: num(oos[metric]),
        oosTrades: num(oos.trades),
        oosReturn: num(oos.total_return),
      });
    } else {
      const oos = obj(f.oosStats);
      out.push({
        fold: num(f.fold) + 1,
        trainStart: num(f.trainStart),
        trainEnd: num(f.trainEnd),
        testStart: num(f.testStart),
        testEnd: num(f.testEnd),
        params,
        inSample: num(f.inSample),
        outOfSample: num(f.outOfSample),
        oosTrades: num(oos.trades),
        oosReturn: num(oos.total_return),
      });
    }
  }
  return out;
}
