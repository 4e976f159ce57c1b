// The fused crossover kernel over a batch of combinations, shared by SweepEvaluator (in-process and batch workers)
// and _sweep_worker.ts. It imports only the kernel, the SMA blocks and the cost multipliers (no frame, strategies,
// metrics or zod), so a sweep worker on the fused kernel starts without loading those module graphs.
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
import { SmaBlocks, smaKeyPeriod } from "./_sma_blocks.ts";

/**
 * Bars per block of the fused kernel: every combination of a batch runs over one block before
 * the next, so the block of each distinct series (45 SMAs in SMA-X-990) stays in the L2 cache.
 */
export const BLOCK = 4096;

/**
 * A batch's series by key: a whole series, or undefined for an SMA of the close the kernel computes itself block by
 * block (see {@link smaKeyPeriod}).
 */
export type KernelSeries = (key: string) => Float64Array | undefined;

/** Runs batches of crossover combinations through the fused kernel, reusing its buffers from batch to batch. */
export class CrossKernel {
  readonly #options: BacktestOptions;
  readonly #costs: CrossCosts;
  #state = new Float64Array(0);
  #sma = new Map<number, SmaBlocks>();
  #scratch: Float64Array[] = [];

  constructor(options: BacktestOptions) {
    this.#options = options;
    this.#costs = {
      fee: options.fee,
      fixedFee: options.fixedFee,
      buyMul: buyMultiplier(options),
      sellMul: sellMultiplier(options),
    };
  }

  /**
   * Evaluates combination c (fast series `keys[2c]`, slow `keys[2c + 1]`) for every c, writing its fast-stat row at
   * `out[c * width]`. `onBlock(bars)` is called after each block with the bars done so far.
   */
  run(
    close: Float64Array,
    keys: readonly string[],
    series: KernelSeries,
    out: Float64Array,
    width: number,
    onBlock?: (bars: number) => void,
  ): void {
    const k = keys.length >> 1, n = close.length;
    const o = this.#options, { fee, fixedFee, buyMul, sellMul } = this.#costs;
    if (this.#state.length < k * ST_SIZE) this.#state = new Float64Array(k * ST_SIZE);
    const st = this.#state;
    // Each distinct series of the batch once: an SMA of the close block by block (never whole), any other whole.
    const slot = new Map<string, number>();
    const sources: (SmaBlocks | Float64Array)[] = [];
    const fastAt = new Int32Array(k), slowAt = new Int32Array(k);
    const at = (key: string): number => {
      let s = slot.get(key);
      if (s === undefined) {
        s = sources.length;
        slot.set(key, s);
        const whole = series(key);
        if (whole !== undefined) sources.push(whole);
        else {
          const period = smaKeyPeriod(key);
          if (period === undefined) throw new Error(`sweep kernel: series ${JSON.stringify(key)} was not computed`);
          sources.push(this.#smaBlocks(s, period));
        }
      }
      return s;
    };
    for (let c = 0; c < k; c++) {
      fastAt[c] = at(keys[2 * c]!);
      slowAt[c] = at(keys[2 * c + 1]!);
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
      onBlock?.(to);
    }
    const closeAtEnd = o.finalize === "close";
    for (let c = 0; c < k; c++) {
      const off = c * ST_SIZE;
      const equity = crossFinal(close, st, off, this.#costs, closeAtEnd);
      const entries = st[off + ST_TRADES]!;
      const open = !closeAtEnd && st[off + ST_IN_POS] === 1 && n > 0 ? 1 : 0;
      writeFast(out, c * width, n === 0 ? o.cash : equity, o.cash, entries - open, entries);
    }
  }

  // Block streams and their buffers are kept between batches: a batch allocates nothing of the frame's length.
  #smaBlocks(s: number, period: number): SmaBlocks {
    while (this.#scratch.length <= s) this.#scratch.push(new Float64Array(BLOCK));
    let b = this.#sma.get(period);
    if (b === undefined) this.#sma.set(period, b = new SmaBlocks(period));
    return b;
  }
}

/** Writes a "fast" stat row (final_equity, total_return, trades, entries) at `out[at]`. */
export function writeFast(
  out: Float64Array,
  at: number,
  equity: number,
  cash: number,
  trades: number,
  entries: number,
): void {
  out[at] = equity;
  out[at + 1] = equity / cash - 1;
  out[at + 2] = trades;
  out[at + 3] = entries;
}
