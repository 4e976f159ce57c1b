import type { Frame } from "../frame/mod.ts";
import type { Calendar, SeriesId } from "../types/mod.ts";

/** Options passed along with each {@link BarSink.append}. */
export interface AppendOptions {
  /** Trading calendar of the series (for the store's quality reports). */
  calendar?: Calendar;
  /** Where the bars came from: `ccxt:binance`, a file path. */
  source?: string;
  /**
   * What to do with an incoming bar whose time is stored with different values (OHLCV compared
   * bit-exactly, NaN equal to NaN): `fail` (default) rejects the whole call naming the first such
   * bar and stores nothing; `keep` keeps the stored bar; `replace` stores the incoming one.
   */
  onConflict?: OnConflict;
}

/** The choices of {@link AppendOptions.onConflict}. */
export type OnConflict = "keep" | "replace" | "fail";

/** What one {@link BarSink.append} did; counted atomically with the write (under the sink's lock). */
export interface SinkAppendResult {
  /** Bars whose time was not stored before. */
  inserted: number;
  /** Incoming bars equal to the stored bar of the same time. */
  identical: number;
  /** Incoming bars whose time was stored with other values. */
  differing: number;
  /** `none` when nothing differed, else what was done with the differing bars. */
  conflict: "none" | "kept" | "replaced";
}

/**
 * Where downloads and imports put bars. `lib/store` implements it over DuckDB/Parquet;
 * {@link MemorySink} keeps bars in memory (tests, notebooks).
 *
 * Contract: `append` never duplicates a time, is idempotent (an identical bar is skipped), handles
 * bars that differ from the stored ones by `onConflict` (default `fail`: a DataError and nothing
 * stored), and is atomic per call (all of the frame or nothing), so an interrupted download loses
 * at most the page in flight. `lastTs` is the open time of the latest stored bar.
 */
export interface BarSink {
  /** Open time (epoch ms) of the latest stored bar of `id`, or undefined when there is none. */
  lastTs(id: SeriesId): Promise<number | undefined>;
  /** Stores `bars` (sorted by time, no duplicate times) for `id`. */
  append(id: SeriesId, bars: Frame, options?: AppendOptions): Promise<SinkAppendResult>;
}
