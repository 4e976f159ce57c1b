import type { Frame } from "../frame/mod.ts";
import { prepareStrategy, type Strategy } from "../strategies/mod.ts";
import type { Calendar, SeriesId } from "../types/mod.ts";
import type { BacktestOptionsInput } from "./backtest_options.ts";
import { resolveAnnualization } from "./_annualization.ts";
import type { GridValue } from "./_sweep_combos.ts";
import {
  chooseWorkers,
  type ComboValidation,
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
import type { SweepExecutor, SweepResult } from "./sweep.ts";

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

/** The state of one series while the batch runs. */
interface Slot {
  key: string;
  frame: Frame;
  validation: ComboValidation;
  /** Positions of the valid combinations (`validation.valid`). */
  valid: number[];
  plan: SweepPlan;
  series: Map<string, Float64Array> | undefined;
  /** The worker init message (shared copies of the columns), built on its first batch, dropped when it is done. */
  init: Record<string, unknown> | undefined;
  columns: SweepColumns;
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
  const setup = sweepSetup("runBatchSweep", input as BatchSweepOptions<unknown>);
  const { strategy, source, fields, metric, fastPath } = setup;

  // Validation pass per series: the combinations are the same, the warm-up skips depend on each series' length.
  const parsedCombos = Array.from({ length: source.size }, (_, i) => parseCombo(strategy, source, i));
  const slots: Slot[] = input.items.map((it) => {
    const validation = validateCombos(strategy, source, it.frame.length, (i) => parsedCombos[i]!);
    const plan = sweepPlan(setup, resolveAnnualization(it.frame, it).periodsPerYear);
    return {
      key: it.key,
      frame: it.frame,
      validation,
      valid: validation.valid,
      plan,
      series: undefined,
      init: undefined,
      columns: new SweepColumns(validation.valid.length, plan, metric, true),
      done: 0,
      dispatched: 0,
      t0: NaN,
      elapsedMs: 0,
    };
  });
  const total = slots.reduce((s, x) => s + x.valid.length, 0);
  const skippedAll = slots.reduce((s, x) => s + x.validation.skipped, 0);

  const executor = input.executor;
  const { workers: W, notes } = chooseWorkers({
    requested: input.workers,
    strategy,
    barSteps: slots.reduce((s, x) => s + x.valid.length * x.frame.length, 0),
    combos: total,
    fastPath,
    smallNote: `small batch (${total} combinations over ${slots.length} series): ran in this thread; pass workers`,
    executor,
  });
  const share = W > 1;

  const parsedAt = (slot: Slot, pos: number): Record<string, unknown> =>
    strategy.params.parse(source.at(slot.valid[pos]!)) as Record<string, unknown>;
  const seriesOf = (slot: Slot): Map<string, Float64Array> => {
    if (slot.series !== undefined) return slot.series;
    // The fused kernel computes streamed series itself, block by block: computing them whole would only cost memory.
    slot.series = computeSeries(slot.validation.requests, slot.frame, slot.plan, share, true);
    slot.t0 = performance.now();
    return slot.series;
  };
  const batch = input.batchSize ?? Math.max(1, Math.min(fastPath ? 128 : 16, Math.ceil(total / (Math.max(1, W) * 8))));
  let done = 0, seriesDone = 0;
  const accept = (slot: Slot, start: number, n: number, out: Float64Array): void => {
    slot.columns.accept(start, n, out);
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
    await Promise.all(slots.map((slot) => {
      const V = slot.valid.length;
      if (V === 0) return undefined;
      slot.t0 = performance.now();
      return runExecutor({
        executor,
        frame: slot.frame,
        strategy: strategy.name,
        plan: slot.plan,
        V,
        parsedAt: (pos) => parsedAt(slot, pos),
        accept: (start, combos, out) => accept(slot, start, combos.length, out),
        signal,
        label: slot.key,
      });
    }));
  } else if (W > 1) await runPool(W, slots, strategy.name, batch, seriesOf, parsedAt, accept, signal);
  else {
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
      await evaluateBatches(
        ev,
        V,
        (pos) => parsedAt(slot, pos),
        batch,
        signal,
        (start, combos, out) => accept(slot, start, combos.length, out),
      );
      slot.series = undefined;
    }
  }

  const items: BatchSweepItem[] = slots.map((slot) => ({
    key: slot.key,
    sweep: finishSweep({
      frame: slot.frame,
      strategy,
      fields,
      plan: slot.plan,
      metric,
      columns: slot.columns,
      V: slot.valid.length,
      parsedAt: (pos) => parsedAt(slot, pos),
      validation: slot.validation,
      elapsedMs: slot.elapsedMs,
      workers: W,
      notes: [],
    }),
  }));
  return {
    items,
    combos: total,
    skipped: skippedAll,
    elapsedMs: performance.now() - t0,
    metric,
    paramColumns: fields.map((f) => f.name),
    statColumns: setup.statKeys,
    fastPath,
    workers: W,
    notes,
  };
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
    let cursor = 0, pending = 0;
    const end = poolEnd(signal, resolve, reject, () => {
      for (const wk of workers) wk.terminate();
    });
    const finish = end.finish;
    if (end.finished) return;
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
          if (end.finished) return;
          const m = e.data as {
            type: string;
            slot: number;
            id: number;
            out: Float64Array;
            name: string;
            message: string;
          };
          if (m.type === "error") {
            finish(workerError(m, "batch sweep worker"));
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
