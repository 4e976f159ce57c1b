import type { Table } from "apache-arrow";
import type { Frame } from "../frame/mod.ts";
import { type AnyStrategy, isPortfolioStrategy, prepareStrategy, registry, type Strategy } from "../strategies/mod.ts";
import type { Calendar, SeriesId } from "../types/mod.ts";
import type { BacktestInput } from "./backtest.ts";
import type { BacktestOptionsInput } from "./backtest_options.ts";
import type { BacktestResult } from "./backtest_result.ts";
import type { SimResult } from "./sim_result.ts";
import { completeBacktest, prepareBacktest } from "./_backtest_steps.ts";
import { resolveAnnualization } from "./_annualization.ts";
import type { GridValue } from "./_sweep_combos.ts";
import {
  type AcceptRows,
  chooseWorkers,
  computeSeries,
  evaluateBatches,
  finishSweep,
  parseCombo,
  poolEnd,
  runExecutor,
  shared,
  SweepColumns,
  sweepPlan,
  sweepSetup,
  validateCombos,
  workerError,
} from "./_sweep_core.ts";
import { SweepEvaluator, type SweepPlan } from "./_sweep_eval.ts";
import { smaKeyPeriod } from "./_sma_blocks.ts";
import { leaseSweepWorkers, type SweepWorkerLease, SweepWorkerPool } from "./sweep_worker_pool.ts";

export type { SweepPlan } from "./_sweep_eval.ts";

/** Progress of a running sweep. */
export interface SweepProgress {
  /**
   * Combinations evaluated so far; while a worker's batch runs (by default one per worker on the fused kernel), its
   * combinations count in proportion to the bars it has covered.
   */
  done: number;
  /** Valid combinations to evaluate. */
  total: number;
  /** Invalid combinations skipped (not counted in `total`). */
  skipped: number;
  /** Seconds left at the rate so far (NaN before the first batch). */
  etaSec: number;
}

/** One result row: every param (defaults filled in) and every stat column. */
export type SweepRow = Record<string, number | boolean | string>;

/** Inputs of {@link runSweep}. */
export interface SweepOptions<P> {
  frame: Frame;
  /** A strategy object or a registry name. Workers need a registered strategy (see runSweep). */
  strategy: Strategy<P> | string;
  /** Values per param; params left out take their defaults. Cartesian product, first key slowest. */
  grid?: Record<string, readonly GridValue[] | GridValue>;
  /**
   * Random search: `n` combinations. With a grid, `n` distinct grid points drawn without
   * replacement; without one, draws from each param's schema range. Seed default 1.
   */
  random?: { n: number; seed?: number };
  options?: BacktestOptionsInput;
  /**
   * Worker threads; default `navigator.hardwareConcurrency`, except that small sweeps (where
   * starting workers would cost more than the work) run in this thread. 0 or 1: this thread.
   */
  workers?: number;
  /**
   * Worker threads started beforehand (see {@link SweepWorkerPool}): the sweep uses up to `pool.size` of them (`workers`
   * still caps the count and still runs small sweeps in this thread) and leaves them running.
   */
  pool?: SweepWorkerPool;
  /** `"fast"` (default): final_equity, total_return, trades, entries. `"full"`: the whole STATS registry + entries. */
  stats?: "fast" | "full";
  /** Stat that picks the best combination; default `sharpe` for full stats, `final_equity` for fast. */
  metric?: string;
  /** Aborting terminates the workers and rejects with the signal's reason. */
  signal?: AbortSignal;
  /** Called after every batch, and while a worker's batch runs (about every 100 ms; `done` never goes back). */
  onProgress?: (p: SweepProgress) => void;
  /** Called with each batch's rows as they arrive (in completion order; rows carry `combo`, their position). */
  onBatch?: (rows: SweepRow[]) => void;
  /** Keep every row for `table`; default true without `onBatch`, false with it. */
  retain?: boolean;
  /**
   * Combinations per batch sent to a worker; default sized for load balance (on the fused kernel: one batch per
   * worker, the combinations dealt out in turn in runs of 8, so each SMA is computed once per worker).
   */
  batchSize?: number;
  series?: SeriesId;
  timeframe?: string;
  calendar?: Calendar;
  periodsPerYear?: number;
  riskFree?: number;
  /** Buy-and-hold benchmark for alpha/beta in full stats (default) or none. */
  benchmark?: "buy_and_hold" | false;
  /**
   * Evaluates the combinations elsewhere (lib/cluster: on other machines) instead of local workers; everything
   * else (validation, best pick, PSR/DSR, the table) stays here, so the result is the local one. Needs a
   * registered strategy without `prepare`.
   */
  executor?: SweepExecutor;
  /**
   * Also return the best combination's full single run as `bestRun`: what `runBacktest` gives for its params over
   * this frame (stats, trades, equity, manifest), built from the run the best pick's stats come from instead of a
   * second simulation. Default false.
   */
  keepBestRun?: boolean;
}

/** The evaluation part of a sweep, as plain data and the frame: what an executor hands to remote evaluators. */
export interface SweepJob {
  frame: Frame;
  /** Registry name of the strategy. */
  strategy: string;
  plan: SweepPlan;
  /** The valid combinations, parsed (defaults filled in), in combination order. */
  combos: readonly Record<string, unknown>[];
}

/**
 * Runs a sweep's evaluations somewhere else. `accept(start, out)` takes the stat rows of combinations
 * `[start, start + out.length / plan.statKeys.length)` (see {@link evaluateSweepCombos}); ranges may arrive in any
 * order, and each combination must be accepted exactly once (a second time throws).
 */
export interface SweepExecutor {
  run(job: SweepJob, accept: (start: number, out: Float64Array) => void, signal?: AbortSignal): Promise<void>;
}

/** The best combination by the sweep's metric, with its full stats and multiple-testing stats. */
export interface SweepBest {
  /** Row of the combination in `table` (its position among evaluated combinations). */
  combo: number;
  params: Record<string, unknown>;
  /** Its value of the metric. */
  value: number;
  /** Every registry stat of a single run with these params (as runBacktest computes them). */
  stats: Record<string, number>;
  /** Trials behind the selection: evaluated combinations with a finite Sharpe (full stats), else all evaluated. */
  trials: number;
  /** Probabilistic Sharpe ratio of its returns (P[true Sharpe > 0]). */
  psr: number;
  /**
   * Deflated Sharpe ratio given the trials' Sharpe ratios (Bailey & López de Prado 2014). Needs
   * every trial's Sharpe, so it is NaN for a `"fast"` sweep.
   */
  dsr: number;
}

/** What {@link runSweep} returns. */
export interface SweepResult {
  /** One row per evaluated combination, in combination order: params, then stat columns. Empty when not retained. */
  table: Table;
  /** Combinations evaluated. */
  combos: number;
  /** Invalid combinations skipped, with the first few reasons. */
  skipped: { count: number; reasons: string[] };
  elapsedMs: number;
  /** Null when no combination was valid or the metric is NaN everywhere. */
  best: SweepBest | null;
  metric: string;
  /** Param columns and stat columns of `table`. */
  paramColumns: string[];
  statColumns: string[];
  /** Whether the fused crossover kernel ran. */
  fastPath: boolean;
  /** Worker threads used (0: in this thread). */
  workers: number;
  /** Distinct indicator series computed (once each) for the sweep. */
  indicators: number;
  /** Anything worth knowing about how the sweep ran. */
  notes: string[];
  /** The best combination's single run (`runBacktest` of its params), with `keepBestRun` and a best pick. */
  bestRun?: BacktestResult;
}

/**
 * Runs a strategy over a parameter grid or a random sample, on worker threads.
 *
 * - Every combination is validated by the strategy's schema; invalid ones (`fast >= slow`), and
 *   those whose warm-up is not shorter than the data (see `checkWarmup`), are skipped and
 *   counted, with the first reasons kept.
 * - Each distinct indicator series (`IndicatorRequest.key`) of all valid combinations is
 *   computed once, in this thread, and shared with the workers with the frame's columns as
 *   SharedArrayBuffer-backed arrays (no copy per worker). A strategy without `indicators(p)`
 *   gets its series computed once per worker instead.
 * - Batches of combinations go to idle workers; results stream back per batch (no equity curve
 *   is kept per combination). With `onBatch` and `retain: false`, memory stays bounded whatever
 *   the grid size (the metric and Sharpe columns are kept for the best pick and the DSR).
 * - Fused kernel: with a `crossover` hint, `fill: "close"`, long only, all-in sizing, no lot,
 *   min notional or stops, and `stats: "fast"`, combinations run through the crossover kernel
 *   (bit-identical to simulate), a batch at a time over cache-sized blocks of bars.
 * - Workers load the strategy by name from the registry; an unregistered strategy object runs in
 *   this thread (a note says so).
 * - Workers start with the sweep and end with it, unless the caller passes a {@link SweepWorkerPool} as `pool`,
 *   started beforehand (while the data loads) and reused sweep after sweep.
 * - Results do not depend on the number of workers or batch sizes.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { Frame } from "../frame/mod.ts";
 * import { runSweep } from "./mod.ts";
 * const close = Float64Array.from({ length: 300 }, (_, i) => 100 + 10 * Math.sin(i / 9) + i / 10);
 * const frame = new Frame(Float64Array.from(close, (_, i) => i * 3_600_000), { close });
 * const r = await runSweep({
 *   frame,
 *   strategy: "sma_cross",
 *   grid: { fast: [2, 5, 10], slow: [5, 20] },
 *   options: { fill: "close", fee: 0.001 },
 *   workers: 0,
 * });
 * assert.equal(r.combos, 4); // fast 5 / slow 5 and fast 10 / slow 5 are invalid (fast < slow)
 * assert.equal(r.skipped.count, 2);
 * assert.ok(r.fastPath);
 * assert.deepEqual(r.table.schema.fields.map((f) => f.name), ["fast", "slow", "final_equity", "total_return", "trades", "entries"]);
 * ```
 */
export async function runSweep<P>(input: SweepOptions<P>): Promise<SweepResult> {
  const t0 = performance.now();
  const { frame } = input;
  const signal = input.signal;
  signal?.throwIfAborted();
  const setup = sweepSetup("runSweep", input as SweepOptions<unknown>);
  const { strategy, source, fields, metric } = setup;
  const plan = sweepPlan(setup, resolveAnnualization(frame, input).periodsPerYear);
  const validation = validateCombos(strategy, source, frame.length, (i) => parseCombo(strategy, source, i));
  const { valid, skipped } = validation;
  const V = valid.length;
  const executor = input.executor;
  const chosen = chooseWorkers({
    requested: input.workers,
    strategy,
    barSteps: V * frame.length,
    combos: V,
    fastPath: plan.fastPath,
    smallNote: `small sweep (${V} combinations x ${frame.length} bars): ran in this thread; pass workers to force`,
    executor,
  });
  const { notes } = chosen;
  // A pool caps the threads at its size (one left: this thread, as chooseWorkers has it).
  const pool = executor === undefined ? input.pool : undefined;
  const W = pool !== undefined && chosen.workers > pool.size ? (pool.size > 1 ? pool.size : 0) : chosen.workers;
  const parsedAt = (pos: number): Record<string, unknown> =>
    strategy.params.parse(source.at(valid[pos]!)) as Record<string, unknown>;
  if (strategy.prepare !== undefined) {
    for (let pos = 0; pos < V; pos++) {
      signal?.throwIfAborted();
      await prepareStrategy(strategy, frame, parsedAt(pos), signal ? { signal } : {});
    }
  }

  // Each distinct series once, shared with the workers; remote evaluators compute their own (the same functions on
  // the same data: the same values). With workers, never whole in memory when the kernel streams it (SMA-X-990 on 1M
  // bars: 720 MB less to touch).
  const share = W > 1;
  const series = executor === undefined ? computeSeries(validation.requests, frame, plan, share, share) : new Map();

  const retain = input.retain ?? input.onBatch === undefined;
  const columns = new SweepColumns(V, plan, metric, retain);
  const { statKeys } = plan;
  const w = statKeys.length;

  // Batches of the fused kernel on workers: by default one per worker, the combinations dealt out in small runs in
  // turn (neighbouring combinations cost about the same, so the workers finish together), as each batch computes its
  // SMAs once, block by block; progress comes from the workers per block of bars.
  if (input.batchSize !== undefined && !(Number.isInteger(input.batchSize) && input.batchSize >= 1)) {
    throw new RangeError(`batchSize must be an integer >= 1, got ${input.batchSize}`);
  }
  const batch = input.batchSize ??
    (W > 1 && plan.fastPath ? 0 : Math.max(1, Math.min(plan.fastPath ? 128 : 16, Math.ceil(V / (Math.max(1, W) * 8)))));
  // done: combinations accepted; running: those of running batches counted by the bars covered.
  let done = 0, running = 0;
  const report = (): void => {
    if (!input.onProgress) return;
    const d = done + running;
    const el = (performance.now() - t0) / 1000;
    input.onProgress({ done: d, total: V, skipped, etaSec: d > 0 ? el / d * (V - d) : NaN });
  };
  const accept: AcceptRows = (start, combos, out) => {
    columns.accept(start, combos.length, out);
    if (input.onBatch) {
      const rows: SweepRow[] = combos.map((p, c) => {
        const row: SweepRow = { combo: start + c };
        for (const f of fields) row[f.name] = p[f.name] as number | boolean | string;
        for (let j = 0; j < w; j++) row[statKeys[j]!] = out[c * w + j]!;
        return row;
      });
      input.onBatch(rows);
    }
    done += combos.length;
    report();
  };

  if (executor !== undefined) {
    await runExecutor({ executor, frame, strategy: strategy.name, plan, V, parsedAt, accept, signal });
  } else if (W > 1) {
    const progress = (extra: number, emit: boolean): void => {
      running = extra;
      if (emit) report();
    };
    await runWorkers({ W, pool, frame, series, strategy, plan, V, batch, parsedAt, accept, progress, signal });
  } else {
    await evaluateBatches(new SweepEvaluator(frame, series, strategy, plan), V, parsedAt, batch, signal, accept);
  }

  let bestRun: { sim: SimResult; benchmark: Float64Array | undefined; stats?: Record<string, number> } | undefined;
  const result = finishSweep({
    frame,
    strategy,
    ...(input.keepBestRun
      ? { onBestRun: (sim, benchmark, stats) => (bestRun = { sim, benchmark, ...(stats ? { stats } : {}) }) }
      : {}),
    fields,
    plan,
    metric,
    columns,
    V,
    parsedAt,
    validation,
    elapsedMs: performance.now() - t0,
    workers: W,
    notes,
  });
  if (bestRun !== undefined && result.best !== null) {
    // The inputs runBacktest would get for these params: the same frame, options, series and annualization.
    const { options, series, timeframe, calendar, periodsPerYear, riskFree, benchmark } = input;
    const bestInput: BacktestInput<unknown> = {
      frame,
      strategy,
      params: result.best.params,
      ...(options !== undefined ? { options } : {}),
      ...(series !== undefined ? { series } : {}),
      ...(timeframe !== undefined ? { timeframe } : {}),
      ...(calendar !== undefined ? { calendar } : {}),
      ...(periodsPerYear !== undefined ? { periodsPerYear } : {}),
      ...(riskFree !== undefined ? { riskFree } : {}),
      ...(benchmark !== undefined ? { benchmark } : {}),
    };
    // The sweep's benchmark and stats of this run are runBacktest's (the same buy-and-hold, no trial Sharpes).
    const prep = prepareBacktest(bestInput, bestRun.benchmark);
    result.bestRun = await completeBacktest(bestInput, prep, bestRun.sim, bestRun.stats);
  }
  return result;
}

/** Inputs of {@link evaluateSweepCombos}. */
export interface EvaluateSweepCombosOptions {
  frame: Frame;
  /** Registry name of the strategy. */
  strategy: string;
  plan: SweepPlan;
  /** Parsed combinations (as {@link SweepJob.combos} holds them). */
  combos: readonly Record<string, unknown>[];
  /**
   * Indicator series by key, filled as they are computed: pass the same map for every range of one sweep so each
   * series is computed once per process.
   */
  series?: Map<string, Float64Array>;
  /** Combinations per batch between yields; default 64 on the fused kernel, else 4. */
  batchSize?: number;
  /** Checked between batches: aborting rejects with the signal's reason. */
  signal?: AbortSignal;
}

/**
 * Evaluates a range of a sweep's combinations, as runSweep does locally: one row of `plan.statKeys.length` stats per
 * combination, row after row, bit-identical to the local run's rows. Asynchronous: it yields between batches, so a
 * caller's timers (a job lock's renewal) keep running during long ranges.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { Frame } from "../frame/mod.ts";
 * import { evaluateSweepCombos, runSweep, type SweepExecutor } from "./mod.ts";
 * const close = Float64Array.from({ length: 300 }, (_, i) => 100 + 10 * Math.sin(i / 9) + i / 10);
 * const frame = new Frame(Float64Array.from(close, (_, i) => i * 3_600_000), { close });
 * // An executor that evaluates in two halves (a cluster sends them to other machines).
 * const halves: SweepExecutor = {
 *   async run(job, accept) {
 *     const mid = Math.floor(job.combos.length / 2);
 *     accept(mid, await evaluateSweepCombos({ ...job, combos: job.combos.slice(mid) }));
 *     accept(0, await evaluateSweepCombos({ ...job, combos: job.combos.slice(0, mid) }));
 *   },
 * };
 * const spec = { frame, strategy: "sma_cross", grid: { fast: [2, 5, 10], slow: [20, 40] }, options: { fill: "close" as const } };
 * const remote = await runSweep({ ...spec, executor: halves });
 * const local = await runSweep({ ...spec, workers: 0 });
 * assert.deepEqual(remote.table.toArray().map((r) => r.toJSON()), local.table.toArray().map((r) => r.toJSON()));
 * assert.deepEqual(remote.best, local.best);
 * ```
 */
export async function evaluateSweepCombos(options: EvaluateSweepCombosOptions): Promise<Float64Array> {
  const strategy = registry.get(options.strategy) as AnyStrategy;
  if (isPortfolioStrategy(strategy)) {
    throw new TypeError(
      `evaluateSweepCombos runs single-asset strategies; ${options.strategy} is a portfolio strategy`,
    );
  }
  const ev = new SweepEvaluator(options.frame, options.series ?? new Map(), strategy as Strategy<any>, options.plan);
  const w = options.plan.statKeys.length;
  const out = new Float64Array(options.combos.length * w);
  const batch = options.batchSize ?? (options.plan.fastPath ? 64 : 4);
  if (!Number.isInteger(batch) || batch < 1) throw new RangeError(`batchSize must be an integer >= 1, got ${batch}`);
  const combos = options.combos;
  await evaluateBatches(ev, combos.length, (pos) => combos[pos]!, batch, options.signal, (start, _, rows) => {
    out.set(rows, start * w);
  });
  return out;
}

/** Inputs of {@link runWorkers}. */
interface RunWorkersOptions {
  W: number;
  /** The caller's pool, or none: the sweep starts (and ends) its own workers. */
  pool: SweepWorkerPool | undefined;
  frame: Frame;
  series: Map<string, Float64Array>;
  strategy: Strategy<any>;
  plan: SweepPlan;
  V: number;
  /** Combinations per batch; 0: one batch per worker (fused kernel only). */
  batch: number;
  parsedAt: (pos: number) => Record<string, unknown>;
  accept: AcceptRows;
  /** Sets the combinations of running batches counted done by the bars they have covered, and reports if `emit`. */
  progress: (extra: number, emit: boolean) => void;
  signal: AbortSignal | undefined;
}

/** A batch sent to a worker: runs of consecutive combinations, evaluated and returned in this order. */
interface WorkerBatch {
  runs: { start: number; combos: Record<string, unknown>[] }[];
  count: number;
  /** Fast path: the crossover's series keys, two per combination. */
  keys: string[] | undefined;
  /** Combinations counted done by progress messages. */
  partial: number;
}

/** Progress messages of a running one-per-worker batch, at most this often. */
const PROGRESS_MS = 100;

/** Consecutive combinations per run of a batch dealt out to the workers in turn. */
const DEAL_RUN = 8;

function runWorkers(o: RunWorkersOptions): Promise<void> {
  const { W, frame, plan, V, parsedAt, accept, signal } = o;
  // The fused kernel's batches go as series keys (the worker then loads only the kernel), when every key is an SMA of
  // the close the kernel streams or a series computed here.
  const hint = o.strategy.crossover;
  let kernel = plan.fastPath && hint !== undefined;
  const keysOf = (combos: Record<string, unknown>[]): string[] | undefined => {
    if (!kernel) return undefined;
    const keys: string[] = [];
    for (const p of combos) {
      const { fast, slow } = hint!(p);
      for (const key of [fast.key, slow.key]) {
        if (!o.series.has(key) && smaKeyPeriod(key) === undefined) return undefined;
        keys.push(key);
      }
    }
    return keys;
  };
  const batches: WorkerBatch[] = [];
  const makeBatch = (runs: WorkerBatch["runs"]): WorkerBatch => {
    const all = runs.flatMap((r) => r.combos);
    const keys = keysOf(all);
    if (keys === undefined) kernel = false;
    return { runs, count: all.length, keys, partial: 0 };
  };
  if (o.batch === 0) {
    const dealt: WorkerBatch["runs"][] = Array.from({ length: W }, () => []);
    for (let start = 0, r = 0; start < V; start += DEAL_RUN, r++) {
      const combos: Record<string, unknown>[] = [];
      for (let pos = start; pos < Math.min(V, start + DEAL_RUN); pos++) combos.push(parsedAt(pos));
      dealt[r % W]!.push({ start, combos });
    }
    for (const runs of dealt) if (runs.length > 0) batches.push(makeBatch(runs));
  } else {
    for (let start = 0; start < V; start += o.batch) {
      const combos: Record<string, unknown>[] = [];
      for (let pos = start; pos < Math.min(V, start + o.batch); pos++) combos.push(parsedAt(pos));
      batches.push(makeBatch([{ start, combos }]));
    }
  }
  // One batch whose keys could not be used: every batch goes as combinations.
  if (!kernel) { for (const b of batches) b.keys = undefined; }

  const columns: Record<string, Float64Array> = {};
  for (const [k, v] of Object.entries(frame.columns)) columns[k] = shared(v);
  const init = {
    type: "init",
    strategy: o.strategy.name,
    ts: shared(frame.ts),
    columns,
    series: Object.fromEntries(o.series),
    plan,
  };
  const n = frame.length;
  const progressMs = o.batch === 0 ? PROGRESS_MS : undefined;
  return new Promise<void>((resolve, reject) => {
    let next = 0, pending = 0;
    let lease: SweepWorkerLease | undefined;
    let own: SweepWorkerPool | undefined;
    const inFlight = new Map<number, WorkerBatch>();
    const end = poolEnd(signal, resolve, reject, (ok) => own !== undefined ? own.close() : lease?.release(ok));
    const finish = end.finish;
    if (end.finished) return;
    const dispatch = (wk: Worker): void => {
      if (next >= batches.length) {
        if (pending === 0) finish();
        return;
      }
      const id = next++;
      const b = batches[id]!;
      pending++;
      inFlight.set(id, b);
      if (b.keys !== undefined) wk.postMessage({ type: "kernel", id, keys: b.keys, progressMs });
      else wk.postMessage({ type: "run", id, combos: b.runs.flatMap((r) => r.combos) });
    };
    const partials = (): number => {
      let extra = 0;
      for (const b of inFlight.values()) extra += b.partial;
      return extra;
    };
    try {
      const pool = o.pool ?? (own = new SweepWorkerPool(W));
      lease = leaseSweepWorkers(pool, W, () => finish(new Error("sweep: its SweepWorkerPool was closed")));
      for (const wk of lease.workers) {
        wk.onmessage = (e: MessageEvent) => {
          if (end.finished) return;
          const m = e.data as {
            type: string;
            id: number;
            out: Float64Array;
            bars: number;
            name: string;
            message: string;
          };
          if (m.type === "ready") return;
          if (m.type === "error") {
            finish(workerError(m, "sweep worker"));
            return;
          }
          const b = inFlight.get(m.id)!;
          if (m.type === "progress") {
            // Below the batch's count until its rows arrive.
            b.partial = Math.min(b.count - 1, Math.floor(b.count * m.bars / n));
            try {
              o.progress(partials(), true);
            } catch (err) {
              finish(err);
            }
            return;
          }
          pending--;
          try {
            let at = 0;
            for (const r of b.runs) {
              // The batch's partial count shrinks as its rows are accepted: the progress never goes back.
              b.partial = Math.max(0, b.partial - r.combos.length);
              o.progress(partials(), false);
              const rows = r.combos.length * plan.statKeys.length;
              accept(r.start, r.combos, at === 0 && rows === m.out.length ? m.out : m.out.subarray(at, at + rows));
              at += rows;
            }
            inFlight.delete(m.id);
            o.progress(partials(), false);
          } catch (err) {
            finish(err);
            return;
          }
          dispatch(wk);
        };
        wk.onerror = (e: ErrorEvent) => {
          e.preventDefault();
          finish(new Error(`sweep worker failed: ${e.message}`));
        };
        wk.postMessage(init);
      }
      for (const wk of lease.workers) dispatch(wk);
    } catch (err) {
      finish(err);
    }
  });
}
