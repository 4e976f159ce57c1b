import { Frame } from "../frame/mod.ts";
import { formatSeries, type SeriesId } from "../types/mod.ts";
import type { AppendOptions, BarSink } from "./bar_sink.ts";

const OHLCV = ["open", "high", "low", "close", "volume"] as const;

/** One call to {@link MemorySink.append}, as recorded for tests. */
export interface AppendRecord {
  /** `exchange:SYMBOL:timeframe`. */
  series: string;
  /** Bars in the call. */
  rows: number;
  /** First and last bar time in the call (NaN for an empty frame). */
  first: number;
  last: number;
  options: AppendOptions;
}

/** What {@link MemorySink.append} did. */
export interface AppendResult {
  /** Bars whose time was new. */
  added: number;
  /** Bars that replaced a stored bar with the same time. */
  replaced: number;
}

/**
 * A {@link BarSink} in memory: one sorted, duplicate-free frame per series. A bar whose time is
 * already stored replaces the stored one (newer data wins), so appends are idempotent.
 * It records every append (`appends`) so tests can check that pages arrive one by one.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { Frame } from "../frame/mod.ts";
 * import { MemorySink } from "./memory_sink.ts";
 * const sink = new MemorySink();
 * const id = { exchange: "binance", symbol: "BTC/USDT", timeframe: "1m" };
 * const bar = (ts: number) => ({ ts, open: 1, high: 2, low: 0.5, close: 1.5, volume: 3 });
 * await sink.append(id, Frame.fromBars([bar(0), bar(60_000)]));
 * await sink.append(id, Frame.fromBars([bar(60_000), bar(120_000)]));
 * assert.deepEqual([...sink.get(id)!.ts], [0, 60_000, 120_000]);
 * assert.equal(await sink.lastTs(id), 120_000);
 * ```
 */
export class MemorySink implements BarSink {
  /** Every append in call order. */
  readonly appends: AppendRecord[] = [];
  #frames = new Map<string, Frame>();

  /** Latest stored bar time of `id`, or undefined. */
  lastTs(id: SeriesId): Promise<number | undefined> {
    const f = this.#frames.get(formatSeries(id));
    return Promise.resolve(f && f.length > 0 ? f.ts[f.length - 1] : undefined);
  }

  /** Merges `bars` into the stored frame of `id`; rejects a frame without OHLCV columns. */
  append(id: SeriesId, bars: Frame, options: AppendOptions = {}): Promise<AppendResult> {
    for (const c of OHLCV) {
      if (!bars.has(c)) {
        return Promise.reject(new RangeError(`append(${formatSeries(id)}): the frame has no "${c}" column`));
      }
    }
    const key = formatSeries(id);
    this.appends.push({
      series: key,
      rows: bars.length,
      first: bars.length ? bars.ts[0]! : NaN,
      last: bars.length ? bars.ts[bars.length - 1]! : NaN,
      options: { ...options },
    });
    const old = this.#frames.get(key);
    const { frame, added, replaced } = merge(old, bars);
    this.#frames.set(key, frame);
    return Promise.resolve({ added, replaced });
  }

  /** The stored frame of `id` (a copy-free view; do not mutate), or undefined. */
  get(id: SeriesId): Frame | undefined {
    return this.#frames.get(formatSeries(id));
  }

  /** Ids of the stored series, as `exchange:SYMBOL:timeframe`. */
  keys(): string[] {
    return [...this.#frames.keys()];
  }
}

/** Merges sorted-or-not `add` into sorted unique `old`; on equal times the newer bar wins. */
function merge(old: Frame | undefined, add: Frame): { frame: Frame; added: number; replaced: number } {
  const n0 = old?.length ?? 0, n1 = add.length;
  // Entries: old rows first, then new rows; a stable sort by time keeps file order within a time.
  const idx = new Uint32Array(n0 + n1);
  for (let i = 0; i < idx.length; i++) idx[i] = i;
  const tsOf = (i: number): number => (i < n0 ? old!.ts[i]! : add.ts[i - n0]!);
  idx.sort((a, b) => tsOf(a) - tsOf(b) || a - b);
  const keep: number[] = [];
  let added = 0, replaced = 0;
  for (let r = 0; r < idx.length; r++) {
    const i = idx[r]!;
    const next = idx[r + 1];
    if (next !== undefined && tsOf(next) === tsOf(i)) {
      if (i < n0 && next >= n0) replaced++;
      continue; // the later entry (newer data) wins
    }
    keep.push(i);
  }
  const ts = new Float64Array(keep.length);
  const cols: Record<string, Float64Array> = {};
  for (const c of OHLCV) cols[c] = new Float64Array(keep.length);
  keep.forEach((i, k) => {
    ts[k] = tsOf(i);
    for (const c of OHLCV) cols[c]![k] = i < n0 ? old!.col(c)[i]! : add.col(c)[i - n0]!;
  });
  added = keep.length - n0;
  return { frame: new Frame(ts, cols), added, replaced };
}
