import { z } from "zod";
import { basename, isAbsolute } from "node:path";
import { type QualityReport, qualityReport } from "../../data/quality_report.ts";
import { type SeriesInfo, Store } from "../../store/mod.ts";
import { formatSeries, parseSeries, type SeriesId } from "../../types/mod.ts";

/** The `series` argument every data tool takes. */
export const SeriesArg = z.string().min(1).describe(
  "The series as exchange:SYMBOL:timeframe, e.g. samples:GOOG:1d or binance:BTC/USDT:1h; list_datasets names them",
);
/** The `from`/`to` arguments: an ISO UTC date or time. */
export const TimeArg = z.string().min(1).describe("ISO UTC date or time, e.g. 2021-03-01 or 2021-03-01T12:00:00Z");
/** The row cap of every tool that returns bars. */
export const LimitArg = z.number().int().min(1).max(5_000).default(500).describe(
  "Most rows returned (default 500, at most 5000); page on with `from`",
);

// One read-only store per data dir for the life of the process: DuckDB starts once, not once per call.
const stores = new Map<string, Promise<Store>>();

/** The data dir's store, opened read-only (nothing is created, cleaned or written; see `StoreOptions.readOnly`). */
export function readOnlyStore(dataDir: string): Promise<Store> {
  let s = stores.get(dataDir);
  if (!s) {
    s = Store.open({ dir: dataDir, readOnly: true, threads: 1 });
    stores.set(dataDir, s);
    s.catch(() => stores.delete(dataDir));
  }
  return s;
}

/** Closes every store {@link readOnlyStore} opened (tests, server shutdown). */
export async function closeReadOnlyStores(): Promise<void> {
  const all = [...stores.values()];
  stores.clear();
  for (const s of all) (await s.catch(() => undefined))?.close();
}

/** Parses `series` and finds it in the store; errors name the argument, the value and the fix. */
export async function findSeries(store: Store, series: string): Promise<{ id: SeriesId; info: SeriesInfo }> {
  let id: SeriesId;
  try {
    id = parseSeries(series);
  } catch (e) {
    throw new RangeError(`series: ${(e as Error).message}; write it as exchange:SYMBOL:timeframe (see list_datasets)`);
  }
  const info = await store.info(id);
  if (!info) {
    const known = (await store.list()).map((i) => formatSeries(i)).slice(0, 20);
    throw new RangeError(
      `series: ${JSON.stringify(series)} is not stored; stored series: ${known.length ? known.join(", ") : "none"}`,
    );
  }
  return { id, info };
}

/** `from`/`to` text to epoch ms; the error names the field. */
export function parseTime(field: string, text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const ms = Date.parse(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?$/.test(text) ? `${text}Z` : text);
  if (!Number.isFinite(ms)) {
    throw new RangeError(`${field}: ${JSON.stringify(text)} is not a date; use ISO UTC such as 2021-03-01T00:00:00Z`);
  }
  return ms;
}

/** Epoch ms as ISO UTC. */
export function iso(ms: number): string {
  return new Date(ms).toISOString();
}

// Keyed by the stored version (the manifest's write time and bar count); a promise, so concurrent first calls share.
const qualityCache = new Map<string, Promise<QualityReport>>();

/** The series' quality report, computed once per stored version (reads the whole series the first time). */
export function storedQuality(store: Store, id: SeriesId, info: SeriesInfo): Promise<QualityReport> {
  const key = `${store.dir}|${formatSeries(id)}|${info.updated}|${info.bars}`;
  let q = qualityCache.get(key);
  if (!q) {
    q = store.read(id).then((frame) =>
      qualityReport(frame, { timeframe: id.timeframe, calendar: info.calendar, label: formatSeries(id) })
    );
    qualityCache.set(key, q);
    q.catch(() => qualityCache.delete(key));
  }
  return q;
}

/** One line: gaps, duplicates, bad bars. */
export function qualityLine(q: QualityReport): string {
  const ohlc = q.ohlc.highBelowLow + q.ohlc.highBelowOpenClose + q.ohlc.lowAboveOpenClose;
  const parts = [
    `${q.gapCount} gaps (${q.missing} missing bars of ${q.expected} expected)`,
    `${q.holidayCount} holidays`,
    `${q.duplicates} duplicates`,
    `${ohlc} inconsistent OHLC`,
    `${q.nonFinite} non-finite`,
    `${q.nonPositive} non-positive`,
    `${q.zeroVolume} zero-volume`,
  ];
  return `${q.ok ? "clean" : "issues"}: ${parts.join(", ")}`;
}

/** A source as safe to show: a file's name, never the server's folders. */
export function sourceLabel(source: string): string {
  return isAbsolute(source) ? basename(source) : source;
}
