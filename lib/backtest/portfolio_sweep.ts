import { tableFromArrays } from "apache-arrow";
import { Frame } from "../frame/mod.ts";
import { psr, STATS_BY_KEY } from "../metrics/mod.ts";
import {
  type AnyStrategy,
  isPortfolioStrategy,
  type ParamField,
  paramFields,
  type PortfolioStrategy,
  registry,
} from "../strategies/mod.ts";
import type { Calendar, SeriesId } from "../types/mod.ts";
import { alignFrames } from "./align_frames.ts";
import type { BacktestOptionsInput } from "./backtest_options.ts";
import { warmupProblem } from "./check_warmup.ts";
import { parseBacktestOptions } from "./parse_backtest_options.ts";
import type { SweepBest, SweepProgress, SweepResult, SweepRow } from "./sweep.ts";
import { resolveAnnualization } from "./_annualization.ts";
import { PortfolioEvaluator, type PortfolioPlan, type PortfolioWorkerInit } from "./_portfolio_eval.ts";
import { runStats } from "./_run_stats.ts";
import {
  checkGrid,
  type ComboSource,
  gridSource,
  type GridValue,
  randomSource,
  sampleSource,
} from "./_sweep_combos.ts";
import { FAST_KEYS, FULL_KEYS } from "./_sweep_eval.ts";

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

const MAX_REASONS = 5;
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
  const mode = input.stats ?? "fast";
  if (mode !== "fast" && mode !== "full") {
    throw new RangeError(`stats must be "fast" or "full", got ${JSON.stringify(mode)}`);
  }
  const statKeys = [...(mode === "full" ? FULL_KEYS : FAST_KEYS)];
  const metric = input.metric ?? (mode === "full" ? "sharpe" : "final_equity");
  if (!statKeys.includes(metric)) {
    throw new RangeError(
      `metric ${JSON.stringify(metric)} is not a column of a "${mode}" sweep; use one of ${statKeys.join(", ")}`,
    );
  }
  const fields = paramFields(strategy);
  for (const f of fields) {
    if (statKeys.includes(f.name)) throw new RangeError(`param ${JSON.stringify(f.name)} clashes with a stat column`);
  }
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
  const annIn = { periodsPerYear: ann.periodsPerYear, riskFree };
  const plan: PortfolioPlan = {
    options,
    stats: mode,
    statKeys,
    periodsPerYear: ann.periodsPerYear,
    riskFree,
    benchmark: (input.benchmark ?? "buy_and_hold") === "buy_and_hold",
  };
  const ev = new PortfolioEvaluator(input.frames, strategy, plan);

  const valid: Record<string, unknown>[] = [];
  const reasons: string[] = [];
  let skipped = 0;
  for (let i = 0; i < source.size; i++) {
    const raw = source.at(i);
    const parsed = strategy.params.safeParse(raw);
    const why = parsed.success
      ? warmupProblem(strategy, parsed.data, U, { series: `the union timeline` })
      : parsed.error.issues.map((x) => x.message).join("; ");
    if (why !== undefined) {
      skipped++;
      if (reasons.length < MAX_REASONS) reasons.push(`${JSON.stringify(raw)}: ${why}`);
      continue;
    }
    valid.push(parsed.data as Record<string, unknown>);
  }
  const V = valid.length;
  const w = statKeys.length;
  const retain = input.retain ?? input.onBatch === undefined;
  const statCols = retain ? statKeys.map(() => new Float64Array(V).fill(NaN)) : [];
  const metricCol = new Float64Array(V).fill(NaN);
  const sharpeCol = mode === "full" ? new Float64Array(V).fill(NaN) : undefined;
  const metricAt = statKeys.indexOf(metric), sharpeAt = statKeys.indexOf("sharpe");

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
    const rows: SweepRow[] = [];
    for (let c = 0; c < count; c++) {
      const pos = start + c, at = c * w;
      metricCol[pos] = out[at + metricAt]!;
      if (sharpeCol) sharpeCol[pos] = out[at + sharpeAt]!;
      if (retain) { for (let j = 0; j < w; j++) statCols[j]![pos] = out[at + j]!; }
      if (input.onBatch) {
        const r: SweepRow = { combo: pos };
        for (const f of fields) r[f.name] = valid[pos]![f.name] as number | boolean | string;
        for (let j = 0; j < w; j++) r[statKeys[j]!] = out[at + j]!;
        rows.push(r);
      }
    }
    if (input.onBatch) input.onBatch(rows);
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
    let last = performance.now();
    for (let start = 0; start < V; start += BATCH) {
      if (performance.now() - last > 20) {
        // Lets timers, progress output and abort events run without paying a macrotask per batch.
        await new Promise((r) => setTimeout(r, 0));
        last = performance.now();
      }
      signal?.throwIfAborted();
      const combos = valid.slice(start, Math.min(V, start + BATCH));
      const out = new Float64Array(combos.length * w);
      ev.evaluate(combos, out);
      accept(start, combos.length, out);
    }
  }

  const hib = STATS_BY_KEY.get(metric)?.higherIsBetter ?? true;
  let bestPos = -1;
  for (let i = 0; i < V; i++) {
    const v = metricCol[i]!;
    if (v !== v) continue;
    if (bestPos < 0 || (hib ? v > metricCol[bestPos]! : v < metricCol[bestPos]!)) bestPos = i;
  }
  let best: SweepBest | null = null;
  if (bestPos >= 0) {
    const p = valid[bestPos]!;
    const sim = ev.simulate(p);
    const trialSharpes = sharpeCol ? sharpeCol.filter((x) => Number.isFinite(x)) : undefined;
    const stats = runStats(sim, annIn, ev.benchmark, undefined, {
      ...(trialSharpes && trialSharpes.length > 0 ? { trialSharpes } : {}),
    });
    const returns = new Float64Array(Math.max(0, sim.equity.length - 1));
    for (let i = 1; i < sim.equity.length; i++) returns[i - 1] = sim.equity[i]! / sim.equity[i - 1]! - 1;
    best = {
      combo: bestPos,
      params: p,
      value: metricCol[bestPos]!,
      stats,
      trials: trialSharpes ? trialSharpes.length : V,
      psr: psr(returns, annIn),
      dsr: trialSharpes && trialSharpes.length > 0 ? stats.dsr! : NaN,
    };
  }

  const cols: Record<string, unknown> = {};
  const n = retain ? V : 0;
  for (const f of fields) cols[f.name] = paramColumn(f, n, (pos) => valid[pos]![f.name]);
  statKeys.forEach((k, j) => (cols[k] = retain ? statCols[j]! : new Float64Array(0)));
  return {
    table: tableFromArrays(cols as Record<string, Float64Array>),
    combos: V,
    skipped: { count: skipped, reasons },
    elapsedMs: performance.now() - t0,
    best,
    metric,
    paramColumns: fields.map((f) => f.name),
    statColumns: statKeys,
    fastPath: false,
    workers: W,
    indicators: 0,
    notes,
  };
}

function comboSource(name: string, fields: readonly ParamField[], input: PortfolioSweepOptions<unknown>): ComboSource {
  const r = input.random;
  if (r !== undefined && (!Number.isInteger(r.n) || r.n < 1)) {
    throw new RangeError(`random.n must be an integer >= 1, got ${r.n}`);
  }
  if (input.grid !== undefined) {
    const g = gridSource(checkGrid(name, fields, input.grid));
    return r ? sampleSource(g, r.n, r.seed ?? 1) : g;
  }
  if (r) return randomSource(fields, r.n, r.seed ?? 1);
  return gridSource([]);
}

function paramColumn(f: ParamField, n: number, get: (pos: number) => unknown): unknown {
  if (f.type === "int" || f.type === "float") {
    const a = new Float64Array(n);
    for (let i = 0; i < n; i++) a[i] = get(i) as number;
    return a;
  }
  return Array.from({ length: n }, (_, i) => get(i));
}

function shared(a: Float64Array): Float64Array {
  const s = new Float64Array(new SharedArrayBuffer(a.byteLength));
  s.set(a);
  return s;
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
    let next = 0, pending = 0, finished = false;
    const finish = (err?: unknown): void => {
      if (finished) return;
      finished = true;
      for (const wk of workers) wk.terminate();
      signal?.removeEventListener("abort", onAbort);
      if (err !== undefined) reject(err);
      else resolve();
    };
    const onAbort = (): void => finish(signal!.reason);
    if (signal?.aborted) return finish(signal.reason);
    signal?.addEventListener("abort", onAbort, { once: true });
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
          if (finished) return;
          const m = e.data as { type: string; id: number; out: Float64Array; name: string; message: string };
          if (m.type === "ready") return;
          if (m.type === "error") {
            const err = m.name === "RangeError"
              ? new RangeError(m.message)
              : m.name === "TypeError"
              ? new TypeError(m.message)
              : new Error(`portfolio sweep worker: ${m.name}: ${m.message}`);
            return finish(err);
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
