import { Frame } from "../frame/mod.ts";
import {
  type AnyStrategy,
  isPortfolioStrategy,
  paramFields,
  type PortfolioStrategy,
  registry,
} from "../strategies/mod.ts";
import type { Calendar, SeriesId } from "../types/mod.ts";
import { alignFrames } from "./align_frames.ts";
import type { BacktestOptionsInput } from "./backtest_options.ts";
import { parseBacktestOptions } from "./parse_backtest_options.ts";
import type { SweepProgress, SweepResult, SweepRow } from "./sweep.ts";
import { resolveAnnualization } from "./_annualization.ts";
import { PortfolioEvaluator, type PortfolioPlan, type PortfolioWorkerInit } from "./_portfolio_eval.ts";
import type { GridValue } from "./_sweep_combos.ts";
import {
  comboSource,
  evaluateBatches,
  finishSweep,
  parseCombo,
  poolEnd,
  shared,
  SweepColumns,
  sweepStats,
  validateCombos,
  workerError,
} from "./_sweep_core.ts";

/** Inputs of {@link runPortfolioSweep}. */
export interface PortfolioSweepOptions<P> {
  /** One frame per asset (the key is the asset name), any timelines: they are aligned on their union. */
  frames: Record<string, Frame>;
  /** A portfolio strategy or a registry name (`"momentum_rotation"`). */
  strategy: PortfolioStrategy<P> | string;
  /** Values per param; params left out take their defaults. Cartesian product, first key slowest. */
  grid?: Record<string, readonly GridValue[] | GridValue>;
  /**
   * Random search: `n` combinations. With a grid, `n` distinct grid points drawn without
   * replacement; without one, draws from each param's schema range. Seed default 1 (the same
   * draws as runSweep's for the same fields, n and seed).
   */
  random?: { n: number; seed?: number };
  options?: BacktestOptionsInput;
  /** `"fast"` (default): final_equity, total_return, trades, entries. `"full"`: every STATS key + entries. */
  stats?: "fast" | "full";
  /** Stat that picks the best combination; default `sharpe` for full stats, `final_equity` for fast. */
  metric?: string;
  /**
   * Worker threads; default `navigator.hardwareConcurrency`, except that sweeps too small to pay
   * for starting workers run in this thread. 0 or 1: this thread. Workers load the strategy by
   * name: a strategy object not in the registry runs in this thread (a note says so).
   */
  workers?: number;
  /** Checked between batches (workers are terminated): aborting rejects with the signal's reason. */
  signal?: AbortSignal;
  onProgress?: (p: SweepProgress) => void;
  /** Each batch's rows as they are made (rows carry `combo`, their position). */
  onBatch?: (rows: SweepRow[]) => void;
  /** Keep every row for `table`; default true without `onBatch`, false with it. */
  retain?: boolean;
  /** Series ids per asset; the first asset's timeframe is the default timeframe. */
  series?: Record<string, SeriesId>;
  timeframe?: string;
  calendar?: Calendar;
  periodsPerYear?: number;
  riskFree?: number;
  /** Equal-weight buy and hold (as runPortfolioBacktest's) for alpha/beta in full stats, or none. */
  benchmark?: "buy_and_hold" | false;
}

/** Combinations per batch: between two looks at the clock in this thread, at most per worker message. */
const BATCH = 8;
/** Combinations x union bars x assets below which workers are not started unless asked for. */
const WORKER_MIN_WORK = 20_000_000;

/**
 * Runs a portfolio strategy over a parameter grid or a random sample, on the frames aligned once
 * on the union of their timestamps. Every row is what {@link runPortfolioBacktest} gives for the
 * same params and options (same aligned frames, same simulation, same stats and benchmark); the
 * result has the shape of {@link runSweep}'s, so the CLI, the report's heatmap and the registry
 * treat both alike.
 *
 * - Invalid combinations (schema failures, a warm-up the union timeline cannot cover) are
 *   skipped and counted, with the first reasons kept.
 * - The best row by `metric` (ties: the first) is run again in full for its PSR and, with full
 *   stats, the DSR over every trial's Sharpe.
 * - Batches of combinations go to worker threads that hold the frames as shared memory (no copy
 *   per worker) and evaluate them with the same code as this thread, so rows do not depend on
 *   the number of workers. A combination costs one `weights` call, one portfolio simulation and
 *   its stats: measured, momentum_rotation on the 3 bundled 5-minute samples (5,760 union bars,
 *   fee and stop-loss on), 7-9 ms of CPU per combination, fast or full stats alike. Starting a
 *   worker costs about half a second, so sweeps under 20M combination x bar x asset steps run
 *   in this thread unless `workers` is given.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { Frame } from "../frame/mod.ts";
 * import { runPortfolioSweep } from "./portfolio_sweep.ts";
 * const day = 86_400_000;
 * const f = (k: number) => {
 *   const close = Float64Array.from({ length: 60 }, (_, i) => 100 + 10 * Math.sin(i / (3 + k)) + k * i / 10);
 *   return new Frame(Float64Array.from(close, (_, i) => i * day), { open: close, high: close, low: close, close });
 * };
 * const r = await runPortfolioSweep({
 *   frames: { a: f(0), b: f(1), c: f(2) },
 *   strategy: "momentum_rotation",
 *   grid: { lookback: [5, 10], k: [1, 2] },
 *   options: { fill: "close", fee: 0.001 },
 * });
 * assert.equal(r.combos, 4);
 * assert.deepEqual(r.paramColumns, ["lookback", "k", "every", "weight"]);
 * assert.equal(r.table.numRows, 4);
 * assert.ok(r.best !== null && r.best.trials <= 4);
 * ```
 */
export async function runPortfolioSweep<P>(input: PortfolioSweepOptions<P>): Promise<SweepResult> {
  const t0 = performance.now();
  const signal = input.signal;
  signal?.throwIfAborted();
  const any = (typeof input.strategy === "string" ? registry.get(input.strategy) : input.strategy) as AnyStrategy;
  if (!isPortfolioStrategy(any)) {
    throw new TypeError(
      `runPortfolioSweep runs portfolio strategies; ${
        JSON.stringify(any.name)
      } is a single-asset strategy: use runSweep`,
    );
  }
  const strategy = any as PortfolioStrategy<any>;
  const names = Object.keys(input.frames);
  if (names.length === 0) throw new RangeError("runPortfolioSweep needs at least one frame, got none");
  const fields = paramFields(strategy);
  const { mode, statKeys, metric } = sweepStats(input, fields);
  const options = parseBacktestOptions(input.options ?? {});
  const source = comboSource(strategy.name, fields, input);

  const al = alignFrames(input.frames);
  const U = al.ts.length;
  const first = input.series?.[names[0]!];
  const ann = resolveAnnualization(new Frame(al.ts, {}), {
    ...(input.timeframe !== undefined ? { timeframe: input.timeframe } : {}),
    ...(input.calendar !== undefined ? { calendar: input.calendar } : {}),
    ...(input.periodsPerYear !== undefined ? { periodsPerYear: input.periodsPerYear } : {}),
    ...(first ? { series: first } : {}),
  });
  const riskFree = input.riskFree ?? 0;
  const plan: PortfolioPlan = {
    options,
    stats: mode,
    statKeys,
    periodsPerYear: ann.periodsPerYear,
    riskFree,
    benchmark: (input.benchmark ?? "buy_and_hold") === "buy_and_hold",
  };
  const ev = new PortfolioEvaluator(input.frames, strategy, plan);

  // Parsed once: the validation pass keeps what it parsed for the evaluation.
  const parsed: (Record<string, unknown> | string)[] = [];
  const validation = validateCombos(
    strategy,
    source,
    U,
    (i) => (parsed[i] = parseCombo(strategy, source, i)),
    "the union timeline",
  );
  const valid = validation.valid.map((i) => parsed[i] as Record<string, unknown>);
  parsed.length = 0;
  const { skipped } = validation;
  const V = valid.length;
  const w = statKeys.length;
  const retain = input.retain ?? input.onBatch === undefined;
  const columns = new SweepColumns(V, plan, metric, retain);

  const notes = [`portfolio of ${names.length} assets on ${U} union bars`];
  let W = input.workers ?? navigator.hardwareConcurrency ?? 1;
  if (!Number.isInteger(W) || W < 0) throw new RangeError(`workers must be an integer >= 0, got ${W}`);
  if (W > 1 && !(registry.has(strategy.name) && registry.get(strategy.name) === strategy)) {
    notes.push(
      `strategy ${strategy.name} is not the registry's: workers load strategies by name, so it ran in this thread`,
    );
    W = 0;
  }
  // A worker costs about half a second to start; a combination about 0.2 us per asset-bar.
  if (input.workers === undefined && W > 1 && V * U * names.length < WORKER_MIN_WORK) {
    notes.push(`small sweep (${V} combinations x ${U} bars x ${names.length} assets): ran in this thread`);
    W = 0;
  }
  W = Math.min(W, V);
  if (W <= 1) W = 0;

  let done = 0;
  const accept = (start: number, count: number, out: Float64Array): void => {
    columns.accept(start, count, out);
    if (input.onBatch) {
      const rows: SweepRow[] = [];
      for (let c = 0; c < count; c++) {
        const pos = start + c, at = c * w;
        const r: SweepRow = { combo: pos };
        for (const f of fields) r[f.name] = valid[pos]![f.name] as number | boolean | string;
        for (let j = 0; j < w; j++) r[statKeys[j]!] = out[at + j]!;
        rows.push(r);
      }
      input.onBatch(rows);
    }
    done += count;
    if (input.onProgress) {
      const el = (performance.now() - t0) / 1000;
      input.onProgress({ done, total: V, skipped, etaSec: el / done * (V - done) });
    }
  };
  if (W > 1) {
    const batch = Math.max(1, Math.min(BATCH, Math.ceil(V / (W * 8))));
    await runWorkers(W, input.frames, strategy.name, plan, valid, batch, w, accept, signal);
  } else {
    await evaluateBatches(ev, V, (pos) => valid[pos]!, BATCH, signal, (start, combos, out) => {
      accept(start, combos.length, out);
    });
  }

  return finishSweep({
    runBest: (p) => ({ run: ev.simulate(p), benchmark: ev.benchmark }),
    fields,
    plan: { ...plan, fastPath: false },
    metric,
    columns,
    V,
    parsedAt: (pos) => valid[pos]!,
    validation,
    elapsedMs: performance.now() - t0,
    workers: W,
    notes,
  });
}

/**
 * Batches of combinations to idle workers, each holding the frames (shared, not copied) and the
 * same PortfolioEvaluator as this thread; rows come back by position, so the result does not
 * depend on the number of workers.
 */
function runWorkers(
  W: number,
  frames: Record<string, Frame>,
  strategy: string,
  plan: PortfolioPlan,
  combos: readonly Record<string, unknown>[],
  batch: number,
  w: number,
  accept: (start: number, count: number, out: Float64Array) => void,
  signal: AbortSignal | undefined,
): Promise<void> {
  const sharedFrames: PortfolioWorkerInit["frames"] = {};
  for (const [k, f] of Object.entries(frames)) {
    const columns: Record<string, Float64Array> = {};
    for (const [c, v] of Object.entries(f.columns)) columns[c] = shared(v);
    sharedFrames[k] = { ts: shared(f.ts), columns };
  }
  const init: PortfolioWorkerInit = { type: "init", strategy, frames: sharedFrames, plan };
  const V = combos.length;
  const workers: Worker[] = [];
  return new Promise<void>((resolve, reject) => {
    let next = 0, pending = 0;
    const end = poolEnd(signal, resolve, reject, () => {
      for (const wk of workers) wk.terminate();
    });
    const finish = end.finish;
    if (end.finished) return;
    const dispatch = (wk: Worker): void => {
      if (next >= V) {
        if (pending === 0) finish();
        return;
      }
      const start = next;
      next = Math.min(V, start + batch);
      pending++;
      wk.postMessage({ type: "run", id: start, combos: combos.slice(start, next) });
    };
    try {
      for (let i = 0; i < W; i++) {
        const wk = new Worker(new URL("./_portfolio_sweep_worker.ts", import.meta.url), { type: "module" });
        workers.push(wk);
        wk.onmessage = (e: MessageEvent) => {
          if (end.finished) return;
          const m = e.data as { type: string; id: number; out: Float64Array; name: string; message: string };
          if (m.type === "ready") return;
          if (m.type === "error") {
            return finish(workerError(m, "portfolio sweep worker"));
          }
          pending--;
          try {
            accept(m.id, m.out.length / w, m.out);
          } catch (err) {
            return finish(err);
          }
          dispatch(wk);
        };
        wk.onerror = (e: ErrorEvent) => {
          e.preventDefault();
          finish(new Error(`portfolio sweep worker failed: ${e.message}`));
        };
        wk.postMessage(init);
      }
      for (const wk of workers) dispatch(wk);
    } catch (err) {
      finish(err);
    }
  });
}
