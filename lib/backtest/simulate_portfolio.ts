import type { Frame } from "../frame/mod.ts";
import type { Signals } from "../types/mod.ts";
import type { BacktestOptions, BacktestOptionsInput } from "./backtest_options.ts";
import { alignFrames, type Alignment } from "./align_frames.ts";
import { parseBacktestOptions } from "./parse_backtest_options.ts";
import { PortfolioResult } from "./portfolio_result.ts";
import { PortfolioBook } from "./_portfolio_book.ts";
import { entryBudget, entryUnits, roundLot, sharedEntryUnits, SKIP_CASH, SKIP_LOT } from "./_costs.ts";
import { checkBits } from "./_check_bits.ts";
import { stopPrice, type StopState } from "./_stops.ts";

/** Exit reasons of a stop, by the code stopPrice leaves in `stopReason`. */
const STOP_REASONS = ["stop_loss", "trailing_stop", "take_profit"] as const;

/**
 * Simulates several assets sharing one cash account, on the union of the frames' timestamps.
 *
 * Signals are given per asset, aligned either to the asset's own frame or to the union timeline
 * (see {@link alignFrames}); all assets must use the same kind. An asset without a bar at a union
 * time is marked at its last known close; the gaps are reported in `missing`, never filled in.
 * Missing bars and orders:
 * - `fill: "next_open"`: an order may be decided on any union bar, the asset's bar or not; it is
 *   due at the next union bar's open. If the asset has no bar there, the order stays pending and
 *   fills at the open of the asset's next bar (sized then, with that moment's equity). A newer
 *   decision for the asset replaces a pending order. An order still pending when the data ends,
 *   or due at a bar whose open is NaN, is dropped and counted in `skipped.missingBar`.
 * - `fill: "close"`: an order decided where the asset has no bar (or a NaN close) cannot fill
 *   (there is no close to fill at): it is dropped and counted in `skipped.missingBar`.
 * Weights must be finite or NaN (±Infinity throws); signals must be 0/1.
 *
 * Target weights (`WeightSet`): on a fill step where an asset's weight is finite, its target is
 * `weight * equity / price` units, equity and prices taken at the fill's reference prices (open
 * or close, before costs). All sells are made first, then buys that cover shorts, so their
 * proceeds pay for the buys that open or grow longs. When the cash left does not pay for all of
 * those (fees included), every one is scaled by the same factor
 * `s = (cash - n * fixedFee) / sum(units * price * (1 + fee))` over the `n` buys and then
 * rounded down to the lot (a buy that this leaves at zero lots or under `minNotional` is
 * skipped and `s` worked out again for the rest): the outcome does not depend on the order of
 * the assets, and cash ends at about 0 rather than the last-listed asset being short. Orders
 * are rounded down to the lot; a weight of 0 closes exactly; a change worth under 1e-12 of
 * equity is ignored as rounding noise. A sell whose proceeds do not pay its fees
 * (`units * price * (1 - fee) < fixedFee`) is skipped and counted in `skipped.minNotional`,
 * so a fee alone never takes cash from (or ruins) the account. An order that takes a position
 * through zero is split into a close (`rebalance`) and an opening order (`entry`), each paying
 * `fixedFee`. Weights are clamped to the side `direction` allows. `size` is ignored.
 *
 * Signals (`SignalSet`): the single-asset rules per asset; on each fill step all exits come first,
 * then the entries. What an entry may spend ("available") is equity minus the gross value of open
 * positions, both taken once before the step's entries; `all` spends all of it, `fraction` of
 * equity is capped at it. A single entry is sized exactly as {@link simulate} sizes it. When
 * several entries on one step together ask for more than is available (fees included), each gets
 * the same share `available / sum(asked)` of what it asked for (two `all` entries get half each),
 * then rounded down to the lot and checked against `minNotional`: the order of the assets never
 * decides which one gets the cash.
 *
 * Stops (`stopLoss`, `takeProfit`, `trailingStop`) apply to each asset's open trade on its own,
 * with {@link simulate}'s fill rules on the asset's own bar: on union bar u, after the orders due
 * at the open and before the decisions at the close, each asset with a bar at u and a position is
 * checked on its open, high and low. A gap through a level at the open fills at the open (a gap
 * through the take-profit exits there too); within the bar the stop-loss or trailing stop comes
 * before the take-profit (the pessimistic pick when both are touched) and fills at the level.
 * Levels are fractions of the trade's entry price, the volume-weighted fill price of the orders
 * that opened or grew it; the trailing stop follows the best high (long) or low (short) since the
 * trade opened, starting at its first fill price. Stops are checked from the entry bar on for
 * `next_open` fills and from the next bar for `close` fills. A stop closes the whole position
 * (exit reason `stop_loss`, `trailing_stop` or `take_profit`, costs applied) and the cash joins
 * the account. An asset without a bar at u is not checked there: its next bar's open decides.
 * After a stop the asset stays flat until a new decision: the next finite target weight or the
 * next entry signal (which may come at the close of the same bar, as in simulate). With stops on,
 * every frame needs open, high and low.
 *
 * Finalize closes at each asset's last
 * known close, on the last union bar. Equity <= 0 at a close ruins the account as in
 * {@link simulate}: every position is closed at its last close and trading stops.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { Frame } from "../frame/mod.ts";
 * import { simulatePortfolio } from "./simulate_portfolio.ts";
 * const a = new Frame(new Float64Array([0, 1, 2]), { close: new Float64Array([10, 10, 10]) });
 * const b = new Frame(new Float64Array([0, 2]), { close: new Float64Array([5, 5]) });
 * const w = (x: number[]) => ({ kind: "weights" as const, weights: new Float64Array(x) });
 * const r = simulatePortfolio({ a, b }, { a: w([0.5, NaN, NaN]), b: w([0.5, NaN]) }, { fill: "close" });
 * assert.equal(r.missing.b!.count, 1);
 * assert.deepEqual(r.missing.b!.first, [1]);
 * assert.equal(r.finalEquity, 10_000);
 * ```
 */
export function simulatePortfolio(
  frames: Record<string, Frame>,
  signals: Record<string, Signals>,
  options: BacktestOptionsInput = {},
): PortfolioResult {
  const o = parseBacktestOptions(options);
  const stopsOn = o.stopLoss !== null || o.takeProfit !== null || o.trailingStop !== null;
  const names = Object.keys(frames);
  if (names.length === 0) throw new RangeError("simulatePortfolio needs at least one frame, got none");
  const sigNames = Object.keys(signals);
  if (sigNames.length !== names.length || names.some((n) => !(n in signals))) {
    throw new RangeError(
      `signals must have exactly the frames' assets ${JSON.stringify(names)}, got ${JSON.stringify(sigNames)}`,
    );
  }
  const kinds = new Set(names.map((n) => signals[n]!.kind));
  if (kinds.size !== 1) {
    throw new TypeError(`all assets must use the same signals kind, got ${JSON.stringify([...kinds])}`);
  }
  const weightsMode = kinds.has("weights");
  if (!weightsMode && !kinds.has("signals")) {
    throw new TypeError(`signals kind must be "signals" or "weights", got ${JSON.stringify([...kinds])}`);
  }

  const al = alignmentOf(frames, names);
  const U = al.ts.length, A = names.length;
  const fillClose = o.fill === "close";
  const idx = names.map((n) => al.index[n]!);
  const closes = names.map((n) => frames[n]!.close);
  const opens = fillClose ? closes : names.map((n) => frames[n]!.open);
  // Stops read every asset's own open, high and low (a close fill's opens are the closes above).
  const stopCol = (col: "open" | "high" | "low"): Float64Array[] =>
    stopsOn ? names.map((n) => ohlc(frames[n]!, n, col)) : [];
  const SO = stopCol("open"), SH = stopCol("high"), SL = stopCol("low");
  const sl = o.stopLoss ?? 0, tp = o.takeProfit ?? 0, tr = o.trailingStop ?? 0;
  // One reused state for stopPrice: no allocation per bar.
  const st: StopState = { pos: 0, entryPrice: 0, best: 0, stopReason: 0 };
  const onUnion = (n: string, len: number): boolean => {
    const own = frames[n]!.length;
    if (len === own) return false;
    if (len === U) return true;
    throw new RangeError(
      `signals for ${JSON.stringify(n)} have ${len} elements; expected ${own} (its frame) or ${U} (the union timeline)`,
    );
  };
  // Per asset, union-aligned inputs, built once.
  const W: Float64Array[] = [];
  const LE: Uint8Array[] = [], LX: Uint8Array[] = [], SE: Uint8Array[] = [], SX: Uint8Array[] = [];
  for (let a = 0; a < A; a++) {
    const n = names[a]!, s = signals[n]!, map = idx[a]!;
    if (s.kind === "weights") {
      if (!(s.weights instanceof Float64Array)) {
        throw new TypeError(`weights of ${JSON.stringify(n)} must be a Float64Array`);
      }
      for (let i = 0; i < s.weights.length; i++) {
        const x = s.weights[i]!;
        if (x - x !== 0 && x === x) {
          throw new RangeError(
            `weights of ${JSON.stringify(n)}[${i}] is ${x}; use a finite weight, or NaN for "keep what is held"`,
          );
        }
      }
      W.push(onUnion(n, s.weights.length) ? s.weights : spread(s.weights, map, NaN));
    } else {
      const side = sides(s, o, n);
      const conv = (x: Uint8Array): Uint8Array => onUnion(n, x.length) ? x : spread8(x, map);
      LE.push(conv(side[0] ?? new Uint8Array(frames[n]!.length)));
      LX.push(conv(side[1] ?? new Uint8Array(frames[n]!.length)));
      SE.push(conv(side[2] ?? new Uint8Array(frames[n]!.length)));
      SX.push(conv(side[3] ?? new Uint8Array(frames[n]!.length)));
    }
  }

  const book = new PortfolioBook(o, names, al.ts);
  const units = book.units;
  const lastClose = new Float64Array(A).fill(NaN);
  const refs = new Float64Array(A);
  const target = new Float64Array(A).fill(NaN), pendW = new Float64Array(A).fill(NaN);
  const exitA = new Int8Array(A), enterA = new Int8Array(A), pendExit = new Int8Array(A), pendEnter = new Int8Array(A);
  const stepW = new Float64Array(A), stepExit = new Int8Array(A), stepEnter = new Int8Array(A);
  const delta = new Float64Array(A), grow = new Float64Array(A), budget = new Float64Array(A);
  const equity = new Float64Array(U), cash = new Float64Array(U);
  const positions: Record<string, Float64Array> = {};
  const posArr = names.map((n) => (positions[n] = new Float64Array(U)));
  let pending = false, ruinedAt = -1, held = 0, eqSum = 0;

  const rebalance = (tw: Float64Array, u: number): void => {
    const E = book.equity(refs, lastClose);
    for (let a = 0; a < A; a++) {
      delta[a] = 0;
      let w = tw[a]!;
      if (w !== w) continue;
      const ref = refs[a]!;
      if (ref !== ref) {
        book.skipped.missingBar++;
        continue;
      }
      if (o.direction === "long" && w < 0) w = 0;
      else if (o.direction === "short" && w > 0) w = 0;
      tw[a] = w;
      const d = w === 0 ? -units[a]! : (w * E) / ref - units[a]!;
      if (w === 0 || Math.abs(d * ref) > 1e-12 * Math.abs(E)) delta[a] = d;
    }
    for (let a = 0; a < A; a++) if (delta[a]! < 0) trade(a, delta[a]!, tw[a] === 0, u);
    // Buys that cover a short come next, in full; a cover that goes on through zero leaves the
    // rest in `grow`, with the buys that open or grow a long.
    for (let a = 0; a < A; a++) {
      grow[a] = 0;
      const d = delta[a]!;
      if (!(d > 0)) continue;
      const cur = units[a]!;
      if (cur >= 0) {
        const q = roundLot(d, o.lot);
        if (q > 0) grow[a] = q;
        else book.skipped.lotZero++;
        continue;
      }
      const abs = -cur;
      let q = tw[a] === 0 ? d : roundLot(d, o.lot);
      if (tw[a] !== 0 && Math.abs(abs - q) <= 1e-9 * abs) q = abs;
      if (q > abs) {
        fill(a, abs, true, u);
        if (units[a] === 0) grow[a] = roundLot(q - abs, o.lot);
      } else trade(a, d, tw[a] === 0, u);
    }
    buyProRata(u);
  };

  /**
   * Makes the buys in `grow`, all scaled by one factor when the cash does not pay for them all:
   * s = (cash - n * fixedFee) / sum(units * price * (1 + fee)) over the n buys, then each is
   * rounded down to the lot. A buy that the scaling rounds to zero lots or below minNotional is
   * left out and s is worked out again for the others, so no asset's place in the list matters.
   */
  const buyProRata = (u: number): void => {
    let scale = 1;
    for (let pass = 0; pass <= A; pass++) {
      let n = 0, need = 0;
      for (let a = 0; a < A; a++) {
        if (!(grow[a]! > 0)) continue;
        n++;
        need += grow[a]! * refs[a]! * book.buyMul * (1 + o.fee);
      }
      if (n === 0) return;
      const room = book.cash - n * o.fixedFee;
      scale = need + n * o.fixedFee <= book.cash ? 1 : room / need;
      if (!(scale > 0)) {
        for (let a = 0; a < A; a++) if (grow[a]! > 0) book.skipped.insufficientCash++;
        return;
      }
      if (scale === 1) break;
      let dropped = false;
      for (let a = 0; a < A; a++) {
        const g = grow[a]!;
        if (!(g > 0)) continue;
        const q = roundLot(g * scale, o.lot);
        if (!(q > 0)) (grow[a] = 0), book.skipped.lotZero++, (dropped = true);
        else if (q * refs[a]! * book.buyMul < o.minNotional) {
          grow[a] = 0;
          book.skipped.minNotional++;
          dropped = true;
        }
      }
      if (!dropped) break;
    }
    for (let a = 0; a < A; a++) {
      const g = grow[a]!;
      if (g > 0) fill(a, scale === 1 ? g : roundLot(g * scale, o.lot), true, u);
    }
  };

  const trade = (a: number, d: number, toZero: boolean, u: number): void => {
    const cur = units[a]!, buy = d > 0;
    const abs = Math.abs(cur);
    let q = Math.abs(d);
    if (!toZero) {
      q = roundLot(q, o.lot);
      if (!(q > 0)) return void book.skipped.lotZero++;
      if (cur !== 0 && (cur > 0) !== buy && Math.abs(abs - q) <= 1e-9 * abs) q = abs;
    }
    if (cur !== 0 && (cur > 0) !== buy && q > abs) {
      // Through zero: close first, then open the rest as its own order, sized with the cash the
      // close left (so its fixedFee is paid for too) and checked against minNotional on its own.
      fill(a, abs, buy, u);
      if (units[a] === 0) fill(a, roundLot(q - abs, o.lot), buy, u);
    } else fill(a, q, buy, u);
  };

  /** One order that does not cross zero, cut to the cash when it buys. */
  const fill = (a: number, qty: number, buy: boolean, u: number): void => {
    const ref = refs[a]!, cur = units[a]!;
    let q = qty;
    if (!(q > 0)) return void book.skipped.lotZero++;
    if (buy) {
      const price = ref * book.buyMul;
      const most = (book.cash - o.fixedFee) / (price * (1 + o.fee));
      if (q > most) {
        q = roundLot(most, o.lot);
        if (!(q > 0)) return void book.skipped.insufficientCash++;
      }
    }
    const fullClose = cur !== 0 && (cur > 0) !== buy && q === Math.abs(cur);
    // minNotional is checked on the notional actually traded (fill price), as entryUnits does.
    if (!fullClose && q * ref * (buy ? book.buyMul : book.sellMul) < o.minNotional) {
      return void book.skipped.minNotional++;
    }
    // A sell that brings less than its fees would take cash from the account for nothing (and
    // could ruin it alone): skipped like an order below minNotional.
    if (!buy && q * ref * book.sellMul * (1 - o.fee) < o.fixedFee) return void book.skipped.minNotional++;
    book.order(a, q, buy, ref, u, "rebalance");
  };

  const signalStep = (ex: Int8Array, en: Int8Array, u: number): void => {
    for (let a = 0; a < A; a++) {
      if (ex[a] === 0 || units[a] === 0) continue;
      if (refs[a] !== refs[a]) {
        book.skipped.missingBar++;
        en[a] = 0;
        continue;
      }
      book.closeAll(a, refs[a]!, u, ex[a] === 2 ? "reversal" : "signal");
    }
    // Entries of this step: each asks for its budget as if it were alone, all from the same equity and
    // available cash; when together they ask for more than is available, every budget is scaled by
    // the same factor (the order of the assets must not decide who gets the cash).
    let n = 0, asked = 0;
    const E = book.equity(refs, lastClose);
    const avail = E - book.gross(refs, lastClose);
    for (let a = 0; a < A; a++) {
      const dir = en[a]!;
      budget[a] = 0;
      if (dir === 0 || units[a] !== 0) continue;
      const ref = refs[a]!;
      if (ref !== ref) {
        book.skipped.missingBar++;
        en[a] = 0;
        continue;
      }
      const price = dir > 0 ? ref * book.buyMul : ref * book.sellMul;
      budget[a] = entryBudget(o, price, E, avail);
      n++;
      asked += budget[a]!;
    }
    if (n === 0) return;
    const share = n > 1 && asked > avail ? avail / asked : 1;
    for (let a = 0; a < A; a++) {
      const dir = en[a]!;
      if (dir === 0 || units[a] !== 0) continue;
      const ref = refs[a]!;
      const price = dir > 0 ? ref * book.buyMul : ref * book.sellMul;
      const q = share === 1 ? entryUnits(o, price, E, avail) : sharedEntryUnits(o, price, budget[a]! * share);
      if (q === SKIP_CASH) book.skipped.insufficientCash++;
      else if (q === SKIP_LOT) book.skipped.lotZero++;
      else if (q < 0) book.skipped.minNotional++;
      else book.order(a, q, dir > 0, ref, u, "signal");
    }
  };

  for (let u = 0; u < U; u++) {
    if (ruinedAt < 0 && pending) {
      // Orders due at this open. An asset without a bar here keeps its order pending until its
      // next bar (it fills at that bar's open); the others are made now (a NaN open drops the
      // order, counted in missingBar, as in simulate).
      pending = false;
      for (let a = 0; a < A; a++) {
        const k = idx[a]![u]!;
        refs[a] = k >= 0 ? opens[a]![k]! : NaN;
        if (k >= 0) {
          stepW[a] = pendW[a]!;
          stepExit[a] = pendExit[a]!;
          stepEnter[a] = pendEnter[a]!;
          pendW[a] = NaN;
          pendExit[a] = 0;
          pendEnter[a] = 0;
        } else {
          stepW[a] = NaN;
          stepExit[a] = 0;
          stepEnter[a] = 0;
          if (pendW[a] === pendW[a] || pendExit[a] !== 0 || pendEnter[a] !== 0) pending = true;
        }
      }
      if (weightsMode) rebalance(stepW, u);
      else signalStep(stepExit, stepEnter, u);
    }
    if (stopsOn && ruinedAt < 0) {
      // Each asset's stops on its own bar (an asset without a bar here is checked at its next
      // one, where a gap through a level fills at that bar's open).
      for (let a = 0; a < A; a++) {
        const k = idx[a]![u]!;
        if (k < 0 || units[a] === 0 || u < book.stopFrom[a]!) continue;
        st.pos = units[a]!;
        st.entryPrice = book.entryPx[a]!;
        st.best = book.best[a]!;
        const ref = stopPrice(st, SO[a]![k]!, SH[a]![k]!, SL[a]![k]!, sl, tp, tr);
        book.best[a] = st.best;
        if (ref === ref) book.closeAll(a, ref, u, STOP_REASONS[st.stopReason]!);
      }
    }
    for (let a = 0; a < A; a++) {
      const k = idx[a]![u]!;
      // A NaN close is no price: nothing fills there and the asset stays marked at its last one.
      const c = k >= 0 ? closes[a]![k]! : NaN;
      refs[a] = c;
      if (c === c) lastClose[a] = c;
    }
    if (ruinedAt < 0) {
      let any = false;
      for (let a = 0; a < A; a++) {
        // With next_open fills the decision bar needs no bar of the asset: the order fills at
        // the asset's next open. A close fill needs the asset's bar (its close) right here.
        const present = !fillClose || idx[a]![u]! >= 0;
        if (weightsMode) {
          const w = W[a]![u]!;
          target[a] = NaN;
          if (w !== w) continue;
          if (!present) {
            book.skipped.missingBar++;
            continue;
          }
          target[a] = w;
          any = true;
        } else {
          exitA[a] = 0;
          enterA[a] = 0;
          const le = LE[a]![u]!, lx = LX[a]![u]!, se = SE[a]![u]!, sx = SX[a]![u]!;
          if ((le | lx | se | sx) === 0) continue;
          if (!present) {
            book.skipped.missingBar++;
            continue;
          }
          const pos = units[a]!;
          if (pos > 0) {
            if (se !== 0) (exitA[a] = 2), (enterA[a] = -1);
            else if (lx !== 0) exitA[a] = 1;
          } else if (pos < 0) {
            if (le !== 0) (exitA[a] = 2), (enterA[a] = 1);
            else if (sx !== 0) exitA[a] = 1;
          } else if (le !== 0) {
            if (se === 0 && lx === 0) enterA[a] = 1;
          } else if (se !== 0 && sx === 0) enterA[a] = -1;
          if (exitA[a] !== 0 || enterA[a] !== 0) any = true;
        }
      }
      if (any) {
        if (fillClose) {
          if (weightsMode) rebalance(target, u);
          else signalStep(exitA, enterA, u);
        } else if (u + 1 < U) {
          // A new decision for an asset replaces an order still pending for it.
          for (let a = 0; a < A; a++) {
            if (weightsMode ? target[a] !== target[a] : exitA[a] === 0 && enterA[a] === 0) continue;
            pendW[a] = target[a]!;
            pendExit[a] = exitA[a]!;
            pendEnter[a] = enterA[a]!;
          }
          pending = true;
        }
      }
    }
    let eq = book.equity(refs, lastClose);
    if (eq <= 0 && ruinedAt < 0) {
      for (let a = 0; a < A; a++) book.closeAll(a, lastClose[a]!, u, "end");
      ruinedAt = u;
      eq = book.cash;
    }
    equity[u] = eq;
    cash[u] = book.cash;
    let anyPos = false;
    for (let a = 0; a < A; a++) {
      posArr[a]![u] = units[a]!;
      if (units[a] !== 0) anyPos = true;
    }
    if (anyPos) held++;
    eqSum += eq;
  }

  if (ruinedAt < 0 && pending) {
    // Orders that never found a bar of their asset before the data ended.
    for (let a = 0; a < A; a++) {
      if (pendW[a] === pendW[a] || pendExit[a] !== 0 || pendEnter[a] !== 0) book.skipped.missingBar++;
    }
  }
  if (U > 0) {
    const last = U - 1;
    const anyHeldAtEnd = units.some((q) => q !== 0);
    for (let a = 0; a < A; a++) {
      if (units[a] === 0) continue;
      if (o.finalize === "close") book.closeAll(a, lastClose[a]!, last, "end");
      else book.markOpen(a, lastClose[a]!, last);
    }
    if (o.finalize === "close") {
      // Everything is sold at the last close: the account is flat at that close.
      if (anyHeldAtEnd) held--;
      refs.fill(NaN);
      const eq = book.equity(refs, lastClose);
      eqSum += eq - equity[last]!;
      equity[last] = eq;
      cash[last] = book.cash;
      for (let a = 0; a < A; a++) posArr[a]![last] = units[a]!;
    }
  }

  return new PortfolioResult({
    ts: al.ts,
    assets: names,
    orders: book.orders,
    trades: book.trades,
    equity,
    cash,
    positions,
    exposure: U ? held / U : NaN,
    turnover: U ? book.traded / (eqSum / U) : NaN,
    feesPaid: book.feesPaid,
    skipped: book.skipped,
    missing: structuredClone(al.missing),
    ruinedAt,
    options: o,
  });
}

/**
 * The union alignment of `frames`, kept per record object: a sweep simulates the same frames once
 * per combination, and aligning them (a sort of every timestamp) cost about a third of a run.
 * Reused only while the record holds the same Frame objects, of the same lengths, in the same
 * order (frames are immutable by convention, see _frame_memo.ts).
 */
const alignments = new WeakMap<Record<string, Frame>, { frames: Frame[]; lengths: number[]; al: Alignment }>();

function alignmentOf(frames: Record<string, Frame>, names: string[]): Alignment {
  const m = alignments.get(frames);
  if (
    m !== undefined && m.frames.length === names.length &&
    names.every((n, i) => frames[n] === m.frames[i] && frames[n]!.length === m.lengths[i])
  ) return m.al;
  const al = alignFrames(frames);
  const fs = names.map((n) => frames[n]!);
  alignments.set(frames, { frames: fs, lengths: fs.map((f) => f.length), al });
  return al;
}

function ohlc(frame: Frame, name: string, col: "open" | "high" | "low"): Float64Array {
  if (!frame.has(col)) {
    throw new RangeError(
      `stops need open, high and low of every asset; ${JSON.stringify(name)} has no ${col} column (it has ${
        JSON.stringify(Object.keys(frame.columns))
      }): load full OHLC bars or drop stopLoss/takeProfit/trailingStop`,
    );
  }
  return frame.col(col);
}

function spread(own: Float64Array, map: Int32Array, fill: number): Float64Array {
  const out = new Float64Array(map.length);
  for (let u = 0; u < map.length; u++) out[u] = map[u]! >= 0 ? own[map[u]!]! : fill;
  return out;
}

function spread8(own: Uint8Array, map: Int32Array): Uint8Array {
  const out = new Uint8Array(map.length);
  for (let u = 0; u < map.length; u++) if (map[u]! >= 0) out[u] = own[map[u]!]!;
  return out;
}

type Side = Uint8Array | undefined;

/** Long entries, long exits, short entries, short exits for the direction (undefined = none). */
function sides(s: Signals & { kind: "signals" }, o: BacktestOptions, name: string): [Side, Side, Side, Side] {
  for (const k of ["entries", "exits", "shortEntries", "shortExits"] as const) {
    const x: unknown = s[k];
    if (x === undefined && (k === "shortEntries" || k === "shortExits")) continue;
    if (!(x instanceof Uint8Array)) {
      const got = x === null || x === undefined ? String(x) : (x as object).constructor?.name ?? typeof x;
      throw new TypeError(`signals.${k} of ${JSON.stringify(name)} must be a Uint8Array, got ${got}`);
    }
    checkBits(x, `${k} of ${JSON.stringify(name)}`);
  }
  if (o.direction === "long") return [s.entries, s.exits, undefined, undefined];
  if (o.direction === "short") {
    // The rule of simulate: without shortEntries the long pair is the short pair; otherwise a
    // missing shortExits means the long entries close shorts.
    if (s.shortEntries === undefined) return [undefined, undefined, s.entries, s.shortExits ?? s.exits];
    return [undefined, undefined, s.shortEntries, s.shortExits ?? s.entries];
  }
  if (s.shortEntries === undefined) {
    throw new TypeError(
      `direction "both" needs signals.shortEntries for ${
        JSON.stringify(name)
      } (got undefined); emit them or use direction "long"`,
    );
  }
  return [s.entries, s.exits, s.shortEntries, s.shortExits ?? s.entries];
}
