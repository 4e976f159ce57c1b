import { Frame } from "../frame/mod.ts";
import type { FeedBar } from "./feed.ts";

const NAMES = ["open", "high", "low", "close", "volume"] as const;

/**
 * One symbol's bars so far as growable Float64Array columns (capacity doubles, so appending is amortized O(1)
 * and allocation-free), viewed as a {@link Frame} of any trailing window without copying.
 */
export class Columns {
  length = 0;
  ts: Float64Array;
  cols: Record<(typeof NAMES)[number], Float64Array>;

  constructor(capacity = 1024) {
    this.ts = new Float64Array(capacity);
    this.cols = {
      open: new Float64Array(capacity),
      high: new Float64Array(capacity),
      low: new Float64Array(capacity),
      close: new Float64Array(capacity),
      volume: new Float64Array(capacity),
    };
  }

  push(bar: FeedBar): void {
    const k = this.length;
    if (k === this.ts.length) this.#grow();
    this.ts[k] = bar.ts;
    const c = this.cols;
    c.open[k] = bar.open;
    c.high[k] = bar.high;
    c.low[k] = bar.low;
    c.close[k] = bar.close;
    c.volume[k] = bar.volume;
    this.length = k + 1;
  }

  /** Bars [from, length) as a frame of views (valid until the next push that grows the columns). */
  frame(from = 0): Frame {
    const n = this.length;
    const c = this.cols;
    return new Frame(this.ts.subarray(from, n), {
      open: c.open.subarray(from, n),
      high: c.high.subarray(from, n),
      low: c.low.subarray(from, n),
      close: c.close.subarray(from, n),
      volume: c.volume.subarray(from, n),
    });
  }

  #grow(): void {
    const cap = this.ts.length * 2;
    const grow = (a: Float64Array): Float64Array => {
      const b = new Float64Array(cap);
      b.set(a);
      return b;
    };
    this.ts = grow(this.ts);
    for (const name of NAMES) this.cols[name] = grow(this.cols[name]);
  }
}
