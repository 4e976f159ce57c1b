import { checkPeriod } from "../_validate.ts";
import type { IndicatorStream, StreamBar } from "./indicator_stream.ts";

/** Options for {@link VwapStream}; they mirror `vwap()`'s options (`window` and `sessionMs` exclude each other). */
export interface VwapStreamOptions {
  /** Rolling VWAP over the last `window` bars instead of a cumulative one. */
  window?: number;
  /** Restart the cumulative VWAP at every session `floor((ts - sessionOffsetMs) / sessionMs)`; needs `ts`. */
  sessionMs?: number;
  /** Shift of the session boundaries in ms; default 0. */
  sessionOffsetMs?: number;
}

/** A bar with its open time (epoch ms), which {@link VwapStream} needs for sessions. */
export interface TimedStreamBar extends StreamBar {
  /** Bar open time, epoch ms UTC. */
  ts?: number;
}

/**
 * Incremental {@link import("../vwap.ts").vwap} of the typical price `(high + low + close) / 3`:
 * after each push, `value` is `Object.is`-equal to `vwap(bars, options)` at that index, in all
 * three forms (cumulative, per session, rolling). The rolling form replays `vwap()`'s
 * compensated (TwoSum) sums and their exact rebuild at every multiple of `max(window, 1024)`
 * bars. O(1) amortized per push.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { VwapStream } from "./vwap_stream.ts";
 * const day = new VwapStream({ sessionMs: 86_400_000 });
 * const bars = [[10, 1, 0], [20, 3, 3_600_000], [30, 1, 86_400_000]];
 * const out = bars.map(([p, v, ts]) => day.update(p!, p!, p!, v!, ts));
 * assert.deepEqual(out, [10, 17.5, 30]); // a new UTC day restarts the sums
 * ```
 */
export class VwapStream implements IndicatorStream {
  /** Window of the rolling form; undefined when cumulative. */
  readonly window: number | undefined;
  /** Session length in ms; undefined when not restarted by session. */
  readonly sessionMs: number | undefined;
  readonly #offset: number;
  readonly #interval: number;
  readonly #tps: Float64Array;
  readonly #vols: Float64Array;
  #pos = 0;
  #session = NaN;
  #pv = 0;
  #pvc = 0;
  #vol = 0;
  #volc = 0;
  #bad = 0;
  #traded = 0;
  #count = 0;
  #value = NaN;

  /** Throws for both `window` and `sessionMs`, a bad window, session length or offset. */
  constructor(options: VwapStreamOptions = {}) {
    const fn = "VwapStream";
    const { window, sessionMs } = options;
    if (window !== undefined && sessionMs !== undefined) {
      throw new RangeError(`${fn}: pass either window (${window}) or sessionMs (${sessionMs}), not both`);
    }
    if (window !== undefined) checkPeriod(fn, "window", window);
    if (sessionMs !== undefined && !(typeof sessionMs === "number" && sessionMs > 0 && Number.isFinite(sessionMs))) {
      throw new RangeError(
        `${fn}: sessionMs must be a positive number of ms (86_400_000 for UTC days), got ${sessionMs}`,
      );
    }
    const offset = options.sessionOffsetMs ?? 0;
    if (!Number.isFinite(offset)) {
      throw new RangeError(`${fn}: sessionOffsetMs must be a finite number of ms, got ${offset}`);
    }
    this.window = window;
    this.sessionMs = sessionMs;
    this.#offset = offset;
    this.#interval = Math.max(window ?? 0, 1024);
    this.#tps = new Float64Array(window ?? 0);
    this.#vols = new Float64Array(window ?? 0);
  }

  /** Value after the last push; NaN during warm-up, at a missing bar and while no volume traded. */
  get value(): number {
    return this.#value;
  }

  /** Number of bars pushed so far. */
  get count(): number {
    return this.#count;
  }

  /** Feeds the bar's high, low, close, volume and (for sessions) `ts`. */
  push(bar: TimedStreamBar): number {
    return this.update(bar.high, bar.low, bar.close, bar.volume, bar.ts);
  }

  /** Feeds one bar; `ts` (epoch ms) is required with `sessionMs`. Returns the new VWAP. */
  update(h: number, l: number, c: number, v: number, ts?: number): number {
    const tp = (h + l + c) / 3;
    if (this.window !== undefined) return this.#rolling(tp, v, this.window);
    this.#count++;
    const sessionMs = this.sessionMs;
    if (sessionMs !== undefined) {
      if (ts === undefined) {
        throw new TypeError("VwapStream: sessionMs needs bar times; pass ts (epoch ms) with every bar");
      }
      const s = Math.floor((ts - this.#offset) / sessionMs);
      if (s !== this.#session) {
        this.#session = s;
        this.#pv = 0;
        this.#vol = 0;
      }
    }
    const probe = tp + v;
    if (!(probe - probe === 0)) return (this.#value = NaN);
    this.#pv += tp * v;
    this.#vol += v;
    return (this.#value = this.#vol !== 0 ? this.#pv / this.#vol : NaN);
  }

  #rolling(tp: number, v: number, window: number): number {
    const i = this.#count++;
    if (i > 0 && i % this.#interval === 0) this.#rebuild(window);
    let pv = this.#pv, pvc = this.#pvc, vol = this.#vol, volc = this.#volc;
    const probe = tp + v;
    if (probe - probe === 0) {
      const x = tp * v;
      let t = pv + x, b = t - pv;
      pvc += (pv - (t - b)) + (x - b);
      pv = t;
      t = vol + v;
      b = t - vol;
      volc += (vol - (t - b)) + (v - b);
      vol = t;
      if (v !== 0) this.#traded++;
    } else {
      this.#bad++;
    }
    const pos = this.#pos;
    if (i >= window) {
      const otp = this.#tps[pos]!;
      const ov = this.#vols[pos]!;
      const p = otp + ov;
      if (p - p === 0) {
        const x = -otp * ov;
        let t = pv + x, b = t - pv;
        pvc += (pv - (t - b)) + (x - b);
        pv = t;
        t = vol - ov;
        b = t - vol;
        volc += (vol - (t - b)) - (ov + b);
        vol = t;
        if (ov !== 0) this.#traded--;
      } else {
        this.#bad--;
      }
    }
    this.#tps[pos] = tp;
    this.#vols[pos] = v;
    this.#pos = pos + 1 === window ? 0 : pos + 1;
    this.#pv = pv;
    this.#pvc = pvc;
    this.#vol = vol;
    this.#volc = volc;
    return (this.#value = i < window - 1 || this.#bad > 0 || this.#traded === 0 ? NaN : (pv + pvc) / (vol + volc));
  }

  // vwap()'s block boundary: exact compensated sums of the window that ends at the previous bar
  // (the missing and traded counts carry over, as there).
  #rebuild(window: number): void {
    let pv = 0, pvc = 0, vol = 0, volc = 0;
    for (let k = 0, j = this.#pos; k < window; k++) {
      const wtp = this.#tps[j]!;
      const wv = this.#vols[j]!;
      const p = wtp + wv;
      if (p - p === 0) {
        const x = wtp * wv;
        let t = pv + x, b = t - pv;
        pvc = pvc + ((pv - (t - b)) + (x - b));
        pv = t;
        t = vol + wv;
        b = t - vol;
        volc = volc + ((vol - (t - b)) + (wv - b));
        vol = t;
      }
      j = j + 1 === window ? 0 : j + 1;
    }
    this.#pv = pv;
    this.#pvc = pvc;
    this.#vol = vol;
    this.#volc = volc;
  }
}
