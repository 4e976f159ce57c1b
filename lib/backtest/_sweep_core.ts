// What runSweep and runBatchSweep share: everything but the scheduling of evaluations (local workers, one pool for a
// batch, an executor). One copy of the validation, the worker rule, the executor contract, the best pick, PSR/DSR and
// the table, so a batch's series and a sweep over that series alone cannot drift apart.
import { tableFromArrays } from "apache-arrow";
import type { Frame } from "../frame/mod.ts";
import { psr, STATS_BY_KEY } from "../metrics/mod.ts";
import {
  type AnyStrategy,
  type IndicatorRequest,
  isPortfolioStrategy,
  type ParamField,
  paramFields,
  type PortfolioStrategy,
  registry,
  type Strategy,
} from "../strategies/mod.ts";
import { warmupProblem } from "./check_warmup.ts";
import type { BacktestOptions, BacktestOptionsInput } from "./backtest_options.ts";
import { parseBacktestOptions } from "./parse_backtest_options.ts";
import { simulate } from "./simulate.ts";
import { buyAndHold, type RunForStats, runStats } from "./_run_stats.ts";
import {
  checkGrid,
  type ComboSource,
  gridSource,
  type GridValue,
  randomSource,
  sampleSource,
} from "./_sweep_combos.ts";
import {
  canUseKernel,
  FAST_KEYS,
  FULL_KEYS,
  kernelStreams,
  type SweepEvaluator,
  type SweepPlan,
} from "./_sweep_eval.ts";
import type { SimResult } from "./sim_result.ts";
import type { SweepBest, SweepExecutor, SweepResult } from "./sweep.ts";

/** Reasons of skipped combinations kept per series. */
export const MAX_REASONS = 5;

/** The inputs of a sweep that do not depend on the series. */
export interface SweepSetupInput {
  strategy: Strategy<unknown> | string;
  grid?: Record<string, readonly GridValue[] | GridValue>;
  random?: { n: number; seed?: number };
  options?: BacktestOptionsInput;
  stats?: "fast" | "full";
  metric?: string;
  riskFree?: number;
  benchmark?: "buy_and_hold" | false;
}

/** A sweep's strategy, stat columns, metric and combinations, checked. */
export interface SweepSetup {
  strategy: Strategy<any>;
  mode: "fast" | "full";
  options: BacktestOptions;
  fields: ParamField[];
  statKeys: string[];
  metric: string;
  source: ComboSource;
  riskFree: number;
  benchmark: boolean;
  fastPath: boolean;
}

/** Checks a sweep's inputs; `caller` names the function in the portfolio-strategy error. */
export function sweepSetup(caller: string, input: SweepSetupInput): SweepSetup {
  const any = (typeof input.strategy === "string" ? registry.get(input.strategy) : input.strategy) as AnyStrategy;
  if (isPortfolioStrategy(any)) {
    throw new TypeError(`${caller} runs single-asset strategies; ${JSON.stringify(any.name)} is a portfolio strategy`);
  }
  const strategy = any as Strategy<any>;
  const fields = paramFields(strategy);
  const { mode, statKeys, metric } = sweepStats(input, fields);
  const options = parseBacktestOptions(input.options ?? {});
  return {
    strategy,
    mode,
    options,
    fields,
    statKeys,
    metric,
    source: comboSource(strategy.name, fields, input),
    riskFree: input.riskFree ?? 0,
    benchmark: (input.benchmark ?? "buy_and_hold") === "buy_and_hold",
    fastPath: canUseKernel(strategy, options, mode),
  };
}

/** A sweep's stat columns and metric, checked against each other and the params (portfolio sweeps too). */
export function sweepStats(
  input: { stats?: "fast" | "full"; metric?: string },
  fields: readonly ParamField[],
): { mode: "fast" | "full"; statKeys: string[]; metric: string } {
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
  for (const f of fields) {
    if (statKeys.includes(f.name)) throw new RangeError(`param ${JSON.stringify(f.name)} clashes with a stat column`);
  }
  return { mode, statKeys, metric };
}

/** The evaluation plan of one series. */
export function sweepPlan(setup: SweepSetup, periodsPerYear: number): SweepPlan {
  return {
    options: setup.options,
    stats: setup.mode,
    statKeys: setup.statKeys,
    periodsPerYear,
    riskFree: setup.riskFree,
    benchmark: setup.benchmark,
    fastPath: setup.fastPath,
  };
}

/** Combination `i` parsed by the strategy's schema (defaults filled in), or why it is invalid. */
export function parseCombo(
  strategy: Strategy<any> | PortfolioStrategy<any>,
  source: ComboSource,
  i: number,
): Record<string, unknown> | string {
  const parsed = strategy.params.safeParse(source.at(i));
  return parsed.success
    ? parsed.data as Record<string, unknown>
    : `${JSON.stringify(source.at(i))}: ${parsed.error.issues.map((x) => x.message).join("; ")}`;
}

/** The valid combinations of one series and the indicator series they ask for. */
export interface ComboValidation {
  /** Positions in the combination source of the valid combinations, in order. */
  valid: number[];
  skipped: number;
  /** The first {@link MAX_REASONS} reasons. */
  reasons: string[];
  requests: Map<string, IndicatorRequest>;
}

/**
 * The validation pass over a series of `length` bars. `parsedAt(i)` is {@link parseCombo}'s answer: a batch parses
 * each combination once for all its series, a single sweep as it goes (a huge grid is never held parsed).
 * `series` names the timeline in warm-up reasons (default "the data"); a portfolio strategy asks for no indicators.
 */
export function validateCombos(
  strategy: Strategy<any> | PortfolioStrategy<any>,
  source: ComboSource,
  length: number,
  parsedAt: (i: number) => Record<string, unknown> | string,
  series?: string,
): ComboValidation {
  const single = isPortfolioStrategy(strategy) ? undefined : strategy;
  const valid: number[] = [];
  const reasons: string[] = [];
  let skipped = 0;
  const requests = new Map<string, IndicatorRequest>();
  for (let i = 0; i < source.size; i++) {
    const p = parsedAt(i);
    if (typeof p === "string") {
      skipped++;
      if (reasons.length < MAX_REASONS) reasons.push(p);
      continue;
    }
    // A warm-up the data cannot cover gives no signal at all: invalid like a schema failure, not a zero-trade row.
    const short = warmupProblem(strategy, p, length, series === undefined ? {} : { series });
    if (short !== undefined) {
      skipped++;
      if (reasons.length < MAX_REASONS) reasons.push(`${JSON.stringify(source.at(i))}: ${short}`);
      continue;
    }
    valid.push(i);
    if (single === undefined) continue;
    const reqs = single.indicators?.(p) ??
      (single.crossover ? [single.crossover(p).fast, single.crossover(p).slow] : []);
    for (const r of reqs) if (!requests.has(r.key)) requests.set(r.key, r);
  }
  return { valid, skipped, reasons, requests };
}

/** Inputs of {@link chooseWorkers}. */
export interface ChooseWorkersOptions {
  /** `workers` as the caller gave it. */
  requested: number | undefined;
  strategy: Strategy<any>;
  /** Valid combinations x bars, all series together. */
  barSteps: number;
  /** Valid combinations, all series together. */
  combos: number;
  /** Whether the fused kernel runs (about 20 times less work per bar). */
  fastPath: boolean;
  /** The note when the sweep is too small for workers. */
  smallNote: string;
  executor: SweepExecutor | undefined;
}

/** Worker threads of a sweep (0: this thread), with the notes that say why fewer than asked. */
export function chooseWorkers(o: ChooseWorkersOptions): { workers: number; notes: string[] } {
  const { strategy } = o;
  const notes: string[] = [];
  let W = o.requested ?? navigator.hardwareConcurrency ?? 1;
  if (!Number.isInteger(W) || W < 0) throw new RangeError(`workers must be an integer >= 0, got ${W}`);
  const registered = registry.has(strategy.name) && registry.get(strategy.name) === strategy;
  if (W > 1 && !registered) {
    notes.push(
      `strategy ${strategy.name} is not the registry's: workers load strategies by name, so it ran in this thread`,
    );
    W = 0;
  }
  // Starting a worker costs about half a second (module loading), more than small sweeps take.
  const work = o.barSteps * (o.fastPath ? 1 : 20);
  if (o.requested === undefined && W > 1 && work < 50_000_000) {
    notes.push(o.smallNote);
    W = 0;
  }
  if (strategy.prepare !== undefined) {
    // Workers load the strategy afresh by name: what prepare memoised here would not be there.
    if (W > 1) notes.push(`strategy ${strategy.name} has an asynchronous prepare: its combinations ran in this thread`);
    W = 0;
  }
  W = Math.min(W, o.combos);
  if (W <= 1) W = 0;
  if (o.executor !== undefined) {
    if (!registered) {
      throw new TypeError(
        `strategy ${strategy.name} is not the registry's: remote evaluators load strategies by name; register it or run locally`,
      );
    }
    if (strategy.prepare !== undefined) {
      throw new TypeError(`strategy ${strategy.name} has an asynchronous prepare: run it locally, not on a cluster`);
    }
    W = 0;
  }
  return { workers: W, notes };
}

/**
 * Each requested indicator series of one frame, computed once. `share`: as SharedArrayBuffer-backed arrays for
 * workers. `skipStreamed`: leave out those the fused kernel computes block by block (never whole in memory).
 */
export function computeSeries(
  requests: ReadonlyMap<string, IndicatorRequest>,
  frame: Frame,
  plan: SweepPlan,
  share: boolean,
  skipStreamed: boolean,
): Map<string, Float64Array> {
  const series = new Map<string, Float64Array>();
  for (const [key, r] of requests) {
    if (skipStreamed && kernelStreams(plan, key)) continue;
    const s = r.compute(frame);
    if (!(s instanceof Float64Array) || s.length !== frame.length) {
      throw new TypeError(
        `indicator ${JSON.stringify(key)} must return a Float64Array of the frame's length ${frame.length}`,
      );
    }
    series.set(key, share ? shared(s) : s);
  }
  return series;
}

/** `a` in a SharedArrayBuffer, for workers to read without a copy each. */
export function shared(a: Float64Array): Float64Array {
  // Already shared (readCsv's columns): the workers read it where it lies.
  if (a.buffer instanceof SharedArrayBuffer) return a;
  const s = new Float64Array(new SharedArrayBuffer(a.byteLength));
  s.set(a);
  return s;
}

/** The stat rows of one series as they arrive, in any order: the metric and Sharpe always, every column if retained. */
export class SweepColumns {
  readonly metricCol: Float64Array;
  readonly sharpeCol: Float64Array | undefined;
  /** One column per stat key, or none when not retained. */
  readonly statCols: Float64Array[];
  readonly retain: boolean;
  #w: number;
  #metricAt: number;
  #sharpeAt: number;

  constructor(V: number, plan: Pick<SweepPlan, "stats" | "statKeys">, metric: string, retain: boolean) {
    this.retain = retain;
    this.#w = plan.statKeys.length;
    this.#metricAt = plan.statKeys.indexOf(metric);
    this.#sharpeAt = plan.statKeys.indexOf("sharpe");
    this.metricCol = new Float64Array(V).fill(NaN);
    this.sharpeCol = plan.stats === "full" ? new Float64Array(V).fill(NaN) : undefined;
    this.statCols = retain ? plan.statKeys.map(() => new Float64Array(V).fill(NaN)) : [];
  }

  /** Rows `[start, start + n)` from `out`, row after row. */
  accept(start: number, n: number, out: Float64Array): void {
    const w = this.#w, metricAt = this.#metricAt, sharpeAt = this.#sharpeAt;
    const { metricCol, sharpeCol, statCols, retain } = this;
    for (let c = 0; c < n; c++) {
      const pos = start + c;
      metricCol[pos] = out[c * w + metricAt]!;
      if (sharpeCol) sharpeCol[pos] = out[c * w + sharpeAt]!;
      if (retain) { for (let j = 0; j < w; j++) statCols[j]![pos] = out[c * w + j]!; }
    }
  }
}

/** What a batch of rows is handed to: its first position, its parsed combinations and its stat rows. */
export type AcceptRows = (start: number, combos: Record<string, unknown>[], out: Float64Array) => void;

/**
 * The evaluation loop shared by the in-process paths and remote evaluators: batches of combinations in order (parsed
 * one batch at a time, so a huge grid costs no memory), each batch's rows handed to `each`; yields to the event loop
 * now and then (timers, aborts, a job queue's lock renewal).
 */
export async function evaluateBatches(
  ev: Pick<SweepEvaluator, "evaluate"> & { readonly plan: { readonly statKeys: readonly string[] } },
  n: number,
  at: (pos: number) => Record<string, unknown>,
  batch: number,
  signal: AbortSignal | undefined,
  each: AcceptRows,
): Promise<void> {
  const w = ev.plan.statKeys.length;
  let last = performance.now();
  for (let start = 0; start < n; start += batch) {
    // Let timers and abort events run now and then, without paying a macrotask per batch.
    if (performance.now() - last > 20) {
      await new Promise((r) => setTimeout(r, 0));
      last = performance.now();
    }
    signal?.throwIfAborted();
    const combos: Record<string, unknown>[] = [];
    for (let pos = start; pos < Math.min(n, start + batch); pos++) combos.push(at(pos));
    const out = new Float64Array(combos.length * w);
    ev.evaluate(combos, out);
    each(start, combos, out);
  }
}

/** How a worker pool's promise ends: once, by the first of {@link PoolEnd.finish} and the signal's abort. */
export interface PoolEnd {
  /** Whether it has ended (later worker messages are ignored). */
  readonly finished: boolean;
  /** Ends it: resolved without `err`, else rejected with it; the workers are released first. */
  finish(err?: unknown): void;
}

/**
 * The end of a worker pool's promise shared by the sweep pools: `release(ok)` terminates or gives back the workers
 * once, then the promise settles; an abort of `signal` (already, or later) ends it with the signal's reason.
 */
export function poolEnd(
  signal: AbortSignal | undefined,
  resolve: () => void,
  reject: (err: unknown) => void,
  release: (ok: boolean) => void,
): PoolEnd {
  const onAbort = (): void => end.finish(signal!.reason);
  const end = {
    finished: false,
    finish(err?: unknown): void {
      if (end.finished) return;
      end.finished = true;
      release(err === undefined);
      signal?.removeEventListener("abort", onAbort);
      if (err !== undefined) reject(err);
      else resolve();
    },
  };
  if (signal?.aborted) end.finish(signal.reason);
  else signal?.addEventListener("abort", onAbort, { once: true });
  return end;
}

/**
 * A worker's error message as an error of this thread: RangeError and TypeError keep their class (callers and the CLI
 * tell bad input by it), anything else says which worker failed.
 */
export function workerError(m: { name: string; message: string }, worker: string): Error {
  return m.name === "RangeError"
    ? new RangeError(m.message)
    : m.name === "TypeError"
    ? new TypeError(m.message)
    : new Error(`${worker}: ${m.name}: ${m.message}`);
}

/** Inputs of {@link runExecutor}. */
export interface RunExecutorOptions {
  executor: SweepExecutor;
  frame: Frame;
  strategy: string;
  plan: SweepPlan;
  /** Valid combinations. */
  V: number;
  parsedAt: (pos: number) => Record<string, unknown>;
  accept: AcceptRows;
  signal: AbortSignal | undefined;
  /** Names the series in errors (a batch's key); empty for a single sweep. */
  label?: string;
}

/** One series through an executor, holding it to its contract: every valid combination accepted exactly once. */
export async function runExecutor(o: RunExecutorOptions): Promise<void> {
  const { V, signal } = o;
  const of = o.label ? ` of ${o.label}` : "";
  const combos = Array.from({ length: V }, (_, pos) => o.parsedAt(pos));
  const w = o.plan.statKeys.length;
  const seen = new Uint8Array(V);
  let count = 0;
  await o.executor.run({ frame: o.frame, strategy: o.strategy, plan: o.plan, combos }, (start, out) => {
    const k = out.length / w;
    if (!Number.isInteger(start) || start < 0 || !Number.isInteger(k) || start + k > V) {
      throw new RangeError(
        `executor returned rows ${start}..${start + k} (${out.length} values) for ${V} combinations${of}`,
      );
    }
    for (let i = start; i < start + k; i++) {
      if (seen[i]) throw new RangeError(`executor returned combination ${i}${of} twice: each must be accepted once`);
      seen[i] = 1;
    }
    count += k;
    o.accept(start, combos.slice(start, start + k), out);
  }, signal);
  signal?.throwIfAborted();
  if (count !== V) throw new RangeError(`executor finished with ${count} of ${V} combinations${of} evaluated`);
}

/** How {@link finishSweep} runs the best combination again: one frame and its strategy, or a run of its own. */
export type FinishSweepRun =
  | {
    frame: Frame;
    strategy: Strategy<any>;
    /**
     * Handed the best combination's run (simulated once here), its benchmark, and its stats when they are what
     * runBacktest computes (no trial Sharpes, so no DSR, went into them), to be reused.
     */
    onBestRun?: (
      run: SimResult,
      benchmark: Float64Array | undefined,
      stats: Record<string, number> | undefined,
    ) => void;
  }
  | {
    /** The best combination's full run and the benchmark of its stats (a portfolio's). */
    runBest: (p: Record<string, unknown>) => { run: RunForStats; benchmark: Float64Array | undefined };
  };

/** Inputs of {@link finishSweep}: one series' evaluated rows and how the sweep ran. */
export type FinishSweepOptions = FinishSweepRun & FinishSweepRows;

/** The evaluated rows of {@link FinishSweepOptions}. */
export interface FinishSweepRows {
  fields: readonly ParamField[];
  plan: SweepPlan;
  metric: string;
  columns: SweepColumns;
  /** Valid combinations. */
  V: number;
  parsedAt: (pos: number) => Record<string, unknown>;
  validation: ComboValidation;
  elapsedMs: number;
  workers: number;
  notes: string[];
}

/** Best pick (ties: the first), PSR/DSR from a full single run of it, and the result table of one series. */
export function finishSweep(o: FinishSweepOptions): SweepResult {
  const { plan, metric, V, parsedAt } = o;
  const { metricCol, sharpeCol, statCols, retain } = o.columns;
  const { options, periodsPerYear, riskFree } = plan;
  const hib = STATS_BY_KEY.get(metric)?.higherIsBetter ?? true;
  let bestPos = -1;
  for (let i = 0; i < V; i++) {
    const v = metricCol[i]!;
    if (v !== v) continue;
    if (bestPos < 0 || (hib ? v > metricCol[bestPos]! : v < metricCol[bestPos]!)) bestPos = i;
  }
  let best: SweepBest | null = null;
  if (bestPos >= 0) {
    const p = parsedAt(bestPos);
    let sim: RunForStats, bm: Float64Array | undefined, single: SimResult | undefined;
    if ("runBest" in o) ({ run: sim, benchmark: bm } = o.runBest(p));
    else {
      sim = single = simulate(o.frame, o.strategy.signals(o.frame, p), options);
      bm = plan.benchmark ? buyAndHold(o.frame.close, options.cash) : undefined;
    }
    const trialSharpes = sharpeCol ? sharpeCol.filter((x) => Number.isFinite(x)) : undefined;
    const withTrials = trialSharpes !== undefined && trialSharpes.length > 0;
    const stats = runStats(sim, { periodsPerYear, riskFree }, bm, undefined, withTrials ? { trialSharpes } : {});
    if (single && "onBestRun" in o) o.onBestRun?.(single, bm, withTrials ? undefined : { ...stats });
    const returns = new Float64Array(Math.max(0, sim.equity.length - 1));
    for (let i = 1; i < sim.equity.length; i++) returns[i - 1] = sim.equity[i]! / sim.equity[i - 1]! - 1;
    best = {
      combo: bestPos,
      params: p,
      value: metricCol[bestPos]!,
      stats,
      trials: trialSharpes ? trialSharpes.length : V,
      psr: psr(returns, { riskFree, periodsPerYear }),
      dsr: trialSharpes && trialSharpes.length > 0 ? stats.dsr! : NaN,
    };
  }
  const cols: Record<string, unknown> = {};
  const n = retain ? V : 0;
  for (const f of o.fields) cols[f.name] = paramColumn(f, n, (pos) => parsedAt(pos)[f.name]);
  plan.statKeys.forEach((k, j) => (cols[k] = retain ? statCols[j]! : new Float64Array(0)));
  return {
    table: tableFromArrays(cols as Record<string, Float64Array>),
    combos: V,
    skipped: { count: o.validation.skipped, reasons: o.validation.reasons },
    elapsedMs: o.elapsedMs,
    best,
    metric,
    paramColumns: o.fields.map((f) => f.name),
    statColumns: plan.statKeys,
    fastPath: plan.fastPath,
    workers: o.workers,
    indicators: o.validation.requests.size,
    notes: o.notes,
  };
}

/** The combinations of a grid, a random sample of it, random draws, or the defaults alone. */
export function comboSource(
  name: string,
  fields: readonly ParamField[],
  input: Pick<SweepSetupInput, "grid" | "random">,
): ComboSource {
  const r = input.random;
  if (r !== undefined && (!Number.isInteger(r.n) || r.n < 1)) {
    throw new RangeError(`random.n must be an integer >= 1, got ${r.n}`);
  }
  if (input.grid !== undefined) {
    const g = gridSource(checkGrid(name, fields, input.grid));
    return r ? sampleSource(g, r.n, r.seed ?? 1) : g;
  }
  if (r) return randomSource(fields, r.n, r.seed ?? 1);
  return gridSource([]); // the defaults alone
}

function paramColumn(f: ParamField, n: number, get: (pos: number) => unknown): unknown {
  if (f.type === "int" || f.type === "float") {
    const a = new Float64Array(n);
    for (let i = 0; i < n; i++) a[i] = get(i) as number;
    return a;
  }
  return Array.from({ length: n }, (_, i) => get(i));
}
