// The crossover kernel shared by simulateFinalEquity (one combination) and the sweep (many
// combinations over the same bars, processed chunk by chunk so the series stay in cache).
// Its arithmetic mirrors SingleBook and entryUnits operation by operation: results must stay
// bit-identical to simulate (tested in simulate_final_equity_test.ts).

/** Per-combination loop state, ST_SIZE slots in a Float64Array, carried between chunks. */
export const ST_CASH = 0, ST_UNITS = 1, ST_IN_POS = 2, ST_PREV = 3, ST_RUINED = 4, ST_TRADES = 5;
export const ST_SIZE = 8;

/** Costs of one run, parsed once. */
export interface CrossCosts {
  fee: number;
  fixedFee: number;
  buyMul: number;
  sellMul: number;
}

// ST_PREV holds the previous bar's comparison of fast and slow: what crossedAbove/crossedBelow
// test on bar i-1 (a cross above needs LT or EQ before, a cross below GT or EQ).
const NAN = 0, LT = 1, GT = 2, EQ = 3;

/** Starts a combination: all cash, flat, no previous bar. */
export function crossInit(st: Float64Array, off: number, cash: number): void {
  st.fill(0, off, off + ST_SIZE);
  st[off + ST_CASH] = cash;
  st[off + ST_PREV] = NAN;
}

/** Smallest non-NaN close in [from, to) (Infinity if none): the ruin test's bound for a block. */
export function minClose(close: Float64Array, from: number, to: number): number {
  let m = Infinity;
  for (let i = from; i < to; i++) {
    const c = close[i]!;
    if (c < m) m = c;
  }
  return m;
}

/**
 * Bars [from, to) of one combination whose state sits at `st[off]`. Entries on
 * `crossedAbove(fast, slow)` when flat, exits on `crossedBelow(fast, slow)` when long; fills at
 * the close. Stops at ruin (equity <= 0 at a close) and records it in the state. `low` must be
 * {@link minClose} of the block.
 */
export function crossChunk(
  close: Float64Array,
  fast: Float64Array,
  slow: Float64Array,
  from: number,
  to: number,
  low: number,
  st: Float64Array,
  off: number,
  fee: number,
  fixedFee: number,
  buyMul: number,
  sellMul: number,
): void {
  if (st[off + ST_RUINED] === 1) return;
  const feeMul = 1 + fee;
  let cash = st[off + ST_CASH]!, units = st[off + ST_UNITS]!, trades = st[off + ST_TRADES]!;
  let inPos = st[off + ST_IN_POS] === 1, ruined = false;
  let prev = st[off + ST_PREV]!;
  // Ruin needs cash + units * close <= 0 on some bar while long. Rounded products and sums are
  // monotone, so if it is > 0 at the block's lowest close it is > 0 on every bar of the block,
  // and the per-bar test (with its load of close) is skipped. All-in entries leave cash near 0,
  // so this is what keeps the loop down to two loads per bar.
  let check = inPos && !(cash + units * low > 0);
  let i = from;
  while (i < to) {
    if (!check) {
      // Between crossings nothing happens: skip ahead while the comparison keeps its sign.
      if (prev === GT) {
        while (i < to && fast[i]! > slow[i]!) i++;
        if (i >= to) break;
      } else if (prev === LT) {
        while (i < to && fast[i]! < slow[i]!) i++;
        if (i >= to) break;
      }
    }
    const f = fast[i]!, s = slow[i]!;
    if (f > s) {
      if (prev !== GT && prev !== NAN && !inPos) {
        const price = close[i]! * buyMul;
        const u = (cash - fixedFee) / (price * feeMul);
        if (u > 0) {
          const notional = u * price;
          cash -= notional + (notional * fee + fixedFee);
          units = u;
          inPos = true;
          check = !(cash + units * low > 0);
          trades++;
        }
      }
      prev = GT;
    } else if (f < s) {
      // As in the engine, no fill at a NaN close (the exit is dropped, the position kept).
      if (prev !== LT && prev !== NAN && inPos && close[i]! === close[i]!) {
        const notional = units * (close[i]! * sellMul);
        cash += notional - (notional * fee + fixedFee);
        units = 0;
        inPos = false;
        check = false;
        if (cash <= 0) {
          ruined = true;
          prev = LT;
          break;
        }
      }
      prev = LT;
    } else {
      prev = f === s ? EQ : NAN;
    }
    if (check && cash + units * close[i]! <= 0) {
      const notional = units * (close[i]! * sellMul);
      cash += notional - (notional * fee + fixedFee);
      units = 0;
      inPos = false;
      ruined = true;
      break;
    }
    i++;
  }
  st[off + ST_CASH] = cash;
  st[off + ST_UNITS] = units;
  st[off + ST_IN_POS] = inPos ? 1 : 0;
  st[off + ST_PREV] = prev;
  st[off + ST_RUINED] = ruined ? 1 : 0;
  st[off + ST_TRADES] = trades;
}

/**
 * Final equity of a finished combination: cash, plus an open position marked at the last close
 * (`closeAtEnd` false, or after ruin) or sold there with costs (`closeAtEnd` true).
 */
export function crossFinal(
  close: Float64Array,
  st: Float64Array,
  off: number,
  costs: CrossCosts,
  closeAtEnd: boolean,
): number {
  const n = close.length;
  const cash = st[off + ST_CASH]!, units = st[off + ST_UNITS]!;
  if (st[off + ST_IN_POS] !== 1 || n === 0) return cash;
  // The engine marks (and closes) at the last known close when the last ones are NaN.
  let k = n - 1;
  while (k > 0 && close[k]! !== close[k]!) k--;
  const last = close[k]!;
  if (!closeAtEnd || st[off + ST_RUINED] === 1) return cash + units * last;
  const notional = units * (last * costs.sellMul);
  return cash + (notional - (notional * costs.fee + costs.fixedFee));
}
