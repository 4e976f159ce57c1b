import type { BacktestOptions } from "./backtest_options.ts";
import { R_END } from "./_event_log.ts";
import type { SingleBook } from "./_single_book.ts";
import { type DeniedOrder, SimResult } from "./sim_result.ts";

/**
 * Per-bar outputs, written a segment at a time. Equity is written eagerly; cash and position are
 * constant between orders, so only their segments are recorded and the arrays are built on first
 * access (writing two more fresh 8 MB arrays per million bars costs more than the whole loop).
 */
export class Outputs {
  readonly equity: Float64Array;
  /** Segment k covers bars [segStart[k], segStart[k+1]) with segCash[k] and segPos[k]. */
  readonly segStart: number[] = [];
  readonly segCash: number[] = [];
  readonly segPos: number[] = [];
  /** First bar not written yet. */
  done = 0;
  held = 0;
  eqSum = 0;
  ruinedAt = -1;
  /** {@link markAt} cache: the mark of bar markIndex (a bar with a NaN close). */
  markIndex = -1;
  mark = NaN;

  constructor(readonly n: number, readonly close: Float64Array) {
    this.equity = new Float64Array(n);
  }

  /** Records that bars from `start` on have this cash and position (until the next segment). */
  segment(start: number, cash: number, pos: number): void {
    this.segStart.push(start);
    this.segCash.push(cash);
    this.segPos.push(pos);
  }

  /**
   * Writes bars [done, to) with the book's current state (before any order of bar `to`). If
   * equity at one of those closes is <= 0, ruins the account there: closes the position at that
   * close, fills the rest of the run with the remaining cash, and returns true (stop the loop).
   */
  flush(to: number, book: SingleBook): boolean {
    const from = this.done;
    if (from >= to) return false;
    const cash = book.cash, pos = book.pos;
    this.segment(from, cash, pos);
    const equity = this.equity;
    let ruin = -1;
    if (pos === 0) {
      for (let k = from; k < to; k++) equity[k] = cash;
      // On ruin only bar `from` is summed here; the rest of the run is summed below.
      if (cash <= 0) ruin = from;
      this.eqSum += cash * (ruin < 0 ? to - from : 1);
    } else {
      const close = this.close;
      let sum = 0, k = from;
      for (; k < to; k++) {
        let e = cash + pos * close[k]!;
        if (e !== e) e = cash + pos * this.markAt(k);
        equity[k] = e;
        sum += e;
        if (e <= 0) break;
      }
      this.eqSum += sum;
      if (k < to) ruin = k;
      this.held += (k < to ? k : to) - from;
    }
    this.done = to;
    if (ruin < 0) return false;
    if (book.pos !== 0) {
      this.eqSum -= equity[ruin]!;
      book.close(this.markAt(ruin), ruin, R_END);
      this.eqSum += book.cash;
    }
    this.segment(ruin, book.cash, 0);
    equity.fill(book.cash, ruin);
    this.eqSum += book.cash * (this.n - ruin - 1);
    this.ruinedAt = ruin;
    this.done = this.n;
    return true;
  }

  /**
   * The close of bar k, or the last known (non-NaN) close before it: a bar without a price is
   * marked where the asset last traded. NaN if no bar up to k has one. Cached for runs of NaNs.
   */
  markAt(k: number): number {
    const c = this.close[k]!;
    if (c === c) return c;
    let m = NaN;
    if (this.markIndex === k - 1 && k > 0) m = this.mark;
    else {
      for (let j = k - 1; j >= 0; j--) {
        const x = this.close[j]!;
        if (x === x) {
          m = x;
          break;
        }
      }
    }
    this.markIndex = k;
    this.mark = m;
    return m;
  }

  /** Builds the per-bar cash (which = 0) or position (which = 1) array from the segments. */
  expand(which: 0 | 1): Float64Array {
    const out = new Float64Array(this.n);
    const starts = this.segStart, values = which === 0 ? this.segCash : this.segPos;
    for (let s = 0; s < starts.length; s++) {
      const end = s + 1 < starts.length ? starts[s + 1]! : this.n;
      out.fill(values[s]!, starts[s]!, end);
    }
    return out;
  }
}

/**
 * The wrap-up of a single-asset run after its bar loop, shared by `simulate` and `simulateWithRisk`: writes the
 * bars not flushed yet, closes an open position at the last close (`finalize: "close"`) or reports it as an open
 * trade, and builds the result (`denied` only for risk runs).
 */
export function finishSingleRun(
  book: SingleBook,
  out: Outputs,
  o: BacktestOptions,
  ts: Float64Array,
  denied?: DeniedOrder[],
): SimResult {
  const n = out.n;
  out.flush(n, book);
  if (book.pos !== 0 && n > 0) {
    const last = n - 1, c = out.markAt(last);
    if (o.finalize === "close") {
      book.close(c, last, R_END);
      // Sold at the last close, so flat at that close (as the position array says).
      out.held--;
      out.eqSum += book.cash - out.equity[last]!;
      out.equity[last] = book.cash;
      out.segment(last, book.cash, 0);
    } else {
      book.markOpen(c, last);
    }
  }
  return new SimResult({
    ts,
    orders: () => book.orders.toOrders(ts, o.asset),
    trades: () => book.trades.toTrades(ts, o.asset),
    equity: out.equity,
    cash: () => out.expand(0),
    position: () => out.expand(1),
    exposure: n ? out.held / n : NaN,
    turnover: n ? book.traded / (out.eqSum / n) : NaN,
    feesPaid: book.feesPaid,
    skipped: book.skipped,
    ruinedAt: out.ruinedAt,
    options: o,
    ...(denied !== undefined ? { denied } : {}),
  });
}
