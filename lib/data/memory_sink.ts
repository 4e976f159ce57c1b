import { Frame } from "../frame/mod.ts";
import { formatSeries, type SeriesId } from "../types/mod.ts";
import { conflictError, sameValue } from "./_conflict.ts";
import type { AppendOptions, BarSink, SinkAppendResult } from "./bar_sink.ts";

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

/**
 * A {@link BarSink} in memory: one sorted, duplicate-free frame per series, with the store's append
 * semantics: an identical bar is skipped, a bar that differs from the stored one of the same time is
 * handled by `onConflict` (default `fail`), and within one call the first bar of a time wins.
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
 * const r = await sink.append(id, Frame.fromBars([bar(60_000), bar(120_000)]));
 * assert.deepEqual(r, { inserted: 1, identical: 1, differing: 0, conflict: "none" });
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
  append(id: SeriesId, bars: Frame, options: AppendOptions = {}): Promise<SinkAppendResult> {
    for (const c of OHLCV) {
      if (!bars.has(c)) {
        return Promise.reject(new RangeError(`append(${formatSeries(id)}): the frame has no "${c}" column`));
      }
    }
    const onConflict = options.onConflict ?? "fail";
    if (!["keep", "replace", "fail"].includes(onConflict)) {
      return Promise.reject(
        new RangeError(`Invalid onConflict ${JSON.stringify(onConflict)}: use "keep", "replace" or "fail"`),
      );
    }
    const key = formatSeries(id);
    let merged;
    try {
      merged = merge(id, this.#frames.get(key), bars, onConflict);
    } catch (e) {
      return Promise.reject(e);
    }
    this.appends.push({
      series: key,
      rows: bars.length,
      first: bars.length ? bars.ts[0]! : NaN,
      last: bars.length ? bars.ts[bars.length - 1]! : NaN,
      options: { ...options },
    });
    this.#frames.set(key, merged.frame);
    return Promise.resolve(merged.result);
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

/** Merges sorted-or-not `add` into sorted unique `old` (see {@link MemorySink}); throws on a `fail` conflict. */
function merge(
  id: SeriesId,
  old: Frame | undefined,
  add: Frame,
  onConflict: "keep" | "replace" | "fail",
): { frame: Frame; result: SinkAppendResult } {
  const n0 = old?.length ?? 0, n1 = add.length;
  // Entries: old rows first, then new rows; a stable sort by time keeps stored-then-input order within a time.
  const idx = new Uint32Array(n0 + n1);
  for (let i = 0; i < idx.length; i++) idx[i] = i;
  const tsOf = (i: number): number => (i < n0 ? old!.ts[i]! : add.ts[i - n0]!);
  const valOf = (i: number, c: (typeof OHLCV)[number]): number => (i < n0 ? old!.col(c)[i]! : add.col(c)[i - n0]!);
  idx.sort((a, b) => tsOf(a) - tsOf(b) || a - b);
  const keep: number[] = [];
  let inserted = 0, identical = 0, differing = 0, firstDiff: [number, number] | undefined;
  for (let r = 0; r < idx.length;) {
    // One run of entries with the same time: at most one stored row (first), then input rows.
    const head = idx[r]!;
    let end = r + 1;
    while (end < idx.length && tsOf(idx[end]!) === tsOf(head)) end++;
    const incoming = head < n0 ? idx[r + 1] : head; // the first input row of this time, if any
    if (head >= n0) {
      inserted++;
      keep.push(head);
    } else if (incoming === undefined || end === r + 1) keep.push(head);
    else if (OHLCV.every((c) => sameValue(valOf(head, c), valOf(incoming, c)))) {
      identical++;
      keep.push(head);
    } else {
      differing++;
      firstDiff ??= [head, incoming];
      keep.push(onConflict === "replace" ? incoming : head);
    }
    r = end;
  }
  if (firstDiff && onConflict === "fail") {
    const [s, g] = firstDiff;
    throw conflictError(id, differing, n1, tsOf(s), OHLCV.map((c) => valOf(s, c)), OHLCV.map((c) => valOf(g, c)));
  }
  const ts = new Float64Array(keep.length);
  const cols: Record<string, Float64Array> = {};
  for (const c of OHLCV) cols[c] = new Float64Array(keep.length);
  keep.forEach((i, k) => {
    ts[k] = tsOf(i);
    for (const c of OHLCV) cols[c]![k] = valOf(i, c);
  });
  const conflict = differing === 0 ? "none" : onConflict === "replace" ? "replaced" : "kept";
  return { frame: new Frame(ts, cols), result: { inserted, identical, differing, conflict } };
}
