/**
 * A fixed-capacity ring of order timestamps (epoch ms UTC, non-decreasing) that counts the orders in a sliding
 * window in O(1) amortized time without allocating: each window keeps a cursor to its oldest order and moves it
 * forward as time advances (a query earlier than the previous one restarts that cursor from the oldest kept
 * timestamp, so the answer is always exact).
 *
 * When more than `capacity` orders are kept, the oldest are dropped, so a count saturates at `capacity`. The risk
 * engine sizes the ring to the largest rate limit, so a saturated count is always at or above every limit and a
 * denial is still right.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { OrderRing } from "./mod.ts";
 * const ring = new OrderRing(8);
 * ring.push(1_000);
 * ring.push(30_000);
 * // The minute before now = 60_999: orders with ts > 60_999 - 60_000.
 * assert.equal(ring.countSince(0, 60_999 - 60_000), 2);
 * // At now = 61_000 the order at 1_000 is exactly 60 s old: out of the minute.
 * assert.equal(ring.countSince(0, 61_000 - 60_000), 1);
 * ```
 */
export class OrderRing {
  readonly #ts: Float64Array;
  /** Orders pushed since creation; the newest is at index (total - 1) % capacity. */
  #total = 0;
  // Per window (up to 4 cursors): absolute index of the first order inside it, and the cutoff of the last query.
  readonly #cursor = new Float64Array(4);
  readonly #lastCutoff = new Float64Array(4).fill(-Infinity);

  /** @param capacity the most timestamps kept (an integer >= 1). */
  constructor(capacity: number) {
    if (!Number.isInteger(capacity) || capacity < 1 || capacity > 10_000_000) {
      throw new RangeError(`OrderRing capacity must be an integer from 1 to 10,000,000, got ${capacity}`);
    }
    this.#ts = new Float64Array(capacity);
  }

  /** How many timestamps the ring keeps at most. */
  get capacity(): number {
    return this.#ts.length;
  }

  /** Orders pushed since creation (including dropped ones). */
  get total(): number {
    return this.#total;
  }

  /** Timestamp of the newest order, or -Infinity when empty. */
  get last(): number {
    return this.#total === 0 ? -Infinity : this.#ts[(this.#total - 1) % this.#ts.length]!;
  }

  /** Appends an order time (integer epoch ms). Times must not go backwards (RangeError naming both times). */
  push(ts: number): void {
    // Integer ms lets the day window count `ts > dayStart - 1` as `ts >= dayStart`.
    if (!Number.isSafeInteger(ts)) throw new RangeError(`order time must be an integer epoch-ms number, got ${ts}`);
    const last = this.last;
    if (ts < last) {
      throw new RangeError(
        `order time ${ts} (${new Date(ts).toISOString()}) is before the previous order's ${last} ` +
          `(${new Date(last).toISOString()}); record orders in time order`,
      );
    }
    this.#ts[this.#total % this.#ts.length] = ts;
    this.#total++;
  }

  /**
   * Number of kept orders with a timestamp strictly greater than `cutoff`. `slot` (0-3) names the window whose
   * cursor is reused: give each window its own slot so each cursor only moves forward.
   */
  countSince(slot: number, cutoff: number): number {
    const cap = this.#ts.length;
    const total = this.#total;
    const oldest = total > cap ? total - cap : 0;
    let c = this.#cursor[slot]!;
    if (cutoff < this.#lastCutoff[slot]! || c < oldest) c = oldest;
    while (c < total && this.#ts[c % cap]! <= cutoff) c++;
    this.#cursor[slot] = c;
    this.#lastCutoff[slot] = cutoff;
    return total - c;
  }

  /** The kept timestamps, oldest first (for snapshots). */
  toArray(): number[] {
    const cap = this.#ts.length;
    const out: number[] = [];
    for (let i = this.#total > cap ? this.#total - cap : 0; i < this.#total; i++) out.push(this.#ts[i % cap]!);
    return out;
  }

  /** A ring of `capacity` holding `timestamps` (oldest first; the oldest are dropped if they do not fit). */
  static from(timestamps: readonly number[], capacity: number): OrderRing {
    const ring = new OrderRing(capacity);
    for (const t of timestamps) ring.push(t);
    return ring;
  }
}
