/**
 * The columnar store: OHLCV series as Parquet files under a data dir, a JSON manifest per series as the
 * catalog, DuckDB for SQL (resampling). Reads return typed-array {@link Frame}s or apache-arrow Tables.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { Frame } from "../frame/mod.ts";
 * import { Store } from "./mod.ts";
 *
 * const dir = await Deno.makeTempDir();
 * using store = await Store.open({ dir });
 * const id = { exchange: "binance", symbol: "BTC/USDT", timeframe: "1m" };
 * const bars = Frame.fromBars([0, 1, 2].map((i) => ({
 *   ts: i * 60_000, open: 100 + i, high: 101 + i, low: 99 + i, close: 100.5 + i, volume: 10,
 * })));
 * assert.equal((await store.append(id, bars)).inserted, 3);
 * assert.equal((await store.append(id, bars)).identical, 3); // idempotent
 * const revised = Frame.fromBars([{ ts: 0, open: 100, high: 101, low: 99, close: 100.25, volume: 10 }]);
 * await assert.rejects(() => store.append(id, revised), /differ from the stored ones/); // default: fail
 * assert.equal((await store.append(id, revised, { onConflict: "replace" })).differing, 1);
 * assert.deepEqual([...(await store.read(id, { from: 60_000 })).close], [101.5, 102.5]);
 * assert.equal(await store.lastTs(id), 120_000);
 * const hourly = await store.resample(id, "1h");
 * assert.deepEqual(hourly.toBars(), [{ ts: 0, open: 100, high: 103, low: 99, close: 102.5, volume: 30 }]);
 * store.close();
 * await Deno.remove(dir, { recursive: true });
 * ```
 *
 * ## Layout
 *
 * ```
 * <dir>/<exchange>/<symbol, encodeURIComponent: BTC%2FUSDT%3AUSDT>/<timeframe; 1M is 1Mo>/
 *     manifest.json              the catalog entry and commit point (calendar, source, parts, first/last/bars)
 *     part-<time>-<rand>.parquet immutable parts: ts INT64 + open..volume DOUBLE, sorted, unique, disjoint
 *     .lock                      writers' flock
 * ```
 * `<dir>` is `StoreOptions.dir`, else env `SENTINEL_DATA_DIR`, else `data/store`. Every id is checked with
 * `SeriesIdSchema`, and every path is checked to stay inside `<dir>` (ids like `../../etc/passwd` or
 * `x'; drop table bars; --` are rejected with a RangeError). SQL never contains user text: file lists,
 * bounds and steps are bound parameters.
 *
 * Parts are standard Parquet (PLAIN; uncompressed by default, `compression: "zstd"` halves the size at
 * 2-3x the read and append time; min/max statistics on `ts`), readable by
 * DuckDB, pyarrow or polars: `SELECT * FROM read_parquet('<dir>/binance/BTC%2FUSDT/1m/*.parquet')`.
 * The store writes and reads its own parts directly (a small Parquet subset codec) because that is
 * several times faster than moving rows through DuckDB's N-API chunks, or than the JavaScript and wasm Parquet
 * readers (10M rows: hyparquet 1.8-2.4 s, parquet-wasm 1.8-4.2 s, ours 0.40 s; `bench/parquet_readers_bench.ts`);
 * anything else goes through DuckDB. DuckDB and hyparquet read our files bit for bit (tested).
 *
 * ## Appends: idempotent, no quadratic rewrites
 *
 * Input bars may come in any order and repeat (within one input, the first occurrence wins). A bar
 * whose `ts` is already stored with bit-identical OHLCV (NaN equal to NaN) is skipped and counted as
 * `identical`. A bar whose `ts` is stored with other values (a revised price) is `differing`, and
 * `onConflict` decides: `fail` (the default) throws a DataError naming the series, the first differing
 * bar's time and both values, and writes nothing; `keep` keeps the stored bars (stored history stays
 * immutable, so results computed on it stay reproducible); `replace` rewrites the parts holding them,
 * as crash-safe as any append (new parts, then the manifest swap commits). The counts (`inserted`,
 * `identical`, `differing`) are computed under the series lock, so of two concurrent imports of the same
 * file the second reports 0 inserted. For exchange data a closed bar downloaded again equals the stored
 * one, and appends cost only the new bars. New bars after the last part (the download case) become a new part. A bar that fills a hole inside an
 * existing part's time range makes that one part rewrite. Small adjacent parts are merged in windows of
 * `fanout` (default 8) whose largest part is at most half the window, so a 1000-bar page is rewritten
 * only about log2 times over its life and parts stay few; parts of `mergeLimit` (1,048,576) rows or more
 * are left alone. `compact(id)` merges everything into one part.
 *
 * ## Crash safety and concurrency
 *
 * Every file is written as `.tmp-<pid>-...` in the same folder, fsynced, renamed into place, and the
 * folder fsynced; the manifest is replaced the same way only after the parts it lists are durable, and
 * replaced parts are deleted only after that. So a kill at any point leaves either the old or the new
 * manifest, both pointing at complete files. Temp files and unlisted parts of killed writers are deleted
 * on open (temps of dead pids) and by the next append (under the lock). Writers of one series take an
 * exclusive flock on `.lock` (the kernel frees it when a process dies). Readers take no lock: they read
 * the manifest, then the immutable parts; if a concurrent compaction deleted a part in between, they
 * reload the manifest and retry, so they see one committed version, never a partial one.
 *
 * ## Resampling
 *
 * `resample` runs SQL in DuckDB over the parts: bucket `ts - (ts - offset) mod step`, `arg_min(open, ts)`,
 * `max(high)`, `min(low)`, `arg_max(close, ts)`, `sum(volume)`. Buckets align to the epoch; weekly ones
 * start Monday 00:00 UTC (like ccxt); `1M`/`3M`/`1y` follow the UTC calendar. Only aggregation to a
 * whole multiple of the source timeframe is allowed (else RangeError naming both).
 *
 * @module
 */
export * from "./store.ts";
