import type { BacktestOptionsInput } from "./backtest_options.ts";
import { parseBacktestOptions } from "./parse_backtest_options.ts";
import { buyMultiplier, sellMultiplier } from "./_costs.ts";

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
 * signals `entries[i] = above[i] && !above[i-1]`, `exits[i] = !above[i] && above[i-1]`, where
 * `above[i] = fast[i] > slow[i]` (false when either is NaN, and `above[-1] = false`). It
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
  return kernel(
    close,
    fast,
    slow,
    o.cash,
    o.fee,
    o.fixedFee,
    buyMultiplier(o),
    sellMultiplier(o),
    o.finalize === "close",
  );
}

/** Loop state carried between chunks without allocating: cash, units, inPos, prev, ruined, trades, check. */
const STATE = new Float64Array(7);
const CASH = 0, UNITS = 1, IN_POS = 2, PREV = 3, RUINED = 4, TRADES = 5, CHECK = 6;

/**
 * Bars are processed in chunks so the loop function is called many times per run: V8 then
 * optimizes it normally, with feedback for every statement. Run as one long loop, it depends on
 * on-stack replacement, whose cached code deoptimizes after the loop on every call (measured 2x slower).
 */
const CHUNK = 1 << 16;

/** Bars [from, to) of the kernel; returns true when the account is ruined (stop). */
function kernelChunk(
  close: Float64Array,
  fast: Float64Array,
  slow: Float64Array,
  from: number,
  to: number,
  fee: number,
  fixedFee: number,
  buyMul: number,
  sellMul: number,
): boolean {
  const feeMul = 1 + fee;
  let cash = STATE[CASH]!, units = STATE[UNITS]!, trades = STATE[TRADES]!;
  let inPos = STATE[IN_POS] === 1, prev = STATE[PREV] === 1, ruined = false;
  // Equity in a position is cash + units * close. With cash > 0 and a close >= 0 (or NaN) it
  // cannot be <= 0, so the per-bar ruin check (and its load of close) runs only when the entry
  // left cash <= 0, which rounding can do.
  let check = STATE[CHECK] === 1;
  for (let i = from; i < to; i++) {
    const above = fast[i]! > slow[i]!;
    if (above !== prev) {
      prev = above;
      if (above) {
        if (!inPos) {
          const price = close[i]! * buyMul;
          const u = (cash - fixedFee) / (price * feeMul);
          if (u > 0) {
            const notional = u * price;
            cash -= notional + (notional * fee + fixedFee);
            units = u;
            inPos = true;
            check = !(cash > 0);
            trades++;
          }
        }
      } else if (inPos) {
        const notional = units * (close[i]! * sellMul);
        cash += notional - (notional * fee + fixedFee);
        units = 0;
        inPos = false;
        check = false;
        if (cash <= 0) {
          ruined = true;
          break;
        }
      }
    }
    if (check && cash + units * close[i]! <= 0) {
      const notional = units * (close[i]! * sellMul);
      cash += notional - (notional * fee + fixedFee);
      inPos = false;
      ruined = true;
      break;
    }
  }
  STATE[CASH] = cash;
  STATE[UNITS] = units;
  STATE[IN_POS] = inPos ? 1 : 0;
  STATE[PREV] = prev ? 1 : 0;
  STATE[RUINED] = ruined ? 1 : 0;
  STATE[TRADES] = trades;
  STATE[CHECK] = check ? 1 : 0;
  return ruined;
}

function kernel(
  close: Float64Array,
  fast: Float64Array,
  slow: Float64Array,
  cash0: number,
  fee: number,
  fixedFee: number,
  buyMul: number,
  sellMul: number,
  closeAtEnd: boolean,
): FinalEquity {
  const n = close.length;
  STATE.fill(0);
  STATE[CASH] = cash0;
  for (let from = 0; from < n; from += CHUNK) {
    if (kernelChunk(close, fast, slow, from, Math.min(n, from + CHUNK), fee, fixedFee, buyMul, sellMul)) break;
  }
  const cash = STATE[CASH]!, units = STATE[UNITS]!, trades = STATE[TRADES]!;
  const inPos = STATE[IN_POS] === 1, ruined = STATE[RUINED] === 1;
  if (!inPos || n === 0) return { equity: cash, trades };
  const last = close[n - 1]!;
  if (!closeAtEnd || ruined) return { equity: cash + units * last, trades };
  const notional = units * (last * sellMul);
  return { equity: cash + (notional - (notional * fee + fixedFee)), trades };
}
