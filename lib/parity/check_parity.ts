import { type BacktestOptionsInput, parseBacktestOptions, runBacktest } from "../backtest/mod.ts";
import type { Frame } from "../frame/mod.ts";
import { noLimitsRiskConfig } from "../risk/no_limits_risk_config.ts";
import { PaperRunner, type RunProgress } from "../runner/paper_runner.ts";
import { ReplayFeed } from "../runner/replay_feed.ts";
import {
  type AnyStrategy,
  isPortfolioStrategy,
  parseParams,
  prepareStrategy,
  registry,
  type Strategy,
} from "../strategies/mod.ts";
import { inferTimeframe, timeframeMs } from "../types/mod.ts";
import { findLookAhead, type LookAhead } from "./_look_ahead.ts";

/** Options of {@link checkParity}. */
export interface ParityOptions<P = any> {
  /** A single-asset strategy object or a registry name (`"sma_cross"`). Portfolio strategies are refused. */
  strategy: Strategy<P> | string;
  /** Params; strings are coerced as on the command line, missing ones take their defaults. */
  params?: Record<string, unknown>;
  /** The bars, sorted by `ts`. */
  frame: Frame;
  /** The symbol the runner's sleeve trades (the feed's name for it). Default: `options.asset`, else `"asset"`. */
  symbol?: string;
  /** ccxt timeframe of the bars. Default: inferred from the most common bar step, as the backtester does. */
  timeframe?: string;
  /** Backtest options of both sides; `finalize` is forced to `"open"` (see {@link ParityReport.notes}). */
  options?: BacktestOptionsInput;
  /** Data dir of the runner's audit log and broker store. Default: a temp dir, removed afterwards. */
  dataDir?: string;
  /** Called after each bar the runner processed (for progress on long data). */
  onProgress?: (p: RunProgress) => void;
  /** Stops the replay early (the report then shows the orders missing on the runner's side). */
  signal?: AbortSignal;
}

/** One order as the parity check compares it. */
export interface ParityOrder {
  /** Index of the fill's bar in the frame (-1 when the runner's fill time maps to no bar). */
  bar: number;
  /** Open time of that bar, epoch ms. */
  ts: number;
  side: "buy" | "sell";
  size: number;
  price: number;
}

/** Where the two sides first disagree. */
export interface ParityDifference {
  /** Order index (both sides' order lists); the order count for an `equity` difference. */
  index: number;
  backtest?: ParityOrder;
  runner?: ParityOrder;
  /** `missing`: the runner lacks the backtest's order; `extra`: the runner has one more; else the first field. */
  field: "missing" | "extra" | "bar" | "side" | "size" | "price" | "equity";
}

/** What {@link checkParity} found. */
export interface ParityReport {
  /** True when every order (bar, side, size, price) and the final equity are exactly equal. */
  ok: boolean;
  strategy: string;
  /** The parsed params both sides ran with. */
  params: Record<string, unknown>;
  /** Bars replayed. */
  bars: number;
  timeframe: string;
  orders: { backtest: number; runner: number };
  equity: { backtest: number; runner: number };
  firstDifference?: ParityDifference;
  /** The strategy's signals change when later bars are added: the likely cause of a difference. */
  lookAhead?: LookAhead;
  /** The runner stopped with this error (a bar with a missing price, ...): a parity failure. */
  error?: string;
  /** How the two runs were set up (the forced `finalize`, ...). */
  notes: string[];
  elapsedMs: number;
}

/** The account name of a check: unique, so a given `dataDir` never resumes an earlier check's log. */
function accountName(): string {
  return `parity-${crypto.randomUUID().slice(0, 8)}`;
}

/**
 * The parity check: replays `frame` through a {@link PaperRunner} (one sleeve, a {@link ReplayFeed} in `replay`
 * mode, no risk limits, the simulated broker) and compares every fill with the vectorized {@link runBacktest} of
 * the same strategy, params and options: bar, side, size and price with `Object.is` (no tolerance), then the final
 * equity (`finalEquity` against `runner.equity()`).
 *
 * `finalize` is forced to `"open"` on both sides: a paper account does not close its position when the data ends,
 * so the backtest reports it open, marked at the last close, as the runner's equity does.
 *
 * On a difference the strategy is checked for look-ahead (`assertCausal` over its signals on prefixes of the
 * frame): a strategy that peeks at later bars cannot trade the same way live, and is named in `lookAhead`. A runner
 * that stops with an error (it refuses bars with non-finite prices) is a failure reported in `error`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { randomBars } from "../testing/mod.ts";
 * import { checkParity } from "./check_parity.ts";
 * const report = await checkParity({
 *   strategy: "sma_cross",
 *   params: { fast: 5, slow: 20 },
 *   frame: randomBars({ n: 200, seed: 3 }),
 *   options: { fee: 0.001, stopLoss: 0.02 },
 * });
 * assert.equal(report.ok, true);
 * assert.equal(report.orders.runner, report.orders.backtest);
 * ```
 */
export async function checkParity<P>(options: ParityOptions<P>): Promise<ParityReport> {
  const started = performance.now();
  const strategy = resolveSingle(options.strategy);
  const params = parseParams(strategy, options.params ?? {}) as P;
  const frame = options.frame;
  const timeframe = options.timeframe ?? inferTimeframe(frame.ts);
  if (timeframe === null) {
    throw new RangeError(
      `cannot infer the timeframe from ${frame.length} bar(s) without a regular step; pass timeframe (e.g. "1d")`,
    );
  }
  const tfMs = timeframeMs(timeframe);
  const notes: string[] = [];
  if (options.options?.finalize === "close") {
    notes.push(
      'finalize "close" replaced by "open": a paper account keeps its position when the data ends, so both sides ' +
        "mark it at the last close",
    );
  } else {
    notes.push('finalize "open" on both sides: a paper account keeps its position when the data ends');
  }
  const btOptions: BacktestOptionsInput = { ...options.options, finalize: "open" };
  const symbol = options.symbol ?? options.options?.asset ?? "asset";
  // A strategy with an asynchronous pre-pass (an LLM agent) is prepared before its vectorized run.
  await prepareStrategy(strategy, frame, params, {
    symbol,
    timeframe,
    ...(options.signal ? { signal: options.signal } : {}),
  });
  const bt = await runBacktest({ frame, strategy, params, options: btOptions, timeframe, benchmark: false });

  const ownDir = options.dataDir === undefined;
  const dataDir = options.dataDir ?? await Deno.makeTempDir({ prefix: "sentinel-parity-" });
  const fills: ParityOrder[] = [];
  let runnerEquity = NaN;
  let error: string | undefined;
  try {
    using runner = await PaperRunner.open({
      account: accountName(),
      dataDir,
      sleeves: [{ id: "parity", strategy, params, symbol, options: btOptions }],
      risk: noLimitsRiskConfig(),
      startingCash: parseBacktestOptions(btOptions).cash,
      mode: "replay",
      timeframe,
    });
    try {
      await runner.run(new ReplayFeed({ frames: { [symbol]: frame }, timeframe }), {
        ...(options.signal ? { signal: options.signal } : {}),
        ...(options.onProgress ? { onProgress: options.onProgress } : {}),
      });
    } catch (e) {
      error = String((e as Error)?.message ?? e);
    }
    runnerEquity = runner.equity();
    for (const e of runner.log.query({ kind: "order_filled", limit: Number.MAX_SAFE_INTEGER })) {
      if (e.kind !== "order_filled") continue;
      // In replay mode an event's time is its batch's decision time: the bar's open plus one timeframe.
      const t = e.ts - tfMs;
      const k = frame.indexAt(t);
      const bar = k < frame.length && frame.ts[k] === t ? k : -1;
      fills.push({ bar, ts: t, side: e.payload.side, size: e.payload.qty, price: e.payload.price });
    }
  } finally {
    if (ownDir) await Deno.remove(dataDir, { recursive: true }).catch(() => {});
  }

  const expected: ParityOrder[] = bt.orders.map((o) => ({
    bar: o.index,
    ts: o.ts,
    side: o.side,
    size: o.size,
    price: o.price,
  }));
  const firstDifference = error === undefined
    ? compareOrders(expected, fills, bt.finalEquity, runnerEquity)
    : undefined;
  const ok = error === undefined && firstDifference === undefined;
  const lookAhead = ok ? undefined : findLookAhead(strategy, params, frame);
  return {
    ok,
    strategy: strategy.name,
    params: params as Record<string, unknown>,
    bars: frame.length,
    timeframe,
    orders: { backtest: expected.length, runner: fills.length },
    equity: { backtest: bt.finalEquity, runner: runnerEquity },
    ...(firstDifference ? { firstDifference } : {}),
    ...(lookAhead ? { lookAhead } : {}),
    ...(error !== undefined ? { error } : {}),
    notes,
    elapsedMs: Math.round(performance.now() - started),
  };
}

function compareOrders(
  bt: readonly ParityOrder[],
  run: readonly ParityOrder[],
  btEquity: number,
  runEquity: number,
): ParityDifference | undefined {
  const n = Math.max(bt.length, run.length);
  for (let k = 0; k < n; k++) {
    const a = bt[k], b = run[k];
    if (a === undefined) return { index: k, runner: b!, field: "extra" };
    if (b === undefined) return { index: k, backtest: a, field: "missing" };
    const field = !Object.is(a.bar, b.bar)
      ? "bar"
      : a.side !== b.side
      ? "side"
      : !Object.is(a.size, b.size)
      ? "size"
      : !Object.is(a.price, b.price)
      ? "price"
      : undefined;
    if (field !== undefined) return { index: k, backtest: a, runner: b, field };
  }
  if (!Object.is(btEquity, runEquity)) return { index: n, field: "equity" };
  return undefined;
}

function resolveSingle<P>(s: Strategy<P> | string): Strategy<P> {
  const strategy: AnyStrategy = typeof s === "string" ? registry.get(s) : s;
  if (isPortfolioStrategy(strategy)) {
    throw new TypeError(
      `strategy ${JSON.stringify(strategy.name)} is a portfolio strategy (target weights over several assets): ` +
        "the paper runner trades one symbol per sleeve, so the parity check takes single-asset strategies only",
    );
  }
  return strategy as Strategy<P>;
}
