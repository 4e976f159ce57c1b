import type { Frame } from "../frame/mod.ts";
import type { Calendar, SeriesId } from "../types/mod.ts";

/** Options passed along with each {@link BarSink.append}. */
export interface AppendOptions {
  /** Trading calendar of the series (for the store's quality reports). */
  calendar?: Calendar;
  /** Where the bars came from: `ccxt:binance`, a file path. */
  source?: string;
}

/**
 * Where downloads and imports put bars. `lib/store` implements it over DuckDB/Parquet;
 * {@link MemorySink} keeps bars in memory (tests, notebooks).
 *
 * Contract: `append` is idempotent (a bar whose time is already stored replaces it, never
 * duplicates it) and atomic per call (all of the frame or nothing), so an interrupted download
 * loses at most the page in flight. `lastTs` is the open time of the latest stored bar.
 */
export interface BarSink {
  /** Open time (epoch ms) of the latest stored bar of `id`, or undefined when there is none. */
  lastTs(id: SeriesId): Promise<number | undefined>;
  /** Stores `bars` (sorted by time, no duplicate times) for `id`. */
  append(id: SeriesId, bars: Frame, options?: AppendOptions): Promise<unknown>;
}
