// What walkForward and portfolioWalkForward share: the fold layout and its checks, and the stitching of the
// out-of-sample runs into one curve, so the single-asset and portfolio walks cannot drift apart.
import type { Table } from "apache-arrow";
import type { Order, Trade } from "../types/mod.ts";
import {
  MIN_WALK_FORWARD_BARS,
  type WalkForwardFoldResult,
  type WalkForwardResult,
  type WalkForwardWindow,
} from "./walk_forward.ts";
import { STATS_BY_KEY } from "../metrics/mod.ts";
import { equityTable } from "./_equity_table.ts";
import { runStats } from "./_run_stats.ts";

/** Where the folds lie on a timeline of `n` bars. */
export interface FoldLayout {
  mode: "rolling" | "anchored";
  folds: number;
  metric: string;
  /** Bar where the first fold's training window starts. */
  first: number;
  train: number;
  test: number;
}

/** Checks the walk's mode, windows, folds and metric against `n` bars (`bars` names them in errors). */
export function foldLayout(
  input: { mode?: string; train: number; test: number; folds?: number; metric?: string },
  n: number,
  bars: string,
): FoldLayout {
  const { train, test } = input;
  const mode = input.mode ?? "rolling";
  if (mode !== "rolling" && mode !== "anchored") {
    throw new RangeError(`mode must be "rolling" or "anchored", got ${JSON.stringify(mode)}`);
  }
  for (const [k, v] of [["train", train], ["test", test]] as const) {
    if (!Number.isInteger(v) || v < MIN_WALK_FORWARD_BARS) {
      throw new RangeError(`${k} must be an integer number of bars >= ${MIN_WALK_FORWARD_BARS}, got ${v}`);
    }
  }
  const fit = Math.floor((n - train) / test);
  if (fit < 1) {
    throw new RangeError(
      `${n} ${bars} hold no fold of train ${train} + test ${test} bars; use shorter windows or more data`,
    );
  }
  const folds = input.folds ?? fit;
  if (!Number.isInteger(folds) || folds < 1 || folds > fit) {
    throw new RangeError(`folds must be an integer from 1 to ${fit} (what ${n} ${bars} hold), got ${folds}`);
  }
  const metric = input.metric ?? "sharpe";
  if (metric !== "entries" && !STATS_BY_KEY.has(metric)) {
    throw new RangeError(`metric ${JSON.stringify(metric)} is not a stat key; see STATS (e.g. sharpe, total_return)`);
  }
  return { mode, folds, metric, first: n - train - folds * test, train, test };
}

/** Fold `f`'s training window `[start, end)`. */
export function trainWindow(layout: FoldLayout, f: number): [number, number] {
  const trainEnd = layout.first + layout.train + f * layout.test;
  return [layout.mode === "rolling" ? trainEnd - layout.train : layout.first, trainEnd];
}

/** The in-sample best, or an error that says why there is none. */
export function foldBest<B>(
  sweep: { best: B | null; combos: number; skipped: { count: number } },
  f: number,
  metric: string,
): B {
  if (sweep.best === null) {
    throw new RangeError(
      `fold ${f}: no combination has a defined ${metric} in-sample (${sweep.combos} valid, ${sweep.skipped.count} skipped); widen the grid or the training window`,
    );
  }
  return sweep.best;
}

/** One fold's out-of-sample run, as simulate and simulatePortfolio return it. */
export interface FoldRun {
  equity: Float64Array;
  trades: readonly Trade[];
  orders: readonly Order[];
  exposure: number;
  feesPaid: number;
}

/** What a fold reports besides its windows. */
export interface FoldPick {
  warmupBars: number;
  params: Record<string, unknown>;
  isStats: Record<string, number>;
  oosStats: Record<string, number>;
  trials: number;
}

/**
 * Stitches the folds' test runs into one curve: fold k's equity is scaled by the stitched value at the end of
 * fold k-1 over `cash`, and its trades and orders get indices into the stitched curve.
 */
export class FoldStitcher {
  readonly #layout: FoldLayout;
  readonly #cash: number;
  readonly #barTs: Float64Array;
  readonly #ts: Float64Array;
  readonly #equity: Float64Array;
  readonly #foldOf: Float64Array;
  readonly #trades: Trade[] = [];
  readonly #orders: Order[] = [];
  readonly #out: WalkForwardFoldResult[] = [];
  #scale = 1;
  #k = 0;
  #held = 0;
  #fees = 0;

  /** `barTs` is the timeline the layout counts bars on. */
  constructor(layout: FoldLayout, cash: number, barTs: Float64Array) {
    this.#layout = layout;
    this.#cash = cash;
    this.#barTs = barTs;
    const len = layout.folds * layout.test;
    this.#ts = new Float64Array(len);
    this.#equity = new Float64Array(len);
    this.#foldOf = new Float64Array(len);
  }

  /** Adds fold `f` (folds in order) and returns its result. */
  add(run: FoldRun, f: number, pick: FoldPick): WalkForwardFoldResult {
    const { test, metric } = this.#layout;
    const [trainStart, trainEnd] = trainWindow(this.#layout, f);
    const testEnd = trainEnd + test;
    const cash = this.#cash, bts = this.#barTs, ts = this.#ts, equity = this.#equity, foldOf = this.#foldOf;
    let k = this.#k;
    for (let i = 0; i < test; i++) {
      ts[k] = bts[trainEnd + i]!;
      equity[k] = cash * this.#scale * (run.equity[i]! / cash);
      foldOf[k++] = f;
    }
    this.#k = k;
    this.#scale = equity[k - 1]! / cash;
    const offset = f * test;
    for (const t of run.trades) {
      this.#trades.push({
        ...t,
        entryIndex: t.entryIndex + offset,
        exitIndex: t.exitIndex >= 0 ? t.exitIndex + offset : -1,
      });
    }
    for (const o of run.orders) this.#orders.push({ ...o, index: o.index + offset });
    this.#held += run.exposure * test;
    this.#fees += run.feesPaid;
    const win = (start: number, end: number): WalkForwardWindow => ({
      start,
      end,
      startTs: bts[start]!,
      endTs: bts[end - 1]!,
    });
    const result: WalkForwardFoldResult = {
      fold: f,
      train: win(trainStart, trainEnd),
      test: win(trainEnd, testEnd),
      warmupBars: pick.warmupBars,
      params: pick.params,
      isStats: pick.isStats,
      oosStats: pick.oosStats,
      trials: pick.trials,
      trainStart: bts[trainStart]!,
      trainEnd: bts[trainEnd - 1]!,
      testStart: bts[trainEnd]!,
      testEnd: bts[testEnd - 1]!,
      inSample: pick.isStats[metric]!,
      outOfSample: pick.oosStats[metric]!,
    };
    this.#out.push(result);
    return result;
  }

  /** The stitched result, with stats of the whole out-of-sample curve. */
  finish(ann: { periodsPerYear: number; riskFree: number }): WalkForwardResult {
    const { mode, metric, folds, test } = this.#layout;
    const ts = this.#ts, equity = this.#equity, foldOf = this.#foldOf;
    const stats = runStats(
      {
        ts,
        equity,
        trades: this.#trades,
        orders: this.#orders,
        exposure: this.#held / (folds * test),
        feesPaid: this.#fees,
      },
      ann,
    );
    return {
      mode,
      metric,
      folds: this.#out,
      ts,
      equity,
      stats,
      equityTable(): Table {
        return equityTable(ts, equity, { fold: foldOf });
      },
    };
  }
}
