import type { BacktestOptions } from "../backtest/mod.ts";
import { sideArrays } from "../backtest/_side_arrays.ts";
import { type KeyedStream, streamForKey } from "../indicators/stream/mod.ts";
import type { PrepareOptions, Strategy, StrategyContext } from "../strategies/mod.ts";
import type { Signals } from "../types/mod.ts";
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

/** What {@link StrategyStepper.pushAsync} passes on to the strategy's `prepare` besides the frame so far. */
export interface PushAsyncOptions {
  /** The sleeve's position through the new bar (after its open fill, before its decision): -1, 0 or 1. */
  position?: -1 | 0 | 1;
  /** Aborts the strategy's pre-pass. */
  signal?: AbortSignal;
  /** Where the pre-pass's audit events go (`PrepareOptions.emit`): the runner's batch. */
  emit?: (kind: string, payload: unknown) => void;
}

/**
 * Runs a vectorized strategy one closed bar at a time and answers the signals of the newest bar, equal to what the
 * vectorized `signals` gives for that bar over the whole history (the parity check proves it per strategy). Two modes,
 * both exact:
 *
 * - `stream`, when the strategy declares `signalLookback(p)` and every key of `indicators(p)` has an incremental twin
 *   (`streamForKey`: SMA, EMA, RSI, MACD, Bollinger, each bit-identical to the vectorized indicator, unbounded memory
 *   included): each bar is pushed through the streams, and `signals` runs on the last `signalLookback + 1` bars with
 *   the streamed series as its context. O(1) per bar.
 * - `recompute` otherwise: `signals` runs over every bar so far (views of growable columns, no copy). Exact for any
 *   causal strategy, O(bars so far) per bar. A strategy that peeks at the future is caught either way: on a prefix
 *   it cannot see the bar it peeked at.
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
  /** Stream mode: the streams, their last `#w` values (oldest first), and the window's context. */
  #streams: KeyedStream[] | null = null;
  #windows = new Map<string, Float64Array>();
  #w = 0;
  #from = 0;
  #ctx: StrategyContext;
  readonly #needsPrepare: boolean;
  /** Per bar, the position passed to `pushAsync` (prepare's `position(t)`); only for strategies with `prepare`. */
  #pos: Int8Array;
  #busy = false;
  readonly #prepareOptions: PrepareOptions;

  constructor(options: StrategyStepperOptions<P>) {
    this.strategy = options.strategy;
    this.params = options.params;
    // sideArrays reads only the direction.
    this.#o = { direction: options.direction } as BacktestOptions;
    const lookback = this.strategy.signalLookback?.(this.params);
    const requests = this.strategy.indicators?.(this.params);
    if (lookback !== undefined && Number.isInteger(lookback) && lookback >= 0 && requests !== undefined) {
      const streams = requests.map((r) => streamForKey(r.key));
      if (streams.every((s) => s !== undefined)) {
        this.#streams = streams as KeyedStream[];
        this.#w = lookback + 1;
        for (const s of this.#streams) this.#windows.set(s.key, new Float64Array(this.#w).fill(NaN));
      }
    }
    this.#ctx = {
      indicator: (key) => {
        const w = this.#windows.get(key);
        if (w === undefined) throw new UndeclaredIndicator(key);
        return w.subarray(this.#from);
      },
    };
    this.#needsPrepare = typeof this.strategy.prepare === "function";
    this.#pos = new Int8Array(this.#needsPrepare ? 1024 : 0);
    // One options object for every call (no per-bar allocation); `signal` is set per call.
    this.#prepareOptions = {
      position: (t) => (Number.isInteger(t) && t >= 0 && t < this.#cols.length ? this.#pos[t]! as -1 | 0 | 1 : 0),
    };
  }

  /** True when the strategy has an asynchronous `prepare`: step it with {@link pushAsync}, not `push`. */
  get needsPrepare(): boolean {
    return this.#needsPrepare;
  }

  /** `stream` (incremental indicators, a short window) or `recompute` (the whole history per bar). */
  get mode(): "stream" | "recompute" {
    return this.#streams === null ? "recompute" : "stream";
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
    if (this.#needsPrepare) {
      throw new TypeError(
        `strategy ${this.strategy.name} has an asynchronous prepare (its signals need I/O): step it with ` +
          "`await stepper.pushAsync(bar)` instead of push(bar)",
      );
    }
    this.#cols.push(bar);
    return this.#evaluate(bar);
  }

  /**
   * Appends a closed bar, awaits the strategy's `prepare` on every bar so far (a view of the columns: the strategy
   * memoises, so only the new bar's work is done), then answers the bar's signals exactly as `push` does (the same
   * object each call: copy what you keep). A strategy without `prepare` is simply pushed. When `prepare` rejects, the
   * bar is not kept (push it again to retry) and the error is rethrown. One call at a time per stepper.
   */
  async pushAsync(bar: FeedBar, options?: PushAsyncOptions): Promise<Readonly<BarSignals>> {
    if (!this.#needsPrepare) return this.push(bar);
    if (this.#busy) throw new TypeError(BUSY);
    this.#busy = true;
    try {
      const k = this.#cols.length;
      this.#cols.push(bar);
      if (k === this.#pos.length) {
        const grown = new Int8Array(this.#pos.length * 2);
        grown.set(this.#pos);
        this.#pos = grown;
      }
      this.#pos[k] = options?.position ?? 0;
      const po = this.#prepareOptions;
      po.symbol = bar.symbol;
      po.timeframe = bar.timeframe;
      if (options?.signal) po.signal = options.signal;
      else delete po.signal;
      if (options?.emit) po.emit = options.emit;
      else delete po.emit;
      try {
        await this.strategy.prepare!(this.#cols.frame(0), this.params, po);
      } catch (e) {
        this.#cols.length = k;
        throw e;
      }
      return this.#evaluate(bar);
    } finally {
      this.#busy = false;
    }
  }

  #evaluate(bar: FeedBar): Readonly<BarSignals> {
    const n = this.#cols.length;
    const s = this.#streams === null ? this.strategy.signals(this.#cols.frame(0), this.params) : this.#streamed(bar, n);
    if (s.kind !== "signals") {
      throw new TypeError(
        `strategy ${this.strategy.name} returned target weights: the runner trades entry/exit signals only (use a single-asset strategy)`,
      );
    }
    // In stream mode the arrays cover the window only; the newest bar is last either way.
    const len = s.entries.length;
    const [le, lx, se, sx] = sideArrays(s, this.#o, len);
    const out = this.#out;
    out.le = le[len - 1]!;
    out.lx = lx[len - 1]!;
    out.se = se[len - 1]!;
    out.sx = sx[len - 1]!;
    return out;
  }

  #streamed(bar: FeedBar, n: number): Signals {
    const w = this.#w;
    for (const st of this.#streams!) {
      const v = st.push(bar);
      const win = this.#windows.get(st.key)!;
      win.copyWithin(0, 1);
      win[w - 1] = v;
    }
    const len = Math.min(w, n);
    this.#from = w - len;
    try {
      const s = this.strategy.signals(this.#cols.frame(n - len), this.params, this.#ctx);
      return s;
    } catch (e) {
      if (!(e instanceof UndeclaredIndicator)) throw e;
      // The strategy asked for a series it did not list in indicators(p): the whole history it is.
      this.#streams = null;
      return this.strategy.signals(this.#cols.frame(0), this.params);
    }
  }
}

const BUSY = "StrategyStepper: a pushAsync is still running; await it before pushing the next bar";

/** A key the strategy asked its context for without listing it in `indicators(p)`. */
class UndeclaredIndicator extends Error {}
