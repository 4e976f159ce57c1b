import type { Frame } from "../frame/mod.ts";
import type { IndicatorRequest, StrategyContext } from "./strategy.ts";

/**
 * A {@link StrategyContext} that computes each indicator key once for one frame and hands out
 * the same array afterwards. A sweep creates one per frame (or per walk-forward slice) and
 * passes it to every `signals` call; {@link IndicatorCache.prefetch} fills it up front from
 * `strategy.indicators(p)`.
 *
 * The cached arrays are shared between calls: strategies and callers must not write to them.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { Frame } from "../frame/mod.ts";
 * import { IndicatorCache } from "./indicator_cache.ts";
 * const frame = new Frame(new Float64Array([0, 1, 2]), { close: new Float64Array([1, 2, 3]) });
 * const cache = new IndicatorCache(frame);
 * let runs = 0;
 * const twice = (f: Frame) => (runs++, f.close.map((x) => 2 * x));
 * const a = cache.indicator("twice:close", twice);
 * const b = cache.indicator("twice:close", twice);
 * assert.equal(a, b);
 * assert.equal(runs, 1);
 * ```
 */
export class IndicatorCache implements StrategyContext {
  /** The frame every series in this cache was computed on. */
  readonly frame: Frame;
  #series = new Map<string, Float64Array>();

  constructor(frame: Frame) {
    this.frame = frame;
  }

  /** The series for `key`, computed by `compute(frame)` the first time it is asked for. */
  indicator(key: string, compute: (frame: Frame) => Float64Array): Float64Array {
    let s = this.#series.get(key);
    if (s === undefined) {
      s = compute(this.frame);
      if (!(s instanceof Float64Array) || s.length !== this.frame.length) {
        throw new TypeError(
          `indicator ${JSON.stringify(key)} returned ${
            describe(s)
          }; it must return a Float64Array of the frame's length ${this.frame.length}`,
        );
      }
      this.#series.set(key, s);
    }
    return s;
  }

  /** Computes every request not yet cached (for example all of `strategy.indicators(p)` over a grid). */
  prefetch(requests: Iterable<IndicatorRequest>): void {
    for (const r of requests) this.indicator(r.key, r.compute);
  }

  /** Whether `key` has been computed. */
  has(key: string): boolean {
    return this.#series.has(key);
  }

  /** Number of distinct series held. */
  get size(): number {
    return this.#series.size;
  }

  /** The keys held, in the order they were computed. */
  keys(): string[] {
    return [...this.#series.keys()];
  }
}

function describe(v: unknown): string {
  if (v instanceof Float64Array) return `a Float64Array of length ${v.length}`;
  return v === null ? "null" : typeof v === "object" ? (v as object).constructor?.name ?? "object" : typeof v;
}
