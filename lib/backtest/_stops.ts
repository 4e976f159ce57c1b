/**
 * What a stop check reads and updates: the signed position, the entry fill price, the best price
 * since entry (for the trailing stop) and, on a trigger, why. SingleBook is one; the portfolio
 * loop fills one per asset from its arrays.
 */
export interface StopState {
  pos: number;
  entryPrice: number;
  best: number;
  stopReason: number;
}

/**
 * The reference price a stop exits at on this bar, or NaN (then the trailing best is updated).
 * A gap through a level at the open fills at the open (the open comes first in the bar, so a
 * gap through the take-profit exits there even if the stop is crossed later in the bar). Within
 * the bar, stop-loss / trailing stop come before take-profit (the pessimistic assumption when both
 * could trigger), filling at the level. The reason goes to book.stopReason: 0 stop-loss, 1 trailing stop, 2 take-profit (offsets
 * from R_STOP_LOSS in the reason codes).
 */
export function stopPrice(
  book: StopState,
  op: number,
  h: number,
  l: number,
  sl: number,
  tp: number,
  tr: number,
): number {
  const ep = book.entryPrice;
  if (book.pos > 0) {
    let level = -Infinity;
    book.stopReason = 0;
    if (sl > 0) level = ep * (1 - sl);
    if (tr > 0) {
      const t = book.best * (1 - tr);
      if (t > level) (level = t), (book.stopReason = 1);
    }
    if (op <= level) return op;
    const target = tp > 0 ? ep * (1 + tp) : Infinity;
    // The open is the bar's first price: a gap through the target exits there, before any stop.
    if (op >= target) return (book.stopReason = 2), op;
    if (l <= level) return level;
    if (h >= target) return (book.stopReason = 2), target;
    if (h > book.best) book.best = h;
  } else {
    let level = Infinity;
    book.stopReason = 0;
    if (sl > 0) level = ep * (1 + sl);
    if (tr > 0) {
      const t = book.best * (1 + tr);
      if (t < level) (level = t), (book.stopReason = 1);
    }
    if (op >= level) return op;
    const target = tp > 0 ? ep * (1 - tp) : -Infinity;
    if (op <= target) return (book.stopReason = 2), op;
    if (h >= level) return level;
    if (l <= target) return (book.stopReason = 2), target;
    if (l < book.best) book.best = l;
  }
  return NaN;
}
