// Evaluation of sweep combinations, shared by the in-process path and _sweep_worker.ts.
// Kept free of lib/data imports so workers start quickly.
import type { Frame } from "../frame/mod.ts";
import { STATS } from "../metrics/mod.ts";
import type { IndicatorRequest, Strategy, StrategyContext } from "../strategies/mod.ts";
import type { BacktestOptions } from "./backtest_options.ts";
import { buyAndHold, runStats } from "./_run_stats.ts";
import { smaKeyPeriod } from "./_sma_blocks.ts";
import { CrossKernel, writeFast } from "./_sweep_kernel.ts";
import { simulate } from "./simulate.ts";

/** What every evaluator of one sweep shares (plain data: it is posted to workers). */
export interface SweepPlan {
  options: BacktestOptions;
  stats: "fast" | "full";
  /** Stat columns, in order. */
  statKeys: string[];
  periodsPerYear: number;
  riskFree: number;
  /** Buy-and-hold benchmark for alpha/beta in full stats. */
  benchmark: boolean;
  /** Use the fused crossover kernel. */
  fastPath: boolean;
}

/** Stat columns of a "fast" sweep. */
export const FAST_KEYS: readonly string[] = ["final_equity", "total_return", "trades", "entries"];
/** Stat columns of a "full" sweep: the whole registry, then `entries`. */
export const FULL_KEYS: readonly string[] = [...STATS.map((s) => s.key), "entries"];

/** Whether options and strategy allow the fused kernel (long-only all-in close fills, no stops). */
export function canUseKernel(strategy: Strategy<any>, o: BacktestOptions, stats: "fast" | "full"): boolean {
  return typeof strategy.crossover === "function" && stats === "fast" && o.fill === "close" &&
    o.direction === "long" && o.size.kind === "all" && o.lot === 0 && o.minNotional === 0 &&
    o.stopLoss === null && o.takeProfit === null && o.trailingStop === null;
}

/**
 * Whether the fused kernel computes the series `key` itself, block by block (an SMA of the close): a sweep need not
 * compute it whole nor share it with workers.
 */
export function kernelStreams(plan: SweepPlan, key: string): boolean {
  return plan.fastPath && smaKeyPeriod(key) !== undefined;
}

/** Evaluates batches of parsed params over one frame, writing one row of stats per combination. */
export class SweepEvaluator {
  readonly frame: Frame;
  readonly strategy: Strategy<any>;
  readonly plan: SweepPlan;
  #series: Map<string, Float64Array>;
  #ctx: StrategyContext;
  #benchmark: Float64Array | undefined;
  #cross: CrossKernel | undefined;

  constructor(frame: Frame, series: Map<string, Float64Array>, strategy: Strategy<any>, plan: SweepPlan) {
    this.frame = frame;
    this.strategy = strategy;
    this.plan = plan;
    this.#series = series;
    this.#ctx = { indicator: (key, compute) => this.#get(key, compute) };
    if (plan.benchmark && plan.stats === "full") this.#benchmark = buyAndHold(frame.close, plan.options.cash);
  }

  // A series not precomputed (a strategy without indicators()) is computed here once and kept.
  #get(key: string, compute: (f: Frame) => Float64Array): Float64Array {
    let s = this.#series.get(key);
    if (s === undefined) {
      s = compute(this.frame);
      this.#series.set(key, s);
    }
    return s;
  }

  /** Writes `combos.length` rows of `plan.statKeys.length` values into `out`, row after row. */
  evaluate(combos: readonly Record<string, unknown>[], out: Float64Array): void {
    if (this.plan.fastPath) this.#kernel(combos, out);
    else for (let c = 0; c < combos.length; c++) this.#general(combos[c]!, out, c * this.plan.statKeys.length);
  }

  #kernel(combos: readonly Record<string, unknown>[], out: Float64Array): void {
    const k = combos.length;
    const keys: string[] = new Array(2 * k);
    const requests = new Map<string, IndicatorRequest>();
    for (let c = 0; c < k; c++) {
      const hint = this.strategy.crossover!(combos[c]!);
      keys[2 * c] = hint.fast.key;
      keys[2 * c + 1] = hint.slow.key;
      requests.set(hint.fast.key, hint.fast);
      requests.set(hint.slow.key, hint.slow);
    }
    // A series not precomputed is an SMA of the close the kernel streams, or else computed here whole and kept.
    const series = (key: string): Float64Array | undefined =>
      this.#series.get(key) ??
        (smaKeyPeriod(key) === undefined ? this.#get(key, requests.get(key)!.compute) : undefined);
    this.#cross ??= new CrossKernel(this.plan.options);
    this.#cross.run(this.frame.close, keys, series, out, this.plan.statKeys.length);
  }

  #general(p: Record<string, unknown>, out: Float64Array, at: number): void {
    const sim = simulate(this.frame, this.strategy.signals(this.frame, p, this.#ctx), this.plan.options);
    if (this.plan.stats === "fast") {
      let closed = 0;
      for (const t of sim.trades) if (t.exitIndex >= 0) closed++;
      writeFast(out, at, sim.finalEquity, this.plan.options.cash, closed, sim.trades.length);
      return;
    }
    const stats = runStats(sim, this.plan, this.#benchmark);
    const keys = this.plan.statKeys;
    for (let j = 0; j < keys.length; j++) out[at + j] = stats[keys[j]!]!;
  }
}
