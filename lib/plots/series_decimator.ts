import { decimate } from "./decimate.ts";
import { bucketEnds } from "./_bucket_ends.ts";
import { DEFAULT_WIDTH, innerWidth } from "./_render.ts";

/**
 * {@link decimate} (M4) fed one value at a time, for a per-bar series that is computed on the
 * fly and never stored whole (a rolling metric, exposure over time at 1M bars: one 8 MB array
 * fewer each). Push the values of `ts`'s bars in order, then {@link SeriesDecimator.finish}
 * returns the same points a figure of `width` draws from the full series: handing them to that
 * figure (as its `ts` and values) gives the same SVG, since a series of at most 4 points per
 * pixel column is drawn as given.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { decimate, SeriesDecimator } from "./mod.ts";
 * const n = 10_000;
 * const ts = Float64Array.from({ length: n }, (_, i) => i * 60_000);
 * const y = Float64Array.from(ts, (_, i) => Math.sin(i / 300) + (i === 4321 ? 3 : 0));
 * const d = new SeriesDecimator(ts);
 * for (let i = 0; i < n; i++) d.push(y[i]!);
 * const s = d.finish();
 * const idx = decimate(ts, y, { buckets: 812 });
 * assert.deepEqual([...s.x], Array.from(idx, (i) => ts[i]));
 * assert.deepEqual([...s.y], Array.from(idx, (i) => y[i]));
 * ```
 */
export class SeriesDecimator {
  readonly #ts: Float64Array;
  /** Last index of each non-empty bucket, ascending; undefined when the series is drawn whole. */
  readonly #ends: Uint32Array | undefined;
  readonly #keptX: Float64Array;
  readonly #keptY: Float64Array;
  #kept = 0;
  #i = 0;
  #group = 0;
  #first = 0;
  #firstV = NaN;
  #minI = -1;
  #maxI = -1;
  #minV = Infinity;
  #maxV = -Infinity;

  /** `ts`: the bar times of the values to come; `width`: the figure's width (default 900 px). */
  constructor(ts: Float64Array, width: number = DEFAULT_WIDTH) {
    const buckets = innerWidth(width);
    this.#ts = ts;
    const n = ts.length;
    if (n <= 4 * buckets) {
      this.#ends = undefined;
      this.#keptX = ts;
      this.#keptY = new Float64Array(n);
      // The same checks of ts as decimate's.
      decimate(ts, new Float64Array(n), { buckets });
      return;
    }
    this.#ends = bucketEnds(ts, buckets);
    this.#keptX = new Float64Array(4 * this.#ends.length);
    this.#keptY = new Float64Array(4 * this.#ends.length);
  }

  /** The value of the next bar. */
  push(v: number): void {
    const i = this.#i++;
    const ends = this.#ends;
    if (ends === undefined) {
      this.#keptY[i] = v;
      return;
    }
    if (i === this.#first) {
      this.#firstV = v;
      this.#minI = -1, this.#maxI = -1;
      this.#minV = Infinity, this.#maxV = -Infinity;
    }
    // decimate's scan: the first minimum and the first maximum of the bucket, NaN never.
    if (v < this.#minV) {
      this.#minV = v;
      this.#minI = i;
    }
    if (v > this.#maxV) {
      this.#maxV = v;
      this.#maxI = i;
    }
    if (i === ends[this.#group]) {
      const first = this.#first, minI = this.#minI, maxI = this.#maxI;
      const lo = minI < maxI ? minI : maxI;
      const hi = minI < maxI ? maxI : minI;
      const loV = minI < maxI ? this.#minV : this.#maxV;
      const hiV = minI < maxI ? this.#maxV : this.#minV;
      this.#keep(first, this.#firstV);
      if (lo > first) this.#keep(lo, loV);
      if (hi > first && hi !== lo) this.#keep(hi, hiV);
      if (i > first && i !== hi && i !== lo) this.#keep(i, v);
      this.#group++;
      this.#first = i + 1;
    }
  }

  /** The kept points; throws unless one value was pushed per bar. */
  finish(): { x: Float64Array; y: Float64Array } {
    if (this.#i !== this.#ts.length) {
      throw new RangeError(`SeriesDecimator: ${this.#i} values pushed for ${this.#ts.length} bars`);
    }
    if (this.#ends === undefined) return { x: this.#keptX, y: this.#keptY };
    return { x: this.#keptX.slice(0, this.#kept), y: this.#keptY.slice(0, this.#kept) };
  }

  #keep(i: number, v: number): void {
    this.#keptX[this.#kept] = this.#ts[i]!;
    this.#keptY[this.#kept++] = v;
  }
}
