import type { z } from "zod";
import type { Frame } from "../frame/mod.ts";
import type { Signals, WeightSet } from "../types/mod.ts";

/**
 * One feature a strategy needs, named so a sweep computes each distinct one once.
 *
 * `key` identifies the series completely: `<indicator>:<column>:<params...>[:<output>]`, for
 * example `sma:close:20`, `ema:close:12`, `rsi:close:14`, `bollinger:close:20:2:upper`,
 * `macd:close:12:26:9:signal`. Two requests with the same key must compute the same values.
 */
export interface IndicatorRequest {
  /** Cache key; equal keys mean equal series. */
  key: string;
  /** Computes the series over the whole frame (causal, NaN during warm-up). */
  compute: (frame: Frame) => Float64Array;
}

/**
 * What `signals` receives besides the frame: where it gets its indicator series.
 *
 * The default context computes each request directly. A sweep passes an
 * {@link IndicatorCache} over the same frame so that 990 parameter combinations of `sma_cross`
 * compute each distinct SMA once. Returned arrays are shared: treat them as read-only.
 */
export interface StrategyContext {
  /** The series for `key`, computed by `compute(frame)` unless the context already holds it. */
  indicator(key: string, compute: (frame: Frame) => Float64Array): Float64Array;
}

/**
 * The fused-kernel hint: the strategy's long entries are exactly `crossedAbove(fast, slow)` and
 * its long exits exactly `crossedBelow(fast, slow)` (short entries/exits mirrored), so a sweep
 * can simulate from the two series without materialising signals.
 */
export interface CrossoverHint {
  fast: IndicatorRequest;
  slow: IndicatorRequest;
}

/**
 * What {@link Strategy.prepare} receives besides the frame and params. Every field is optional: a backtest knows the
 * series but not the account's position; a runner knows both.
 */
export interface PrepareOptions {
  /** Aborting stops the pre-pass: it rejects with the signal's reason (work already memoised stays). */
  signal?: AbortSignal;
  /** Called as bars are prepared: `done` of `total` bars that needed work in this call. */
  progress?: (done: number, total: number) => void;
  /** The frame's market (`BTC/USDT`), when the caller knows it. */
  symbol?: string;
  /** The frame's ccxt timeframe (`1h`), when the caller knows it. */
  timeframe?: string;
  /**
   * The position the account's sleeve holds through bar `t` (after that bar's open fill, before its decision): -1
   * short, 0 flat, 1 long. Given by the paper and live runners only; a backtest decides before it simulates, so it
   * cannot know (a strategy whose decisions read it differ between a backtest and a runner: say so in its doc).
   */
  position?: (t: number) => -1 | 0 | 1;
  /**
   * Where the pre-pass's audit events go instead of the strategy's own sink (an LLM agent's `decision` events): the
   * paper and live runners pass one that puts them in the bar's audit batch, with the batch's correlation id, so
   * they are durable in the same transaction as the signals and order intents they lead to. `kind` is an audit event
   * kind; the payload is validated by the audit schema when the batch is appended.
   */
  emit?: (kind: string, payload: unknown) => void;
}

/** Fields every strategy has, single-asset or portfolio. */
export interface StrategyBase<P> {
  /** Registry key, snake_case (`sma_cross`). */
  name: string;
  /** Short human name for forms and docs (`SMA crossover`). */
  title: string;
  /** One sentence: the rule in trader words. */
  description: string;
  /**
   * A `z.object` with a `.default()` per field and ranges (`min`/`max`, `int`); cross-field
   * rules as `refine` with a message naming both values. `params.parse({})` gives the defaults.
   */
  params: z.ZodType<P>;
  /** Bars before the first valid signal: index of the first bar that can carry one. */
  warmup(p: P): number;
  /**
   * Optional version string mixed into {@link strategyCodeHash}; bump it when a private helper
   * the strategy calls changes behaviour (the hash only sees this object's own functions).
   */
  version?: string;
}

/**
 * A single-asset strategy: a pure, causal function from a frame and typed parameters to
 * signals aligned to `frame.ts` (DESIGN.md "Strategy"). The signal on bar `t` depends only on
 * bars `0..t`; the engine decides when it fills.
 */
export interface Strategy<P> extends StrategyBase<P> {
  /** Absent or `"single"`; portfolio strategies say `"portfolio"`. */
  kind?: "single";
  /** The features this parameter combination needs (so a sweep can precompute them). */
  indicators?(p: P): IndicatorRequest[];
  /** Present only when long entries/exits are exactly a crossing of two series (see {@link CrossoverHint}). */
  crossover?(p: P): CrossoverHint;
  /** Signals for every bar of `frame`; get indicator series through `ctx.indicator`. */
  signals(frame: Frame, p: P, ctx?: StrategyContext): Signals;
  /**
   * Optional: how many bars before bar t the signal rule of bar t reads (1 for a crossing, 0 for a level), given
   * that every series it needs beyond that comes through `ctx.indicator` with a key listed by `indicators(p)`.
   * With it, the paper runner keeps those indicators as exact incremental streams and evaluates `signals` on the
   * last `signalLookback + 1` bars only (O(1) per bar instead of O(history)); the parity check proves the claim.
   * Leave it out when the rule depends on a bar's position in the frame or on more history.
   */
  signalLookback?(p: P): number;
  /**
   * Optional asynchronous pre-pass for strategies whose signals need I/O (an LLM agent's decisions): awaited on a
   * frame before `signals` is called on that frame (or on any prefix of it). It must be causal and incremental: the
   * work for bar t reads bars 0..t only, and a second call on a longer frame only does the new bars' work (it
   * memoises by bar time, and by params when they change the work). Callers: the backtest CLI and the lab before
   * `runBacktest`, `runSweep` and `walkForward` per parameter combination (in this thread), the runners before each
   * bar's signals (`StrategyStepper.pushAsync`). Call it through {@link prepareStrategy}. The frame may be a view
   * that the caller reuses after the promise settles: copy what you keep.
   */
  prepare?(frame: Frame, p: P, options?: PrepareOptions): Promise<void>;
}

/**
 * A multi-asset strategy: target weights per asset from frames aligned on the same `ts`.
 * A weight is the fraction of equity to hold on that bar; NaN means hold (no rebalance).
 */
export interface PortfolioStrategy<P> extends StrategyBase<P> {
  kind: "portfolio";
  /** Weights per asset, each aligned to the common `ts` of `frames`. */
  weights(frames: Readonly<Record<string, Frame>>, p: P): Record<string, WeightSet>;
}

/** Any strategy the registry can hold. */
export type AnyStrategy = Strategy<any> | PortfolioStrategy<any>;
