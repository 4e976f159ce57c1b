import type { BacktestOptionsInput } from "./backtest_options.ts";
import { parseBacktestOptions } from "./parse_backtest_options.ts";
import { buyMultiplier, sellMultiplier } from "./_costs.ts";
import {
  crossChunk,
  type CrossCosts,
  crossFinal,
  crossInit,
  minClose,
  ST_RUINED,
  ST_SIZE,
  ST_TRADES,
} from "./_cross_kernel.ts";

/** Inputs of {@link simulateFinalEquity}: equal-length series over the same bars. */
export interface CrossInput {
  close: Float64Array;
  fast: Float64Array;
  slow: Float64Array;
}

/** What {@link simulateFinalEquity} returns. */
export interface FinalEquity {
  /** Final equity; an open position is marked at the last close (`finalize: "open"`) or closed there. */
  equity: number;
  /** Trades entered, including one still open at the end. */
  trades: number;
}

/**
 * Sweep kernel: the final equity of a long-only, all-in crossover system, without allocating
 * and without materialising signals. It is {@link simulate} with `fill: "close"`,
 * `direction: "long"`, `size: { kind: "all" }`, no lot, no minNotional and no stops, on the
 * signals `entries = crossedAbove(fast, slow)`, `exits = crossedBelow(fast, slow)` (lib/indicators:
 * `fast[i] > slow[i]` and `fast[i-1] <= slow[i-1]`, all four defined; mirrored for exits), which
 * is exactly what `sma_cross` and `ema_cross` emit: no entry on the first bar where both series
 * exist even if fast is already above, and a touch (`fast == slow`) is not an exit. It
 * reproduces the engine's arithmetic operation for operation, so results are bit-identical
 * (tested); fee, fixedFee, spread, slippage, cash and finalize are honoured, and the engine's
 * ruin rule (equity <= 0 at a close stops trading) too, for closes >= 0 (as bars guarantee).
 * Other options throw a RangeError.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { simulateFinalEquity } from "./simulate_final_equity.ts";
 * const close = new Float64Array([10, 10, 20, 15]);
 * const fast = new Float64Array([1, 2, 2, 0]);
 * const slow = new Float64Array([1, 1, 1, 1]);
 * // Buys at 10 on bar 1, sells at 15 on bar 3: 1000 * 1.5.
 * assert.deepEqual(simulateFinalEquity({ close, fast, slow }, { fill: "close", cash: 1000 }), {
 *   equity: 1500,
 *   trades: 1,
 * });
 * ```
 */
export function simulateFinalEquity(input: CrossInput, options: BacktestOptionsInput = {}): FinalEquity {
  const o = parseBacktestOptions(options);
  if (
    o.fill !== "close" || o.direction !== "long" || o.size.kind !== "all" || o.lot !== 0 || o.minNotional !== 0 ||
    o.stopLoss !== null || o.takeProfit !== null || o.trailingStop !== null
  ) {
    throw new RangeError(
      `simulateFinalEquity supports only fill "close", direction "long", size "all", lot 0, minNotional 0 and no stops; got ${
        JSON.stringify({
          fill: o.fill,
          direction: o.direction,
          size: o.size,
          lot: o.lot,
          minNotional: o.minNotional,
          stopLoss: o.stopLoss,
          takeProfit: o.takeProfit,
          trailingStop: o.trailingStop,
        })
      }. Use simulate for those.`,
    );
  }
  const { close, fast, slow } = input;
  const n = close.length;
  if (fast.length !== n || slow.length !== n) {
    throw new RangeError(`close, fast and slow must have equal lengths, got ${n}, ${fast.length}, ${slow.length}`);
  }
  const costs = { fee: o.fee, fixedFee: o.fixedFee, buyMul: buyMultiplier(o), sellMul: sellMultiplier(o) };
  return kernel(close, fast, slow, o.cash, costs, o.finalize === "close");
}

/**
 * Bars are processed in chunks so the loop function is called many times per run: V8 then
 * optimizes it normally, with feedback for every statement. Run as one long loop, it depends on
 * on-stack replacement, whose cached code deoptimizes after the loop on every call (measured 2x slower).
 */
const CHUNK = 1 << 16;

/** State of the single combination, reused between calls (the kernel allocates nothing). */
const STATE = new Float64Array(ST_SIZE);

function kernel(
  close: Float64Array,
  fast: Float64Array,
  slow: Float64Array,
  cash0: number,
  costs: CrossCosts,
  closeAtEnd: boolean,
): FinalEquity {
  const n = close.length;
  const { fee, fixedFee, buyMul, sellMul } = costs;
  crossInit(STATE, 0, cash0);
  for (let from = 0; from < n && STATE[ST_RUINED] !== 1; from += CHUNK) {
    const to = Math.min(n, from + CHUNK);
    crossChunk(close, fast, slow, from, to, minClose(close, from, to), STATE, 0, fee, fixedFee, buyMul, sellMul);
  }
  return { equity: crossFinal(close, STATE, 0, costs, closeAtEnd), trades: STATE[ST_TRADES]! };
}
