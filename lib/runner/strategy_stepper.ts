import type { BacktestOptions } from "../backtest/mod.ts";
import { sideArrays } from "../backtest/_side_arrays.ts";
import type { Strategy } from "../strategies/mod.ts";
import type { FeedBar } from "./feed.ts";
import { Columns } from "./_columns.ts";

/** Options of {@link StrategyStepper}. */
export interface StrategyStepperOptions<P> {
  strategy: Strategy<P>;
  /** Parsed params. */
  params: P;
  /** Which sides are traded (maps the strategy's signals as the backtester does). */
  direction: BacktestOptions["direction"];
}

/** The four signal bits of one bar after the direction mapping: long entry, long exit, short entry, short exit. */
export interface BarSignals {
  le: number;
  lx: number;
  se: number;
  sx: number;
}

/**
 * Runs a vectorized strategy one closed bar at a time and answers the signals of the newest bar, equal to what the
 * vectorized `signals` gives for that bar over the whole history (the parity check proves it per strategy).
 *
 * Each push evaluates the strategy over every bar so far (views of growable columns, no copy), which is exact for
 * any causal strategy, including indicators with unbounded memory (EMA, RSI, MACD, ADX), and is how a strategy that
 * peeks at the future is caught: on a prefix it cannot see the bar it peeked at. The cost is O(bars so far) per bar.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { smaCross } from "../strategies/mod.ts";
 * import { StrategyStepper } from "./strategy_stepper.ts";
 * const s = new StrategyStepper({ strategy: smaCross, params: { fast: 1, slow: 2 }, direction: "long" });
 * const bar = (ts: number, c: number) => ({ symbol: "X", timeframe: "1m", ts, open: c, high: c, low: c, close: c, volume: 1 });
 * const got = [3, 2, 1, 2].map((c, i) => s.push(bar(i * 60_000, c)).le);
 * assert.deepEqual(got, [0, 0, 0, 1]);
 * ```
 */
export class StrategyStepper<P = unknown> {
  readonly strategy: Strategy<P>;
  readonly params: P;
  readonly #cols = new Columns();
  readonly #o: BacktestOptions;
  readonly #out: BarSignals = { le: 0, lx: 0, se: 0, sx: 0 };

  constructor(options: StrategyStepperOptions<P>) {
    this.strategy = options.strategy;
    this.params = options.params;
    // sideArrays reads only the direction.
    this.#o = { direction: options.direction } as BacktestOptions;
  }

  /** Bars pushed so far. */
  get length(): number {
    return this.#cols.length;
  }

  /** The bars pushed so far (views; valid until the next push). */
  get columns(): Columns {
    return this.#cols;
  }

  /** Appends a closed bar and returns its signals (the same object each call: copy what you keep). */
  push(bar: FeedBar): Readonly<BarSignals> {
    this.#cols.push(bar);
    const n = this.#cols.length;
    const s = this.strategy.signals(this.#cols.frame(0), this.params);
    if (s.kind !== "signals") {
      throw new TypeError(
        `strategy ${this.strategy.name} returned target weights: the runner trades entry/exit signals only (use a single-asset strategy)`,
      );
    }
    const [le, lx, se, sx] = sideArrays(s, this.#o, n);
    const out = this.#out;
    out.le = le[n - 1]!;
    out.lx = lx[n - 1]!;
    out.se = se[n - 1]!;
    out.sx = sx[n - 1]!;
    return out;
  }
}
