// Evaluation of sweep combinations, shared by the in-process path and _sweep_worker.ts.
// Kept free of lib/data imports so workers start quickly.
import type { Frame } from "../frame/mod.ts";
import { STATS } from "../metrics/mod.ts";
import type { IndicatorRequest, Strategy, StrategyContext } from "../strategies/mod.ts";
import type { BacktestOptions } from "./backtest_options.ts";
import { buyMultiplier, sellMultiplier } from "./_costs.ts";
import {
  crossChunk,
  type CrossCosts,
  crossFinal,
  crossInit,
  minClose,
  ST_IN_POS,
  ST_SIZE,
  ST_TRADES,
} from "./_cross_kernel.ts";
import { buyAndHold, runStats } from "./_run_stats.ts";
import { SmaBlocks, smaKeyPeriod } from "./_sma_blocks.ts";
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

/**
 * Bars per block of the fused kernel: every combination of a batch runs over one block before
 * the next, so the block of each distinct series (45 SMAs in SMA-X-990) stays in the L2 cache.
 */
const BLOCK = 4096;

/** Evaluates batches of parsed params over one frame, writing one row of stats per combination. */
export class SweepEvaluator {
  readonly frame: Frame;
  readonly strategy: Strategy<any>;
  readonly plan: SweepPlan;
  #series: Map<string, Float64Array>;
  #ctx: StrategyContext;
  #costs: CrossCosts;
  #state = new Float64Array(0);
  #benchmark: Float64Array | undefined;
  #sma = new Map<number, SmaBlocks>();
  #scratch: Float64Array[] = [];

  constructor(frame: Frame, series: Map<string, Float64Array>, strategy: Strategy<any>, plan: SweepPlan) {
    this.frame = frame;
    this.strategy = strategy;
    this.plan = plan;
    this.#series = series;
    this.#ctx = { indicator: (key, compute) => this.#get(key, compute) };
    const o = plan.options;
    this.#costs = { fee: o.fee, fixedFee: o.fixedFee, buyMul: buyMultiplier(o), sellMul: sellMultiplier(o) };
    if (plan.benchmark && plan.stats === "full") this.#benchmark = buyAndHold(frame.close, o.cash);
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
    const k = combos.length, close = this.frame.close, n = close.length;
    const o = this.plan.options, { fee, fixedFee, buyMul, sellMul } = this.#costs;
    if (this.#state.length < k * ST_SIZE) this.#state = new Float64Array(k * ST_SIZE);
    const st = this.#state;
    // Each distinct series of the batch once: an SMA of the close block by block (never whole), any other whole.
    const slot = new Map<string, number>();
    const sources: (SmaBlocks | Float64Array)[] = [];
    const fastAt = new Int32Array(k), slowAt = new Int32Array(k);
    const at = (req: IndicatorRequest): number => {
      let s = slot.get(req.key);
      if (s === undefined) {
        s = sources.length;
        slot.set(req.key, s);
        const period = this.#series.has(req.key) ? undefined : smaKeyPeriod(req.key);
        sources.push(period === undefined ? this.#get(req.key, req.compute) : this.#smaBlocks(sources.length, period));
      }
      return s;
    };
    for (let c = 0; c < k; c++) {
      const hint = this.strategy.crossover!(combos[c]!);
      fastAt[c] = at(hint.fast);
      slowAt[c] = at(hint.slow);
      crossInit(st, c * ST_SIZE, o.cash);
    }
    const blocks: Float64Array[] = new Array(sources.length);
    for (const s of sources) if (s instanceof SmaBlocks) s.start(close);
    for (let from = 0; from < n; from += BLOCK) {
      const to = Math.min(n, from + BLOCK), len = to - from;
      const low = minClose(close, from, to);
      // The kernel runs on block-relative bars: the close and every series as views of [from, to).
      const closeBlock = close.subarray(from, to);
      for (let s = 0; s < sources.length; s++) {
        const src = sources[s]!;
        if (src instanceof SmaBlocks) {
          const buf = this.#scratch[s]!;
          src.fill(close, from, to, buf);
          blocks[s] = buf;
        } else blocks[s] = src.subarray(from, to);
      }
      for (let c = 0; c < k; c++) {
        crossChunk(
          closeBlock,
          blocks[fastAt[c]!]!,
          blocks[slowAt[c]!]!,
          0,
          len,
          low,
          st,
          c * ST_SIZE,
          fee,
          fixedFee,
          buyMul,
          sellMul,
        );
      }
    }
    const closeAtEnd = o.finalize === "close";
    const w = this.plan.statKeys.length;
    for (let c = 0; c < k; c++) {
      const off = c * ST_SIZE;
      const equity = crossFinal(close, st, off, this.#costs, closeAtEnd);
      const entries = st[off + ST_TRADES]!;
      const open = !closeAtEnd && st[off + ST_IN_POS] === 1 && n > 0 ? 1 : 0;
      writeFast(out, c * w, n === 0 ? o.cash : equity, o.cash, entries - open, entries);
    }
  }

  // Block streams and their buffers are kept between batches: a batch allocates nothing of the frame's length.
  #smaBlocks(s: number, period: number): SmaBlocks {
    while (this.#scratch.length <= s) this.#scratch.push(new Float64Array(BLOCK));
    let b = this.#sma.get(period);
    if (b === undefined) this.#sma.set(period, b = new SmaBlocks(period));
    return b;
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

function writeFast(out: Float64Array, at: number, equity: number, cash: number, trades: number, entries: number): void {
  out[at] = equity;
  out[at + 1] = equity / cash - 1;
  out[at + 2] = trades;
  out[at + 3] = entries;
}
