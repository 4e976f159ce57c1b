import type { Frame } from "../frame/mod.ts";
import type { Signals, SignalSet } from "../types/mod.ts";
import type { BacktestOptions, BacktestOptionsInput } from "./backtest_options.ts";
import { parseBacktestOptions } from "./parse_backtest_options.ts";
import { SimResult } from "./sim_result.ts";
import { SingleBook } from "./_single_book.ts";
import { R_REVERSAL, R_SIGNAL, R_STOP_LOSS } from "./_event_log.ts";
import { simulatePortfolio } from "./simulate_portfolio.ts";
import { stopPrice } from "./_stops.ts";
import { actionEnter, actionExit, signalAction } from "./_signal_action.ts";
import { finishSingleRun, Outputs } from "./_sim_outputs.ts";
import { type LoopInput, loopInput } from "./_loop_input.ts";

/**
 * Simulates one asset: signals (or target weights) -> orders -> fills -> cash, position and equity
 * per bar, in one pass over the frame's typed arrays. Orders and trades are allocated only when
 * they happen. Same inputs give identical outputs.
 *
 * Per bar t, in this order: (1) with `fill: "next_open"`, the order decided at t-1 fills at
 * open[t]; (2) stops are checked on bar t's open/high/low (from the entry bar itself for
 * next-open entries, from the next bar for close entries); (3) the signals of bar t are read
 * and fill at close[t] (`fill: "close"`) or are queued for open[t+1]; (4) equity is marked at
 * close[t]. If it is <= 0 the account is ruined: any position is closed at that close (exit
 * reason `end`), `ruinedAt` is set and nothing trades any more.
 *
 * A NaN price is a bar without a price: an order due at a NaN open (next-open) or NaN close
 * (close fills) is dropped and counted in `skipped.missingBar`, and a NaN close is marked at the
 * last known close (finalize too), so NaNs never reach cash or equity.
 *
 * Signal arrays must be Uint8Arrays of 0/1 (`entries` and `exits` required); anything else throws.
 *
 * Signal rules: no pyramiding (entries while in a position of that side are ignored); when flat,
 * an entry with an exit of the same side on the same bar, or long and short entries together,
 * do nothing. Needs `close`; `open` for next-open fills; `open`, `high`, `low` for stops.
 * A {@link WeightSet} runs through {@link simulatePortfolio} with this one asset (stops as there).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { Frame } from "../frame/mod.ts";
 * import { simulate } from "./simulate.ts";
 * const f = Frame.fromBars([100, 110, 121].map((c, i) => ({ ts: i, open: c, high: c, low: c, close: c, volume: 1 })));
 * const r = simulate(f, { kind: "signals", entries: new Uint8Array([1, 0, 0]), exits: new Uint8Array([0, 1, 0]) }, {
 *   cash: 1000,
 * });
 * // Entry at bar 1's open (110), exit at bar 2's open (121): 1000 * 121 / 110 = 1100.
 * assert.equal(r.trades.length, 1);
 * assert.equal(r.finalEquity, 1100);
 * ```
 */
export function simulate(frame: Frame, signals: Signals, options: BacktestOptionsInput = {}): SimResult {
  const o = parseBacktestOptions(options);
  if (signals.kind === "weights") {
    const p = simulatePortfolio({ [o.asset]: frame }, { [o.asset]: signals }, o);
    return new SimResult({
      ts: p.ts,
      orders: p.orders,
      trades: p.trades,
      equity: p.equity,
      cash: p.cash,
      position: p.positions[o.asset]!,
      exposure: p.exposure,
      turnover: p.turnover,
      feesPaid: p.feesPaid,
      skipped: p.skipped,
      ruinedAt: p.ruinedAt,
      options: o,
    });
  }
  if (signals.kind !== "signals") {
    throw new TypeError(
      `signals.kind must be "signals" or "weights", got ${JSON.stringify((signals as { kind: unknown }).kind)}`,
    );
  }
  return runSignals(frame, signals, o);
}

function runSignals(frame: Frame, s: SignalSet, o: BacktestOptions): SimResult {
  const n = frame.length;
  const ts = frame.ts;
  const inp = loopInput(frame, s, o, "stops");

  const book = new SingleBook(o, ts);
  const out = new Outputs(n, inp.close);
  barLoop(book, out, inp);
  return finishSingleRun(book, out, o, ts);
}

/**
 * The hot loop, kept apart from the setup and wrap-up code: V8 deoptimizes a function when it
 * reaches code it has no type feedback for, and code after a long loop has none on early calls.
 */
function barLoop(book: SingleBook, out: Outputs, inp: LoopInput): void {
  const { open, high, low, close, le, lx, se, sx, shorts, stopsOn, fillClose } = inp;
  const o = book.o;
  const n = close.length;
  const sl = o.stopLoss ?? 0, tp = o.takeProfit ?? 0, tr = o.trailingStop ?? 0;
  let pendExit = 0, pendEnter = 0;

  // Cash and position change only at orders, so outputs are written per segment between orders
  // (out.flush), which also finds the first close with equity <= 0: nothing changes inside a
  // segment, so that is the bar a per-bar check would have found.
  for (let i = 0; i < n; i++) {
    if (pendExit !== 0 || pendEnter !== 0) {
      if (out.flush(i, book)) break;
      const ref = open[i]!;
      // A NaN open is a bar without a price: the order due there is dropped, never filled at NaN.
      if (ref !== ref) book.skipped.missingBar++;
      else {
        if (pendExit !== 0 && book.pos !== 0) book.close(ref, i, pendExit === 2 ? R_REVERSAL : R_SIGNAL);
        if (pendEnter !== 0 && book.pos === 0) book.open(pendEnter, ref, i);
      }
      pendExit = 0;
      pendEnter = 0;
    }
    if (stopsOn && book.pos !== 0 && i >= book.stopFrom) {
      const ref = stopPrice(book, open[i]!, high[i]!, low[i]!, sl, tp, tr);
      if (ref === ref) {
        if (out.flush(i, book)) break;
        book.close(ref, i, R_STOP_LOSS + book.stopReason);
      }
    }
    if ((le[i]! | lx[i]!) !== 0 || (shorts && (se[i]! | sx[i]!) !== 0)) {
      const code = signalAction(book.pos, le[i]!, lx[i]!, se[i]!, sx[i]!);
      const exit = actionExit(code), enter = actionEnter(code);
      if (exit !== 0 || enter !== 0) {
        if (fillClose) {
          if (out.flush(i, book)) break;
          const ref = close[i]!;
          if (ref !== ref) book.skipped.missingBar++;
          else {
            if (exit !== 0) book.close(ref, i, exit === 2 ? R_REVERSAL : R_SIGNAL);
            if (enter !== 0) book.open(enter, ref, i);
          }
        } else if (i + 1 < n) {
          pendExit = exit;
          pendEnter = enter;
        }
      }
    }
  }
}
