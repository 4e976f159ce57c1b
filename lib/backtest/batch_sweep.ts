import { tableFromArrays } from "apache-arrow";
import type { Frame } from "../frame/mod.ts";
import { psr, STATS_BY_KEY } from "../metrics/mod.ts";
import {
  type AnyStrategy,
  type IndicatorRequest,
  isPortfolioStrategy,
  type ParamField,
  paramFields,
  prepareStrategy,
  registry,
  type Strategy,
} from "../strategies/mod.ts";
import type { Calendar, SeriesId } from "../types/mod.ts";
import { warmupProblem } from "./check_warmup.ts";
import type { BacktestOptionsInput } from "./backtest_options.ts";
import { parseBacktestOptions } from "./parse_backtest_options.ts";
import { simulate } from "./simulate.ts";
import { resolveAnnualization } from "./_annualization.ts";
import { buyAndHold, runStats } from "./_run_stats.ts";
import {
  checkGrid,
  type ComboSource,
  gridSource,
  type GridValue,
  randomSource,
  sampleSource,
} from "./_sweep_combos.ts";
import { canUseKernel, FAST_KEYS, FULL_KEYS, kernelStreams, SweepEvaluator, type SweepPlan } from "./_sweep_eval.ts";
import type { SweepBest, SweepExecutor, SweepResult } from "./sweep.ts";

/** One series of a batch: its bars and how they are annualized. */
export interface BatchSeries {
  /** Its key in the results (`samples:ETH/BTC:5m`); unique within the batch. */
  key: string;
  frame: Frame;
  series?: SeriesId;
  timeframe?: string;
  calendar?: Calendar;
  /** Annualization override for this series. */
  periodsPerYear?: number;
}

/** Progress of a running batch, over every series. */
export interface BatchSweepProgress {
  /** Combinations evaluated so far, all series together. */
  done: number;
  /** Valid combinations to evaluate, all series together. */
  total: number;
  /** Invalid combinations skipped, all series together. */
  skipped: number;
  /** Series whose every combination is evaluated. */
  seriesDone: number;
  seriesTotal: number;
  /** Key of the series whose batch just finished. */
  series: string;
  /** Seconds left at the rate so far (NaN before the first batch). */
  etaSec: number;
}

/** Inputs of {@link runBatchSweep}: one strategy and one grid (or random sample) over several series. */
export interface BatchSweepOptions<P> {
  items: readonly BatchSeries[];
  /** A strategy object or a registry name. Workers need a registered strategy. */
  strategy: Strategy<P> | string;
  /** Values per param, as `runSweep` takes them; the same combinations on every series. */
  grid?: Record<string, readonly GridValue[] | GridValue>;
  /** Random search, as `runSweep` takes it: the same draws on every series. */
  random?: { n: number; seed?: number };
  options?: BacktestOptionsInput;
  /**
   * Worker threads shared by every series (one pool for the batch); default `navigator.hardwareConcurrency`, except
   * that a small batch runs in this thread. 0 or 1: this thread.
   */
  workers?: number;
  stats?: "fast" | "full";
  metric?: string;
  /** Aborting terminates the workers and rejects with the signal's reason. */
  signal?: AbortSignal;
  /** Called after every batch of combinations. */
  onProgress?: (p: BatchSweepProgress) => void;
  /** Combinations per batch sent to a worker; default sized for load balance. Results do not depend on it. */
  batchSize?: number;
  riskFree?: number;
  benchmark?: "buy_and_hold" | false;
  /**
   * Evaluates the combinations elsewhere (lib/cluster) instead of local workers: one executor run per series, all
   * series at once, so the remote workers share the whole batch. Validation, best pick and tables stay here, so the
   * result is the local one. Needs a registered strategy without `prepare`.
   */
  executor?: SweepExecutor;
}

/** One series' sweep, as `runSweep` over that series alone returns it. */
export interface BatchSweepItem {
  key: string;
  sweep: SweepResult;
}

/** What {@link runBatchSweep} returns. */
export interface BatchSweepResult {
  /** One sweep per series, in the order of `items`. */
  items: BatchSweepItem[];
  /** Combinations evaluated, all series together. */
  combos: number;
  /** Invalid combinations skipped, all series together. */
  skipped: number;
  elapsedMs: number;
  metric: string;
  paramColumns: string[];
  statColumns: string[];
  fastPath: boolean;
  /** Worker threads of the one shared pool (0: in this thread). */
  workers: number;
  notes: string[];
}

const MAX_REASONS = 5;

/** The state of one series while the batch runs. */
interface Slot {
  key: string;
  frame: Frame;
  valid: number[];
  skipped: number;
  reasons: string[];
  requests: Map<string, IndicatorRequest>;
  plan: SweepPlan;
  periodsPerYear: number;
  series: Map<string, Float64Array> | undefined;
  /** The worker init message (shared copies of the columns), built on its first batch, dropped when it is done. */
  init: Record<string, unknown> | undefined;
  metricCol: Float64Array;
  sharpeCol: Float64Array | undefined;
  statCols: Float64Array[];
  done: number;
  dispatched: number;
  t0: number;
  elapsedMs: number;
}

/**
 * Runs one strategy over the same parameter grid (or random sample) on several series at once, with one pool of
 * worker threads for the whole batch: batches of combinations are tagged with their series, and a worker that
 * finishes one series' batches takes the next series' without a restart. Each series' result is the sweep `runSweep`
 * gives over that series alone, row for row (same validation, warm-up skips, stats, best pick, PSR and DSR); only
 * `elapsedMs`, `workers` and `notes` describe the batch's run.
 *
 * A series' columns and indicator series are shared with the workers when its first batch is sent and released when
 * its last batch is back, so memory follows the series in flight rather than the whole batch.
 *
 * This is the plan that `deno task backtest` runs for a single-series strategy with several `--data` (or a pattern);
 * a cluster run distributes the same items and grid.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { Frame } from "../frame/mod.ts";
 * import { runBatchSweep } from "./batch_sweep.ts";
 * import { runSweep } from "./sweep.ts";
 * const frameOf = (k: number): Frame => {
 *   const close = Float64Array.from({ length: 300 }, (_, i) => 100 + 10 * Math.sin(i / (5 + k)) + i / 10);
 *   return new Frame(Float64Array.from(close, (_, i) => i * 3_600_000), { close });
 * };
 * const grid = { fast: [2, 5], slow: [10, 20] };
 * const options = { fill: "close" as const, fee: 0.001 };
 * const batch = await runBatchSweep({
 *   items: [{ key: "a", frame: frameOf(1) }, { key: "b", frame: frameOf(2) }],
 *   strategy: "sma_cross",
 *   grid,
 *   options,
 *   workers: 0,
 * });
 * assert.equal(batch.combos, 8);
 * const alone = await runSweep({ frame: frameOf(2), strategy: "sma_cross", grid, options, workers: 0 });
 * assert.deepEqual(batch.items[1]!.sweep.table.toArray(), alone.table.toArray());
 * assert.deepEqual(batch.items[1]!.sweep.best, alone.best);
 * ```
 */
export async function runBatchSweep<P>(input: BatchSweepOptions<P>): Promise<BatchSweepResult> {
  const t0 = performance.now();
  const signal = input.signal;
  signal?.throwIfAborted();
  if (!Array.isArray(input.items) || input.items.length === 0) {
    throw new RangeError("runBatchSweep: items lists no series; pass at least one { key, frame }");
  }
  const keys = new Set<string>();
  for (const it of input.items) {
    if (keys.has(it.key)) throw new RangeError(`runBatchSweep: series key ${JSON.stringify(it.key)} is given twice`);
    keys.add(it.key);
  }
  const any = (typeof input.strategy === "string" ? registry.get(input.strategy) : input.strategy) as AnyStrategy;
  if (isPortfolioStrategy(any)) {
    throw new TypeError(
      `runBatchSweep runs single-asset strategies; ${JSON.stringify(any.name)} is a portfolio strategy`,
    );
  }
  const strategy = any as Strategy<any>;
  const mode = input.stats ?? "fast";
  if (mode !== "fast" && mode !== "full") {
    throw new RangeError(`stats must be "fast" or "full", got ${JSON.stringify(mode)}`);
  }
  const options = parseBacktestOptions(input.options ?? {});
  const fields = paramFields(strategy);
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
  const source = comboSource(strategy.name, fields, input);
  const riskFree = input.riskFree ?? 0;
  const fastPath = canUseKernel(strategy, options, mode);
  const w = statKeys.length;

  // Validation pass per series: the combinations are the same, the warm-up skips depend on each series' length.
  const parsedCombos: (Record<string, unknown> | string)[] = [];
  for (let i = 0; i < source.size; i++) {
    const parsed = strategy.params.safeParse(source.at(i));
    parsedCombos.push(
      parsed.success
        ? parsed.data as Record<string, unknown>
        : `${JSON.stringify(source.at(i))}: ${parsed.error.issues.map((x) => x.message).join("; ")}`,
    );
  }
  const slots: Slot[] = input.items.map((it) => {
    const ann = resolveAnnualization(it.frame, it);
    const valid: number[] = [];
    const reasons: string[] = [];
    let skipped = 0;
    const requests = new Map<string, IndicatorRequest>();
    for (let i = 0; i < source.size; i++) {
      const p = parsedCombos[i]!;
      if (typeof p === "string") {
        skipped++;
        if (reasons.length < MAX_REASONS) reasons.push(p);
        continue;
      }
      const short = warmupProblem(strategy, p, it.frame.length);
      if (short !== undefined) {
        skipped++;
        if (reasons.length < MAX_REASONS) reasons.push(`${JSON.stringify(source.at(i))}: ${short}`);
        continue;
      }
      valid.push(i);
      const reqs = strategy.indicators?.(p) ??
        (strategy.crossover ? [strategy.crossover(p).fast, strategy.crossover(p).slow] : []);
      for (const r of reqs) if (!requests.has(r.key)) requests.set(r.key, r);
    }
    const V = valid.length;
    return {
      key: it.key,
      frame: it.frame,
      valid,
      skipped,
      reasons,
      requests,
      plan: {
        options,
        stats: mode,
        statKeys,
        periodsPerYear: ann.periodsPerYear,
        riskFree,
        benchmark: (input.benchmark ?? "buy_and_hold") === "buy_and_hold",
        fastPath,
      },
      periodsPerYear: ann.periodsPerYear,
      series: undefined,
      init: undefined,
      metricCol: new Float64Array(V).fill(NaN),
      sharpeCol: mode === "full" ? new Float64Array(V).fill(NaN) : undefined,
      statCols: statKeys.map(() => new Float64Array(V).fill(NaN)),
      done: 0,
      dispatched: 0,
      t0: NaN,
      elapsedMs: 0,
    };
  });
  const total = slots.reduce((s, x) => s + x.valid.length, 0);
  const skippedAll = slots.reduce((s, x) => s + x.skipped, 0);

  const notes: string[] = [];
  let W = input.workers ?? navigator.hardwareConcurrency ?? 1;
  if (!Number.isInteger(W) || W < 0) throw new RangeError(`workers must be an integer >= 0, got ${W}`);
  if (W > 1 && !(registry.has(strategy.name) && registry.get(strategy.name) === strategy)) {
    notes.push(
      `strategy ${strategy.name} is not the registry's: workers load strategies by name, so it ran in this thread`,
    );
    W = 0;
  }
  // The rule of runSweep over the whole batch: starting workers costs about half a second.
  const work = slots.reduce((s, x) => s + x.valid.length * x.frame.length, 0) * (fastPath ? 1 : 20);
  if (input.workers === undefined && W > 1 && work < 50_000_000) {
    notes.push(`small batch (${total} combinations over ${slots.length} series): ran in this thread; pass workers`);
    W = 0;
  }
  if (strategy.prepare !== undefined) {
    if (W > 1) notes.push(`strategy ${strategy.name} has an asynchronous prepare: its combinations ran in this thread`);
    W = 0;
  }
  W = Math.min(W, total);
  if (W <= 1) W = 0;
  const executor = input.executor;
  if (executor !== undefined) {
    if (!(registry.has(strategy.name) && registry.get(strategy.name) === strategy)) {
      throw new TypeError(
        `strategy ${strategy.name} is not the registry's: remote evaluators load strategies by name; register it or run locally`,
      );
    }
    if (strategy.prepare !== undefined) {
      throw new TypeError(`strategy ${strategy.name} has an asynchronous prepare: run it locally, not on a cluster`);
    }
    W = 0;
  }
  const share = W > 1;

  const parsedAt = (slot: Slot, pos: number): Record<string, unknown> =>
    strategy.params.parse(source.at(slot.valid[pos]!)) as Record<string, unknown>;
  const seriesOf = (slot: Slot): Map<string, Float64Array> => {
    if (slot.series !== undefined) return slot.series;
    const series = new Map<string, Float64Array>();
    for (const [key, r] of slot.requests) {
      // The fused kernel computes these itself, block by block: computing them whole would only cost memory.
      if (kernelStreams(slot.plan, key)) continue;
      const s = r.compute(slot.frame);
      if (!(s instanceof Float64Array) || s.length !== slot.frame.length) {
        throw new TypeError(
          `indicator ${JSON.stringify(key)} must return a Float64Array of the frame's length ${slot.frame.length}`,
        );
      }
      series.set(key, share ? shared(s) : s);
    }
    slot.series = series;
    slot.t0 = performance.now();
    return series;
  };
  const batch = input.batchSize ?? Math.max(1, Math.min(fastPath ? 128 : 16, Math.ceil(total / (Math.max(1, W) * 8))));
  let done = 0, seriesDone = 0;
  const accept = (slot: Slot, start: number, n: number, out: Float64Array): void => {
    const metricAt = statKeys.indexOf(metric), sharpeAt = statKeys.indexOf("sharpe");
    for (let c = 0; c < n; c++) {
      const pos = start + c;
      slot.metricCol[pos] = out[c * w + metricAt]!;
      if (slot.sharpeCol) slot.sharpeCol[pos] = out[c * w + sharpeAt]!;
      for (let j = 0; j < w; j++) slot.statCols[j]![pos] = out[c * w + j]!;
    }
    slot.done += n;
    done += n;
    if (slot.done === slot.valid.length) {
      seriesDone++;
      slot.elapsedMs = performance.now() - slot.t0;
    }
    if (input.onProgress) {
      const el = (performance.now() - t0) / 1000;
      input.onProgress({
        done,
        total,
        skipped: skippedAll,
        seriesDone,
        seriesTotal: slots.length,
        series: slot.key,
        etaSec: done > 0 ? el / done * (total - done) : NaN,
      });
    }
  };

  for (const slot of slots) {
    if (slot.valid.length > 0) continue;
    // A series with no valid combination is done before any batch.
    seriesDone++;
  }
  if (executor !== undefined) {
    await Promise.all(slots.map((slot) => runExecutor(executor, slot, strategy.name, parsedAt, accept, signal)));
  } else if (W > 1) await runPool(W, slots, strategy.name, batch, seriesOf, parsedAt, accept, signal);
  else {
    let last = performance.now();
    for (const slot of slots) {
      const V = slot.valid.length;
      if (V === 0) continue;
      if (strategy.prepare !== undefined) {
        for (let pos = 0; pos < V; pos++) {
          signal?.throwIfAborted();
          await prepareStrategy(strategy, slot.frame, parsedAt(slot, pos), signal ? { signal } : {});
        }
      }
      const ev = new SweepEvaluator(slot.frame, seriesOf(slot), strategy, slot.plan);
      for (let start = 0; start < V; start += batch) {
        // Let timers and abort events run now and then, without paying a macrotask per batch.
        if (performance.now() - last > 20) {
          await new Promise((r) => setTimeout(r, 0));
          last = performance.now();
        }
        signal?.throwIfAborted();
        const combos: Record<string, unknown>[] = [];
        for (let pos = start; pos < Math.min(V, start + batch); pos++) combos.push(parsedAt(slot, pos));
        const out = new Float64Array(combos.length * w);
        ev.evaluate(combos, out);
        accept(slot, start, combos.length, out);
      }
      slot.series = undefined;
    }
  }

  const items: BatchSweepItem[] = slots.map((slot) => ({
    key: slot.key,
    sweep: finishSlot(slot, strategy, fields, statKeys, metric, riskFree, (pos) => parsedAt(slot, pos), W, fastPath),
  }));
  return {
    items,
    combos: total,
    skipped: skippedAll,
    elapsedMs: performance.now() - t0,
    metric,
    paramColumns: fields.map((f) => f.name),
    statColumns: statKeys,
    fastPath,
    workers: W,
    notes,
  };
}

/** Best pick and result table of one series, by the rules of runSweep (ties: the first; PSR/DSR of a full run). */
function finishSlot(
  slot: Slot,
  strategy: Strategy<any>,
  fields: readonly ParamField[],
  statKeys: string[],
  metric: string,
  riskFree: number,
  parsedAt: (pos: number) => Record<string, unknown>,
  workers: number,
  fastPath: boolean,
): SweepResult {
  const { frame, metricCol, sharpeCol, plan } = slot;
  const V = slot.valid.length;
  const options = plan.options;
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
    const sim = simulate(frame, strategy.signals(frame, p), options);
    const trialSharpes = sharpeCol ? sharpeCol.filter((x) => Number.isFinite(x)) : undefined;
    const bm = plan.benchmark ? buyAndHold(frame.close, options.cash) : undefined;
    const stats = runStats(sim, { periodsPerYear: slot.periodsPerYear, riskFree }, bm, undefined, {
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
      psr: psr(returns, { riskFree, periodsPerYear: slot.periodsPerYear }),
      dsr: trialSharpes && trialSharpes.length > 0 ? stats.dsr! : NaN,
    };
  }
  const cols: Record<string, unknown> = {};
  for (const f of fields) cols[f.name] = paramColumn(f, V, (pos) => parsedAt(pos)[f.name]);
  statKeys.forEach((k, j) => (cols[k] = slot.statCols[j]!));
  return {
    table: tableFromArrays(cols as Record<string, Float64Array>),
    combos: V,
    skipped: { count: slot.skipped, reasons: slot.reasons },
    elapsedMs: slot.elapsedMs,
    best,
    metric,
    paramColumns: fields.map((f) => f.name),
    statColumns: statKeys,
    fastPath,
    workers,
    indicators: slot.requests.size,
    notes: [],
  };
}

function comboSource(
  name: string,
  fields: readonly ParamField[],
  input: Pick<BatchSweepOptions<unknown>, "grid" | "random">,
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

function shared(a: Float64Array): Float64Array {
  const s = new Float64Array(new SharedArrayBuffer(a.byteLength));
  s.set(a);
  return s;
}

/** One series through an executor: every valid combination accepted exactly once (the contract of runSweep's). */
async function runExecutor(
  executor: SweepExecutor,
  slot: Slot,
  strategy: string,
  parsedAt: (slot: Slot, pos: number) => Record<string, unknown>,
  accept: (slot: Slot, start: number, n: number, out: Float64Array) => void,
  signal: AbortSignal | undefined,
): Promise<void> {
  const V = slot.valid.length;
  if (V === 0) return;
  const combos = Array.from({ length: V }, (_, pos) => parsedAt(slot, pos));
  const w = slot.plan.statKeys.length;
  const seen = new Uint8Array(V);
  let count = 0;
  slot.t0 = performance.now();
  await executor.run({ frame: slot.frame, strategy, plan: slot.plan, combos }, (start, out) => {
    const k = out.length / w;
    if (!Number.isInteger(start) || start < 0 || !Number.isInteger(k) || start + k > V) {
      throw new RangeError(
        `executor returned rows ${start}..${start + k} (${out.length} values) for ${V} combinations of ${slot.key}`,
      );
    }
    for (let i = start; i < start + k; i++) {
      if (seen[i]) throw new RangeError(`executor returned combination ${i} of ${slot.key} twice: accept each once`);
      seen[i] = 1;
    }
    count += k;
    accept(slot, start, k, out);
  }, signal);
  signal?.throwIfAborted();
  if (count !== V) throw new RangeError(`executor finished ${slot.key} with ${count} of ${V} combinations evaluated`);
}

/** One pool of `W` workers for every series: batches go out in series order, each tagged with its slot. */
function runPool(
  W: number,
  slots: Slot[],
  strategy: string,
  batch: number,
  seriesOf: (slot: Slot) => Map<string, Float64Array>,
  parsedAt: (slot: Slot, pos: number) => Record<string, unknown>,
  accept: (slot: Slot, start: number, n: number, out: Float64Array) => void,
  signal: AbortSignal | undefined,
): Promise<void> {
  const workers: Worker[] = [];
  const holds: Set<number>[] = [];
  return new Promise<void>((resolve, reject) => {
    let cursor = 0, pending = 0, finished = false;
    const finish = (err?: unknown): void => {
      if (finished) return;
      finished = true;
      for (const wk of workers) wk.terminate();
      signal?.removeEventListener("abort", onAbort);
      if (err !== undefined) reject(err);
      else resolve();
    };
    const onAbort = (): void => finish(signal!.reason);
    signal?.addEventListener("abort", onAbort, { once: true });
    const initOf = (s: number): Record<string, unknown> => {
      const slot = slots[s]!;
      if (slot.init === undefined) {
        const columns: Record<string, Float64Array> = {};
        for (const [k, v] of Object.entries(slot.frame.columns)) columns[k] = shared(v);
        slot.init = {
          type: "init",
          slot: s,
          strategy,
          ts: shared(slot.frame.ts),
          columns,
          series: Object.fromEntries(seriesOf(slot)),
          plan: slot.plan,
        };
      }
      return slot.init;
    };
    const dispatch = (k: number): void => {
      while (cursor < slots.length && slots[cursor]!.dispatched >= slots[cursor]!.valid.length) cursor++;
      if (cursor >= slots.length) {
        if (pending === 0) finish();
        return;
      }
      const s = cursor, slot = slots[s]!, wk = workers[k]!;
      if (!holds[k]!.has(s)) {
        wk.postMessage(initOf(s));
        holds[k]!.add(s);
      }
      const start = slot.dispatched;
      const combos: Record<string, unknown>[] = [];
      for (let pos = start; pos < Math.min(slot.valid.length, start + batch); pos++) combos.push(parsedAt(slot, pos));
      slot.dispatched += combos.length;
      pending++;
      wk.postMessage({ type: "run", slot: s, id: start, combos });
    };
    try {
      for (let k = 0; k < W; k++) {
        const wk = new Worker(new URL("./_batch_sweep_worker.ts", import.meta.url), { type: "module" });
        workers.push(wk);
        holds.push(new Set());
        wk.onmessage = (e: MessageEvent) => {
          if (finished) return;
          const m = e.data as {
            type: string;
            slot: number;
            id: number;
            out: Float64Array;
            name: string;
            message: string;
          };
          if (m.type === "error") {
            finish(
              m.name === "RangeError"
                ? new RangeError(m.message)
                : m.name === "TypeError"
                ? new TypeError(m.message)
                : new Error(`batch sweep worker: ${m.name}: ${m.message}`),
            );
            return;
          }
          pending--;
          const slot = slots[m.slot]!;
          try {
            accept(slot, m.id, m.out.length / slot.plan.statKeys.length, m.out);
          } catch (err) {
            finish(err);
            return;
          }
          if (slot.done === slot.valid.length) {
            // Its last batch is back: every worker may free the series, and so may this thread.
            for (let j = 0; j < W; j++) {
              if (holds[j]!.delete(m.slot)) workers[j]!.postMessage({ type: "drop", slot: m.slot });
            }
            slot.init = undefined;
            slot.series = undefined;
          }
          dispatch(k);
        };
        wk.onerror = (e: ErrorEvent) => {
          e.preventDefault();
          finish(new Error(`batch sweep worker failed: ${e.message}`));
        };
      }
      for (let k = 0; k < W; k++) dispatch(k);
    } catch (err) {
      finish(err);
    }
  });
}
