import type { Frame } from "../frame/mod.ts";
import { type RiskConfig, RiskSession, type RiskSessionBar } from "../risk/mod.ts";
import type { OrderIntent, Signals, SignalSet } from "../types/mod.ts";
import type { BacktestOptions, BacktestOptionsInput } from "./backtest_options.ts";
import { parseBacktestOptions } from "./parse_backtest_options.ts";
import { type DeniedOrder, SimResult } from "./sim_result.ts";
import { entryUnits, SKIP_CASH, SKIP_LOT } from "./_costs.ts";
import { R_END, R_REVERSAL, R_SIGNAL, R_STOP_LOSS } from "./_event_log.ts";
import { actionEnter, actionExit, signalAction } from "./_signal_action.ts";
import { finishSingleRun, Outputs } from "./_sim_outputs.ts";
import { type LoopInput, loopInput } from "./_loop_input.ts";
import { SingleBook } from "./_single_book.ts";
import { stopPrice } from "./_stops.ts";

/** The risk side of {@link simulateWithRisk}. */
export interface SimulateRiskOptions {
  /** The risk limits (a `RiskConfig`, as `loadRiskConfig` / `parseRiskConfig` return it). */
  config: RiskConfig;
  /** Strategy name written into the intents (selects the config's per-strategy override block). */
  strategy: string;
  /** Bar duration in ms: a bar's close time, the risk clock, is its open time plus this. */
  barMs: number;
  /** Symbol written into the intents (the symbol rules compare it). Default the options' `asset`. */
  symbol?: string;
}

/** Account name of the intents of a backtest. */
export const BACKTEST_ACCOUNT = "backtest";

/**
 * {@link simulate} with every order first decided by a `RiskSession` (lib/risk), the one the paper runner uses,
 * so a backtest shows what the risk limits would have allowed. Without denials the orders, trades and equity are
 * exactly those of `simulate` (same books, stop rule and signal rule); `simulate` itself is untouched, so runs
 * without limits pay nothing for them.
 *
 * When an order is decided: at the bar its signal is read (bar t, before a next-open fill at t+1), with
 * `now` = bar t's close time (`ts[t] + barMs`), `price` = close[t] (the last known close if NaN), `qty` = the units
 * the entry would buy at close[t] with the run's costs and sizing (after the exit, for a reversal) or the position
 * for an exit, `reduceOnly` for exits, `barTs` = ts[t], `clientOrderId` `bt-<t>-<n>`, account `backtest`. A stop
 * (stop-loss, take-profit, trailing) is decided when it triggers, at its fill price, `now` = that bar's close time.
 * A reversal is two intents, the exit then the entry (a denied exit drops the entry too). A denied order does not
 * happen (a denied exit keeps the position), is listed in `denied` and counted in `skipped.risk`.
 *
 * Per bar t: next-open fills (`onFill`, `onTradeClosed` for the trade each closes), `onBar` (bar t closed), stops,
 * signals (close fills), then `markEquity` at close[t]. A pause or kill verdict moves the account as in the runner;
 * on a kill with `flattenOnKill` the position is closed at the next fill (reason `end`, not decided: the engine
 * denies everything while halted). The final `finalize: "close"` is accounting, not an order: it is not decided.
 *
 * One difference from `simulate`: an entry that the sizing refuses at close[t] (too little cash, zero lots, under
 * the minimum notional) is skipped at the decision, counted under that cause, not retried at the next open.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { Frame } from "../frame/mod.ts";
 * import { DEFAULT_RISK_CONFIG, type RiskConfig } from "../risk/mod.ts";
 * import { simulateWithRisk } from "./simulate_with_risk.ts";
 * const c = [100, 101, 102, 103, 104];
 * const f = Frame.fromBars(c.map((x, i) => ({ ts: i * 86_400_000, open: x, high: x, low: x, close: x, volume: 1 })));
 * const signals = { kind: "signals", entries: Uint8Array.of(1, 0, 0, 0, 0), exits: new Uint8Array(5) } as const;
 * // The default config denies any entry without a volatility figure yet (20 returns of warm-up).
 * const r = simulateWithRisk(f, signals, { fill: "close" }, {
 *   config: DEFAULT_RISK_CONFIG as RiskConfig, strategy: "demo", barMs: 86_400_000,
 * });
 * assert.equal(r.orders.length, 0);
 * assert.equal(r.denied[0]?.code, "volatility_halt");
 * assert.equal(r.skipped.risk, 1);
 * ```
 */
export function simulateWithRisk(
  frame: Frame,
  signals: Signals,
  options: BacktestOptionsInput,
  risk: SimulateRiskOptions,
): SimResult {
  const o = parseBacktestOptions(options);
  if (signals.kind !== "signals") {
    throw new TypeError(
      `risk limits apply to signal runs; got signals.kind ${
        JSON.stringify((signals as { kind: unknown }).kind)
      } (target weights): run it without risk limits`,
    );
  }
  if (!(risk.barMs > 0 && Number.isFinite(risk.barMs))) {
    throw new RangeError(`barMs must be the bar duration in ms (> 0), got ${risk.barMs}; pass the timeframe's ms`);
  }
  return runRisk(frame, signals, o, risk);
}

/** The run's risk bookkeeping: the session, the denials and the intents' fixed fields. */
class RiskRun {
  readonly session: RiskSession;
  readonly denied: DeniedOrder[] = [];
  readonly symbol: string;
  readonly strategy: string;
  readonly barMs: number;
  readonly ts: Float64Array;
  readonly book: SingleBook;
  /** Orders and trades of the book already reported to the session. */
  ordersSeen = 0;
  tradesSeen = 0;
  /** Orders decided on the current bar (the n of `bt-<t>-<n>`). */
  n = 0;
  // Reused for every onBar: no object per bar.
  readonly bar: RiskSessionBar = { symbol: "", openTime: 0, closeTime: 0, open: 0, high: 0, low: 0, close: 0 };

  constructor(book: SingleBook, ts: Float64Array, o: BacktestOptions, risk: SimulateRiskOptions) {
    this.book = book;
    this.ts = ts;
    this.symbol = risk.symbol ?? o.asset;
    this.strategy = risk.strategy;
    this.barMs = risk.barMs;
    this.session = new RiskSession({
      config: risk.config,
      account: BACKTEST_ACCOUNT,
      cash: o.cash,
      now: ts.length ? ts[0]! : 0,
    });
    this.bar.symbol = this.symbol;
    book.skipped.risk = 0;
  }

  onBar(i: number, open: number, high: number, low: number, close: number): void {
    const b = this.bar, t = this.ts[i]!;
    b.openTime = t;
    b.closeTime = t + this.barMs;
    b.open = open;
    b.high = high;
    b.low = low;
    b.close = close;
    this.session.onBar(b);
  }

  /** Decides one order of bar `i`; true when allowed. A denial is listed and counted. */
  decide(i: number, buy: boolean, qty: number, price: number, reduceOnly: boolean): boolean {
    const t = this.ts[i]!;
    const intent: OrderIntent = {
      clientOrderId: `bt-${i}-${this.n++}`,
      account: BACKTEST_ACCOUNT,
      strategy: this.strategy,
      symbol: this.symbol,
      side: buy ? "buy" : "sell",
      qty,
      price,
      type: "market",
      reduceOnly,
      barTs: t,
    };
    const v = this.session.decide(intent, t + this.barMs);
    if (v.ok) return true;
    this.book.skipped.risk!++;
    this.denied.push({ bar: i, ts: t, side: intent.side, reduceOnly, code: v.code, level: v.level, detail: v.detail });
    return false;
  }

  /** Reports the book's new orders (fills) and closed trades to the session. */
  sync(now: number): void {
    const orders = this.book.orders, trades = this.book.trades;
    for (let k = this.ordersSeen; k < orders.length; k++) {
      const i = orders.index[k]!;
      this.session.onFill({
        clientOrderId: `bt-fill-${k}`,
        symbol: this.symbol,
        side: orders.buy[k]! ? "buy" : "sell",
        qty: orders.size[k]!,
        price: orders.price[k]!,
        fee: orders.fee[k]!,
        ts: Math.round(this.ts[i]!),
      }, now);
    }
    this.ordersSeen = orders.length;
    for (let k = this.tradesSeen; k < trades.length; k++) this.session.onTradeClosed(trades.pnl[k]!, now);
    this.tradesSeen = trades.length;
  }
}

function runRisk(frame: Frame, s: SignalSet, o: BacktestOptions, risk: SimulateRiskOptions): SimResult {
  const n = frame.length;
  const ts = frame.ts;
  const inp = loopInput(frame, s, o, "frame");

  const book = new SingleBook(o, ts);
  const out = new Outputs(n, inp.close);
  const run = new RiskRun(book, ts, o, risk);
  riskLoop(book, out, run, inp);
  return finishSingleRun(book, out, o, ts, run.denied);
}

/**
 * Units an entry of side `dir` would buy at reference `ref` (costs applied), after closing the current position
 * there first for a reversal; a negative SKIP_* code when the sizing refuses it. Mirrors SingleBook's arithmetic.
 */
function entrySize(book: SingleBook, dir: number, ref: number): number {
  const o = book.o;
  let cash = book.cash;
  const pos = book.pos;
  if (pos > 0) {
    const notional = pos * (ref * book.sellMul);
    const fee = notional * o.fee + o.fixedFee;
    cash += notional - fee;
  } else if (pos < 0) {
    const notional = -pos * (ref * book.buyMul);
    const fee = notional * o.fee + o.fixedFee;
    cash -= notional + fee;
  }
  const price = dir > 0 ? ref * book.buyMul : ref * book.sellMul;
  return entryUnits(o, price, cash, cash);
}

function countSkip(book: SingleBook, code: number): void {
  if (code === SKIP_CASH) book.skipped.insufficientCash++;
  else if (code === SKIP_LOT) book.skipped.lotZero++;
  else book.skipped.minNotional++;
}

/**
 * simulate.ts's bar loop with a decision before each order (see {@link simulateWithRisk}). Flushes happen where
 * simulate's do, so an undenied run sums its equity in the same order and matches it to the bit.
 */
function riskLoop(book: SingleBook, out: Outputs, run: RiskRun, inp: LoopInput): void {
  const { open, high, low, close, le, lx, se, sx, shorts, stopsOn, fillClose } = inp;
  const o = book.o;
  const n = close.length;
  const sl = o.stopLoss ?? 0, tp = o.takeProfit ?? 0, tr = o.trailingStop ?? 0;
  const barMs = run.barMs, ts = run.ts;
  let pendExit = 0, pendEnter = 0;

  for (let i = 0; i < n; i++) {
    const now = ts[i]! + barMs;
    run.n = 0;
    if (pendExit !== 0 || pendEnter !== 0) {
      if (out.flush(i, book)) break;
      const ref = open[i]!;
      if (ref !== ref) book.skipped.missingBar++;
      else {
        if (pendExit !== 0 && book.pos !== 0) {
          book.close(ref, i, pendExit === 2 ? R_REVERSAL : pendExit === 3 ? R_END : R_SIGNAL);
        }
        if (pendEnter !== 0 && book.pos === 0) book.open(pendEnter, ref, i);
        run.sync(now);
      }
      pendExit = 0;
      pendEnter = 0;
    }
    run.onBar(i, open[i]!, high[i]!, low[i]!, close[i]!);
    if (stopsOn && book.pos !== 0 && i >= book.stopFrom) {
      const ref = stopPrice(book, open[i]!, high[i]!, low[i]!, sl, tp, tr);
      if (ref === ref) {
        if (out.flush(i, book)) break;
        const pos = book.pos;
        if (run.decide(i, pos < 0, pos < 0 ? -pos : pos, ref, true)) {
          book.close(ref, i, R_STOP_LOSS + book.stopReason);
          run.sync(now);
        }
      }
    }
    if ((le[i]! | lx[i]!) !== 0 || (shorts && (se[i]! | sx[i]!) !== 0)) {
      const code = signalAction(book.pos, le[i]!, lx[i]!, se[i]!, sx[i]!);
      let exit = actionExit(code), enter = actionEnter(code);
      if ((exit !== 0 || enter !== 0) && (fillClose || i + 1 < n)) {
        if (fillClose && out.flush(i, book)) break;
        let ref = close[i]!;
        if (ref !== ref && !fillClose) ref = out.markAt(i);
        // A close fill at a NaN close is dropped below, as in simulate; nothing to decide.
        if (ref === ref) {
          const pos = book.pos;
          if (exit !== 0 && !run.decide(i, pos < 0, pos < 0 ? -pos : pos, ref, true)) exit = enter = 0;
          if (enter !== 0) {
            const units = entrySize(book, enter, ref);
            if (units < 0) {
              // simulate's book skips it at the fill; a close fill still does so, identically.
              if (!fillClose) countSkip(book, units), (enter = 0);
            } else if (!run.decide(i, enter > 0, units, ref, false)) enter = 0;
            // The exit half of a reversal whose entry is denied is a plain exit.
            if (enter === 0 && exit === 2) exit = 1;
          }
        }
        if (fillClose) {
          if (ref !== ref) book.skipped.missingBar++;
          else if (exit !== 0 || enter !== 0) {
            if (exit !== 0) book.close(ref, i, exit === 2 ? R_REVERSAL : R_SIGNAL);
            if (enter !== 0) book.open(enter, ref, i);
            run.sync(now);
          }
        } else {
          pendExit = exit;
          pendEnter = enter;
        }
      }
    }
    // Equity at close[t], after the bar's fills, as out.flush will write it.
    const pos = book.pos;
    let equity = book.cash;
    if (pos !== 0) {
      equity = book.cash + pos * close[i]!;
      if (equity !== equity) equity = book.cash + pos * out.markAt(i);
    }
    if (equity <= 0 && out.flush(i + 1, book)) break;
    if (equity === equity) {
      const v = run.session.markEquity(equity, now);
      if (v !== null && v.level === "kill" && run.session.flattenOnKill && book.pos !== 0) {
        // The kill closes the position at the next fill; the engine denies everything while halted.
        pendEnter = 0;
        if (fillClose) {
          if (out.flush(i, book)) break;
          const ref = out.markAt(i);
          if (ref === ref) {
            book.close(ref, i, R_END);
            run.sync(now);
          }
        } else if (i + 1 < n) pendExit = 3;
      }
    }
  }
}
