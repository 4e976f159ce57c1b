import type { DuckDBValue } from "@duckdb/node-api";
import { type Table, tableFromArrays, tableToIPC } from "apache-arrow";
import { dirname, join, resolve } from "node:path";
import { Frame } from "../frame/mod.ts";
import { dataDirFromEnv } from "../fs/mod.ts";
import {
  type Calendar,
  CalendarSchema,
  DataError,
  formatSeries,
  OHLCV,
  type SeriesId,
  timeframeMs,
  TimeframeSchema,
} from "../types/mod.ts";
import {
  type Columns,
  compareWithStored,
  concatCols,
  gather,
  lowerBound,
  mergeDisjoint,
  overwriteRows,
  type PreparedInput,
  prepareInput,
  sliceCols,
} from "./_arrays.ts";
import { planMerge } from "./_compaction.ts";
import { closeDuck, type Duck, openDuck, queryColumns } from "./_duck.ts";
import {
  isStaleTemp,
  removeIfExists,
  syncDir,
  TEMP_PREFIX,
  tempPathFor,
  tryWithDirLock,
  withDirLock,
  writeAll,
} from "./_fs.ts";
import { commitManifest, type Manifest, type PartEntry, readManifest } from "./_manifest.ts";
import {
  type Codec,
  type PartLayout,
  readColumn,
  readLayout,
  ReadScratch,
  UnsupportedPartError,
  writePart,
} from "./_parquet.ts";
import { decodeSymbol, resolveRoot, seriesDir, validateId } from "./_paths.ts";

/** Options of {@link Store.open}. */
export interface StoreOptions {
  /** Data dir. Default: env `SENTINEL_DATA_DIR`, else `data/store` (relative to the current directory). */
  dir?: string;
  /**
   * Page compression of new parts. Default `none`: reads and appends are 2-3x faster than with `zstd`
   * (level 1), which halves the files (measured on tick-rounded 1m bars; see bench/store_bench.ts).
   */
  compression?: Codec;
  /** DuckDB worker threads (resample). Default 2. */
  threads?: number;
  /** Adjacent small parts merged at once (see the module doc). Default 8; at least 2. */
  fanout?: number;
  /** Parts with at least this many rows are never merged by appends. Default 1,048,576. */
  mergeLimit?: number;
  /** Rows per Parquet row group in new parts. Default 1,048,576. */
  rowGroupRows?: number;
  /**
   * Open for reading only (the MCP server, other readers that must never change the data dir): no folder is
   * created, no temp or orphan file of a killed writer is removed, and `append`, `remove`, `compact` and `export`
   * throw. Reads take no lock either way, so a read-only store never blocks a writer. Default false.
   */
  readOnly?: boolean;
}

/** A half-open time range `[from, to)` in epoch ms; a missing bound is open. */
export interface TimeRange {
  from?: number;
  to?: number;
}

/** Options of {@link Store.append}. */
export interface AppendOptions {
  /** Trading calendar of the series; recorded on the first append, replaced when given later. Default `24/7`. */
  calendar?: Calendar;
  /** Where the bars came from (`ccxt:binance`, `csv:data/samples/x.csv`); replaced when given later. */
  source?: string;
  /**
   * What to do when an input bar's ts is already stored with a different value (OHLCV compared
   * bit-exactly, NaN equal to NaN): `fail` (default) throws a {@link DataError} naming the first differing
   * bar and both values, and writes nothing; `keep` keeps the stored bars; `replace` stores the input's.
   */
  onConflict?: OnConflict;
}

/** The choices of {@link AppendOptions.onConflict}. */
export type OnConflict = "keep" | "replace" | "fail";

const ON_CONFLICT: readonly OnConflict[] = ["keep", "replace", "fail"];

/** What an append did. `first`/`last` are the stored series' bounds afterwards (NaN when it is empty). */
export interface AppendResult {
  /** Bars newly stored (their ts was not stored before; counted under the series lock). */
  inserted: number;
  /** Input bars whose ts was already stored with bit-identical values. */
  identical: number;
  /** Input bars whose ts was already stored with a different value (kept or replaced, see `conflict`). */
  differing: number;
  /** `none` when no bar differed, else what was done with the differing ones: `kept` or `replaced`. */
  conflict: "none" | "kept" | "replaced";
  /** Input rows not newly stored: identical, differing, or repeated within the input. */
  duplicates: number;
  /** Bars in the series after the append. */
  total: number;
  first: number;
  last: number;
}

/** Catalog entry of one stored series. */
export interface SeriesInfo {
  exchange: string;
  symbol: string;
  timeframe: string;
  /** Open time of the first and last bar, epoch ms. */
  first: number;
  last: number;
  bars: number;
  calendar: Calendar;
  source: string;
  /** Parquet part files and their total size. */
  parts: number;
  bytes: number;
  /** ISO time of the last write. */
  updated: string;
}

/** Options of {@link Store.export}. */
export interface ExportOptions {
  /** `csv` (header `timestamp,open,high,low,close,volume`), `parquet` (zstd) or `arrow` (IPC stream). */
  format: "csv" | "parquet" | "arrow";
  /** Output file; written atomically (temp file in the same folder, fsync, rename). */
  out: string;
  /** Resample to this timeframe first (see {@link Store.resample}). */
  timeframe?: string;
  range?: TimeRange;
}

const DAY_MS = 86_400_000;
const WEEK_MS = 604_800_000;
/** 1970-01-05, the first Monday after the epoch: weekly buckets start Monday 00:00 UTC like ccxt. */
const MONDAY_OFFSET_MS = 4 * DAY_MS;
const BIG_BOUND = 2n ** 62n;
const READ_RETRIES = 8;

type ResamplePlan = { kind: "same" } | { kind: "fixed"; step: number; offset: number } | {
  kind: "months";
  months: number;
};

/**
 * The columnar store: Parquet parts per series under a data dir, a JSON manifest per series as the
 * catalog, and DuckDB for SQL (resampling). See the module doc for the layout and the guarantees.
 */
export class Store {
  readonly #root: string;
  readonly #threads: number;
  /** DuckDB, opened on the first SQL query (resampling, multi-part reads): most store users never need it. */
  #db: Promise<Duck> | undefined;
  #dbOpen: Duck | undefined;
  readonly #codec: Codec;
  readonly #fanout: number;
  readonly #mergeLimit: number;
  readonly #rowGroupRows: number;
  readonly #readOnly: boolean;
  readonly #writeQueues = new Map<string, Promise<unknown>>();
  #duckQueue: Promise<unknown> = Promise.resolve();
  #closed = false;

  private constructor(root: string, options: StoreOptions) {
    this.#root = root;
    this.#threads = options.threads ?? 2;
    this.#codec = options.compression ?? "none";
    this.#fanout = options.fanout ?? 8;
    this.#mergeLimit = options.mergeLimit ?? 1_048_576;
    this.#rowGroupRows = options.rowGroupRows ?? 1_048_576;
    this.#readOnly = options.readOnly === true;
  }

  /**
   * Opens (creating if needed) the store and removes temp files left by killed processes; with `readOnly`, only
   * opens it (see {@link StoreOptions.readOnly}).
   */
  static async open(options: StoreOptions = {}): Promise<Store> {
    if (options.compression !== undefined && options.compression !== "zstd" && options.compression !== "none") {
      throw new RangeError(`Invalid compression ${JSON.stringify(options.compression)}: use "zstd" or "none"`);
    }
    for (const [name, min] of [["fanout", 2], ["mergeLimit", 1], ["rowGroupRows", 1], ["threads", 1]] as const) {
      const v = options[name];
      if (v !== undefined && (!Number.isSafeInteger(v) || v < min)) {
        throw new RangeError(`Invalid ${name} ${v}: use an integer >= ${min}`);
      }
    }
    const root = resolveRoot(options.dir ?? dataDirFromEnv() ?? "data/store");
    if (!options.readOnly) await Deno.mkdir(root, { recursive: true });
    const store = new Store(root, options);
    try {
      if (!options.readOnly) await store.#cleanup();
    } catch (e) {
      store.close();
      throw e;
    }
    return store;
  }

  /** True when opened with `readOnly` (every write throws). */
  get readOnly(): boolean {
    return this.#readOnly;
  }

  /** The absolute data dir. */
  get dir(): string {
    return this.#root;
  }

  /**
   * Stores bars (any order; repeated timestamps allowed; within one input the first occurrence wins).
   * Idempotent: a bar whose ts is already stored with the same values is skipped (`identical`). A bar
   * whose ts is stored with other values is `differing` and handled by `options.onConflict` (default
   * `fail`: DataError, nothing written). Extra frame columns are ignored.
   */
  async append(id: SeriesId, bars: Frame, options: AppendOptions = {}): Promise<AppendResult> {
    this.#open();
    this.#writable("append");
    const sid = validateId(id);
    if (!(bars instanceof Frame)) {
      throw new TypeError(`Store.append needs a Frame of bars, got ${describe(bars)}; use Frame.fromBars(bars)`);
    }
    if (options.calendar !== undefined && !CalendarSchema.safeParse(options.calendar).success) {
      throw new RangeError(`Invalid calendar ${JSON.stringify(options.calendar)}: use "24/7", "weekdays" or "fx"`);
    }
    if (options.source !== undefined && typeof options.source !== "string") {
      throw new TypeError(`Invalid source ${describe(options.source)}: pass a string such as "ccxt:binance"`);
    }
    if (options.onConflict !== undefined && !ON_CONFLICT.includes(options.onConflict)) {
      throw new RangeError(
        `Invalid onConflict ${JSON.stringify(options.onConflict)}: use "keep", "replace" or "fail"`,
      );
    }
    const input = prepareInput(bars);
    const dir = seriesDir(this.#root, sid);
    if (input.cols[0]!.length === 0 && options.calendar === undefined && options.source === undefined) {
      const m = await readManifest(dir);
      return {
        inserted: 0,
        identical: 0,
        differing: 0,
        conflict: "none",
        duplicates: input.duplicates,
        total: m?.bars ?? 0,
        first: m?.first ?? NaN,
        last: m?.last ?? NaN,
      };
    }
    return await this.#serialize(dir, () => withDirLock(dir, () => this.#appendLocked(sid, dir, input, options)));
  }

  /** Open time of the last stored bar, or undefined for an unknown or empty series (downloads resume after it). */
  async lastTs(id: SeriesId): Promise<number | undefined> {
    this.#open();
    const m = await readManifest(seriesDir(this.#root, validateId(id)));
    return m && m.bars > 0 ? m.last : undefined;
  }

  /** Bars with `from <= ts < to` as a Frame (ts as float64 epoch ms). Unknown series: DataError. */
  async read(id: SeriesId, range: TimeRange = {}): Promise<Frame> {
    this.#open();
    const { from, to } = checkRange(range);
    return await this.#withManifest(id, async (m, dir) => {
      const r = await this.#readRange(dir, m.parts, from, to, false);
      return frameOf(r.ts as Float64Array, r.cols);
    });
  }

  /** Like {@link read} as an apache-arrow Table: `ts` Int64 epoch ms, then five Float64 columns. */
  async readArrow(id: SeriesId, range: TimeRange = {}): Promise<Table> {
    this.#open();
    const { from, to } = checkRange(range);
    return await this.#withManifest(id, async (m, dir) => {
      const r = await this.#readRange(dir, m.parts, from, to, true);
      const [open, high, low, close, volume] = r.cols as [
        Float64Array,
        Float64Array,
        Float64Array,
        Float64Array,
        Float64Array,
      ];
      return tableFromArrays({ ts: r.ts as BigInt64Array, open, high, low, close, volume });
    });
  }

  /**
   * Aggregates to a larger `timeframe` in DuckDB: open of the first bar, max high, min low, close of the
   * last bar, summed volume, per bucket `ts - (ts - offset) mod step`. Buckets align to the epoch, except
   * weeks, which start Monday 00:00 UTC (as ccxt), and months (`1M`, `3M`, `1y`), which follow the UTC
   * calendar. The target must be a whole multiple of the source (months need a source that divides a
   * day); otherwise RangeError. `range` filters source bars; edge buckets hold whatever bars exist, and
   * missing bars are not filled.
   */
  async resample(id: SeriesId, timeframe: string, range: TimeRange = {}): Promise<Frame> {
    this.#open();
    const sid = validateId(id);
    const plan = resamplePlan(sid, timeframe);
    if (plan.kind === "same") return await this.read(sid, range);
    const { from, to } = checkRange(range);
    return await this.#withManifest(sid, async (m, dir) => {
      const parts = overlapping(m.parts, from, to);
      if (parts.length === 0) return frameOf(new Float64Array(0), emptyCols(5));
      const files = parts.map((p) => join(dir, p.file));
      const aggs = "arg_min(open, ts), max(high), min(low), arg_max(close, ts), sum(volume)";
      const bounded = from !== -Infinity || to !== Infinity;
      const source = `FROM read_parquet($1)${bounded ? " WHERE ts >= $2 AND ts < $3" : ""}`;
      const params = (d: Duck): DuckDBValue[] => {
        const list = d.mod.listValue(files);
        return bounded ? [list, toBig(from), toBig(to)] : [list];
      };
      // Step, offset and month count are integers we derived from a validated timeframe, never caller text.
      // They are inlined because DuckDB does not constant-fold parameters: a bound step made this
      // GROUP BY about 5x slower (measured on 10M rows).
      let sql: string;
      if (plan.kind === "fixed") {
        const step = sqlInt(plan.step), off = sqlInt(plan.offset);
        // Integer division floors only for non-negative operands; before 1970 use the exact modulo form.
        const bucket = m.first >= plan.offset
          ? `(ts - ${off}) // ${step} * ${step} + ${off}`
          : `ts - ((ts - ${off}) % ${step} + ${step}) % ${step}`;
        sql = `SELECT CAST(${bucket} AS DOUBLE) AS b, ${aggs} ${source} GROUP BY 1 ORDER BY 1`;
      } else {
        const n = sqlInt(plan.months);
        sql =
          `SELECT CAST(epoch_ms(TIMESTAMP '1970-01-01' + to_months(CAST(mi - ((mi % ${n}) + ${n}) % ${n} AS INTEGER)))
            AS DOUBLE) AS b, ${aggs}
          FROM (SELECT *, (year(make_timestamp(ts * 1000)) - 1970) * 12 + month(make_timestamp(ts * 1000)) - 1 AS mi
                ${source})
          GROUP BY 1 ORDER BY 1`;
      }
      const cols = await this.#duck((d) => queryColumns(d.conn, sql, params(d)));
      return frameOf(cols[0]!, cols.slice(1));
    });
  }

  /** Every stored series, sorted by exchange, symbol, timeframe. */
  async list(): Promise<SeriesInfo[]> {
    this.#open();
    const out: SeriesInfo[] = [];
    for (const dir of await this.#seriesDirs()) {
      const m = await readManifest(dir);
      if (m && m.bars > 0) out.push(infoOf(m));
    }
    return out.sort((a, b) =>
      a.exchange.localeCompare(b.exchange) || a.symbol.localeCompare(b.symbol) ||
      timeframeOrder(a.timeframe) - timeframeOrder(b.timeframe)
    );
  }

  /** Catalog entry of one series, or undefined when it is not stored. */
  async info(id: SeriesId): Promise<SeriesInfo | undefined> {
    this.#open();
    const m = await readManifest(seriesDir(this.#root, validateId(id)));
    return m && m.bars > 0 ? infoOf(m) : undefined;
  }

  /** Writes a series (optionally resampled and ranged) to a file, atomically. Returns the rows written. */
  async export(id: SeriesId, options: ExportOptions): Promise<{ rows: number }> {
    this.#open();
    this.#writable("export");
    const sid = validateId(id);
    if (!options || !["csv", "parquet", "arrow"].includes(options.format)) {
      throw new RangeError(`Invalid export format ${JSON.stringify(options?.format)}: use "csv", "parquet" or "arrow"`);
    }
    if (typeof options.out !== "string" || options.out.length === 0 || options.out.includes("\0")) {
      throw new TypeError(`Invalid export path ${JSON.stringify(options.out)}: pass a file path without NUL bytes`);
    }
    const frame = options.timeframe !== undefined && options.timeframe !== sid.timeframe
      ? await this.resample(sid, options.timeframe, options.range)
      : await this.read(sid, options.range);
    const out = resolve(options.out);
    const tmp = tempPathFor(out);
    try {
      if (options.format === "parquet") {
        await writePart(tmp, [frame.ts, ...OHLCV.map((c) => frame.col(c))], { codec: "zstd", zstdLevel: 3 });
      } else {
        const f = await Deno.open(tmp, { write: true, createNew: true });
        try {
          if (options.format === "csv") await writeCsv(f, frame);
          else await writeAll(f, tableToIPC(frame.toArrow(), "stream"));
          await f.sync();
        } finally {
          f.close();
        }
      }
      await Deno.rename(tmp, out);
    } catch (e) {
      await removeIfExists(tmp);
      throw e;
    }
    await syncDir(dirname(out));
    return { rows: frame.length };
  }

  /** Deletes a series: its manifest first (so it disappears at once), then its parts. */
  async remove(id: SeriesId): Promise<void> {
    this.#open();
    this.#writable("remove");
    const sid = validateId(id);
    const dir = seriesDir(this.#root, sid);
    if (!(await readManifest(dir))) throw unknownSeries(sid, this.#root);
    await this.#serialize(dir, () =>
      withDirLock(dir, async () => {
        const m = await readManifest(dir);
        if (!m) throw unknownSeries(sid, this.#root);
        await Deno.remove(join(dir, "manifest.json"));
        await syncDir(dir);
        await this.#gcOrphans(dir, undefined);
      }));
  }

  /**
   * Merges all parts of a series into one (reads the whole series into memory). Appends already keep
   * the part count small; this is for archiving or before copying the folder elsewhere.
   */
  async compact(id: SeriesId): Promise<SeriesInfo> {
    this.#open();
    this.#writable("compact");
    const sid = validateId(id);
    const dir = seriesDir(this.#root, sid);
    if (!(await readManifest(dir))) throw unknownSeries(sid, this.#root);
    return await this.#serialize(dir, () =>
      withDirLock(dir, async () => {
        let m = await readManifest(dir);
        if (!m) throw unknownSeries(sid, this.#root);
        if (m.parts.length > 1) m = await this.#mergeParts(dir, m, m.parts);
        return infoOf(m);
      }));
  }

  /** Closes the DuckDB connection; further calls throw. */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    const open = this.#dbOpen, pending = this.#db;
    this.#db = this.#dbOpen = undefined;
    if (open) closeDuck(open);
    // Still opening: close it once it is open (nothing can use it: every method checks #closed first).
    else pending?.then(closeDuck, () => {});
  }

  [Symbol.dispose](): void {
    this.close();
  }

  // ---- internals ----

  #open(): void {
    if (this.#closed) throw new Error(`Store ${this.#root} is closed; open a new one with Store.open()`);
  }

  #writable(op: string): void {
    if (this.#readOnly) {
      throw new Error(`Store ${this.#root} is open read-only; ${op} needs a store opened without readOnly`);
    }
  }

  /** One write at a time per series in this process (the file lock covers other processes). */
  async #serialize<T>(key: string, fn: () => Promise<T>): Promise<T> {
    const prev = this.#writeQueues.get(key) ?? Promise.resolve();
    const run = prev.then(fn, fn);
    const tail = run.catch(() => {});
    this.#writeQueues.set(key, tail);
    try {
      return await run;
    } finally {
      if (this.#writeQueues.get(key) === tail) this.#writeQueues.delete(key);
    }
  }

  /** DuckDB connections run one statement at a time. */
  async #duck<T>(fn: (d: Duck) => Promise<T>): Promise<T> {
    const go = async (): Promise<T> => fn(this.#dbOpen ?? await this.#openDuck());
    const run = this.#duckQueue.then(go, go);
    this.#duckQueue = run.catch(() => {});
    return await run;
  }
  #openDuck(): Promise<Duck> {
    const opening = this.#db ??= openDuck(this.#threads);
    opening.then((d) => {
      if (this.#db === opening) this.#dbOpen = d;
    }, () => {
      if (this.#db === opening) this.#db = undefined; // a later query tries again
    });
    return opening;
  }

  /** Loads the manifest and runs `fn`; if a part vanished (a concurrent writer compacted), reloads and retries. */
  async #withManifest<T>(id: SeriesId, fn: (m: Manifest, dir: string) => Promise<T>): Promise<T> {
    const sid = validateId(id);
    const dir = seriesDir(this.#root, sid);
    for (let attempt = 1;; attempt++) {
      const m = await readManifest(dir);
      if (!m || m.bars === 0) throw unknownSeries(sid, this.#root);
      try {
        return await fn(m, dir);
      } catch (e) {
        if (attempt >= READ_RETRIES || !isVanishedFile(e)) throw e;
        await new Promise((r) => setTimeout(r, 5 * attempt));
      }
    }
  }

  async #appendLocked(sid: SeriesId, dir: string, input: PreparedInput, options: AppendOptions): Promise<AppendResult> {
    const existing = await readManifest(dir);
    await this.#gcOrphans(dir, existing);
    let m: Manifest = existing ?? {
      format: 1,
      exchange: sid.exchange,
      symbol: sid.symbol,
      timeframe: sid.timeframe,
      calendar: "24/7",
      source: "",
      parts: [],
      bars: 0,
      first: NaN,
      last: NaN,
      version: 0,
      updated: "",
    };
    const metaChanged = (options.calendar !== undefined && options.calendar !== m.calendar) ||
      (options.source !== undefined && options.source !== m.source);
    m = { ...m, calendar: options.calendar ?? m.calendar, source: options.source ?? m.source };

    const cols = input.cols;
    const ts = cols[0]!;
    const n = ts.length;
    const onConflict = options.onConflict ?? "fail";
    // Pass 1 reads and compares only; a `fail` must leave the series untouched, so nothing is written
    // before every overlap is known. Parts are sorted and disjoint: input rows before a part's first bar
    // are a new part; rows inside a part's range are identical, differing or fill a hole.
    type Step = { kind: "new"; start: number; end: number } | {
      kind: "overlap";
      part: PartEntry;
      fresh: Uint32Array;
      differ: Uint32Array;
    };
    const steps: Step[] = [];
    let identical = 0, differing = 0;
    let firstDiff: { input: number; stored: number[] } | undefined;
    let i = 0;
    for (let p = 0; p <= m.parts.length && i < n; p++) {
      const part = m.parts[p];
      const gapEnd = part ? Math.max(i, lowerBound(ts, part.first)) : n;
      if (gapEnd > i) {
        steps.push({ kind: "new", start: i, end: gapEnd });
        i = gapEnd;
      }
      if (!part) break;
      const insideEnd = Math.max(i, lowerBound(ts, part.last + 1));
      if (insideEnd > i) {
        const r = await this.#readRange(dir, [part], ts[i]!, ts[insideEnd - 1]! + 1, false);
        const stored: Columns = [r.ts as Float64Array, ...r.cols];
        const cmp = compareWithStored(cols, i, insideEnd, stored);
        if (cmp.differ.length > 0 && firstDiff === undefined) {
          firstDiff = { input: cmp.differ[0]!, stored: stored.map((c) => c[cmp.firstStored]!) };
        }
        differing += cmp.differ.length;
        identical += insideEnd - i - cmp.fresh.length - cmp.differ.length;
        steps.push({ kind: "overlap", part, fresh: cmp.fresh, differ: cmp.differ });
        i = insideEnd;
      }
    }
    if (firstDiff !== undefined && onConflict === "fail") {
      throw conflictError(sid, differing, n, cols, firstDiff.input, firstDiff.stored);
    }
    // Pass 2 writes new parts; the manifest commit below is the one point where they become visible.
    const replace = onConflict === "replace";
    const added: PartEntry[] = [];
    const replaced = new Set<string>();
    for (const step of steps) {
      if (step.kind === "new") {
        added.push(await this.#writeNewPart(dir, sliceCols(cols, step.start, step.end)));
        continue;
      }
      const rewriteDiffering = replace && step.differ.length > 0;
      if (step.fresh.length === 0 && !rewriteDiffering) continue;
      let whole = await this.#readWhole(dir, step.part);
      if (rewriteDiffering) overwriteRows(whole, cols, step.differ);
      if (step.fresh.length > 0) whole = mergeDisjoint(whole, gather(cols, step.fresh));
      added.push(await this.#writeNewPart(dir, whole));
      replaced.add(step.part.file);
    }
    if (added.length > 0 || (metaChanged && existing)) {
      await syncDir(dir);
      m = await commitManifest(dir, { ...m, parts: m.parts.filter((p) => !replaced.has(p.file)).concat(added) });
      for (const f of replaced) await removeIfExists(join(dir, f));
      m = await this.#compactLocked(dir, m);
    }
    const known = identical + differing;
    return {
      inserted: n - known,
      identical,
      differing,
      conflict: differing === 0 ? "none" : replace ? "replaced" : "kept",
      duplicates: input.duplicates + known,
      total: m.bars,
      first: m.first,
      last: m.last,
    };
  }

  async #compactLocked(dir: string, m: Manifest): Promise<Manifest> {
    for (;;) {
      const plan = planMerge(m.parts.map((p) => p.rows), this.#fanout, this.#mergeLimit);
      if (!plan) return m;
      m = await this.#mergeParts(dir, m, m.parts.slice(plan[0], plan[1]));
    }
  }

  /** Rewrites adjacent parts `run` as one, commits, then deletes the old files. */
  async #mergeParts(dir: string, m: Manifest, run: PartEntry[]): Promise<Manifest> {
    const pieces: Columns[] = [];
    for (const p of run) pieces.push(await this.#readWhole(dir, p));
    const entry = await this.#writeNewPart(dir, concatCols(pieces));
    await syncDir(dir);
    const names = new Set(run.map((p) => p.file));
    const next = await commitManifest(dir, { ...m, parts: m.parts.filter((p) => !names.has(p.file)).concat(entry) });
    for (const f of names) await removeIfExists(join(dir, f));
    return next;
  }

  async #writeNewPart(dir: string, cols: Columns): Promise<PartEntry> {
    const rand = crypto.getRandomValues(new Uint32Array(1))[0]!.toString(36);
    const file = `part-${Date.now().toString(36)}-${rand}.parquet`;
    const path = join(dir, file);
    const tmp = tempPathFor(path);
    try {
      const st = await writePart(tmp, cols, { codec: this.#codec, rowGroupRows: this.#rowGroupRows });
      await Deno.rename(tmp, path);
      return { file, rows: st.rows, first: st.first, last: st.last, bytes: st.bytes };
    } catch (e) {
      await removeIfExists(tmp);
      throw e;
    }
  }

  async #readWhole(dir: string, part: PartEntry): Promise<Columns> {
    const r = await this.#readRange(dir, [part], -Infinity, Infinity, false);
    return [r.ts as Float64Array, ...r.cols];
  }

  /**
   * Reads rows `from <= ts < to` of `parts` (sorted, disjoint) straight from our Parquet pages; a part in
   * a layout this reader does not handle goes through DuckDB. `rawTs` returns ts as BigInt64Array.
   */
  async #readRange(
    dir: string,
    allParts: PartEntry[],
    from: number,
    to: number,
    rawTs: boolean,
    tsOnly = false,
  ): Promise<{ ts: Float64Array | BigInt64Array; cols: Float64Array[] }> {
    const parts = overlapping(allParts, from, to);
    const files: { file: Deno.FsFile; layout?: PartLayout; part: PartEntry }[] = [];
    try {
      let capacity = 0;
      for (const part of parts) {
        const file = await Deno.open(join(dir, part.file), { read: true });
        const entry: { file: Deno.FsFile; layout?: PartLayout; part: PartEntry } = { file, part };
        files.push(entry);
        try {
          entry.layout = await readLayout(file, (await file.stat()).size);
          for (const rg of entry.layout.rowGroups) if (rg.tsMax >= from && rg.tsMin < to) capacity += rg.rows;
        } catch (e) {
          if (!(e instanceof UnsupportedPartError)) throw e;
          capacity += part.rows;
        }
      }
      const ts = rawTs ? new BigInt64Array(capacity) : new Float64Array(capacity);
      const cols = tsOnly ? [] : emptyCols(5, capacity);
      const scratch = new ReadScratch();
      let n = 0;
      for (const { file, layout, part } of files) {
        if (!layout) {
          n += await this.#readForeign(join(dir, part.file), from, to, ts, cols, n);
          continue;
        }
        for (const rg of layout.rowGroups) {
          if (rg.tsMax < from || rg.tsMin >= to) continue;
          if (rg.tsMin >= from && rg.tsMax < to) {
            await readColumn(file, rg.columns[0]!, rg.rows, true, ts, n, scratch);
            for (let c = 0; c < cols.length; c++) {
              await readColumn(file, rg.columns[c + 1]!, rg.rows, false, cols[c]!, n, scratch);
            }
            n += rg.rows;
            continue;
          }
          // A row group straddling a bound: decode it aside, then copy the rows inside the range.
          const tmp = new Float64Array(rg.rows);
          await readColumn(file, rg.columns[0]!, rg.rows, true, tmp, 0, scratch);
          const lo = lowerBound(tmp, from), hi = lowerBound(tmp, to);
          if (hi <= lo) continue;
          if (ts instanceof BigInt64Array) {
            const raw = new BigInt64Array(rg.rows);
            await readColumn(file, rg.columns[0]!, rg.rows, true, raw, 0, scratch);
            ts.set(raw.subarray(lo, hi), n);
          } else ts.set(tmp.subarray(lo, hi), n);
          for (let c = 0; c < cols.length; c++) {
            await readColumn(file, rg.columns[c + 1]!, rg.rows, false, tmp, 0, scratch);
            cols[c]!.set(tmp.subarray(lo, hi), n);
          }
          n += hi - lo;
        }
      }
      // Keep the over-allocated buffer only when it is nearly full; otherwise copy to release memory.
      const fit = <A extends Float64Array | BigInt64Array>(a: A): A =>
        (n === capacity ? a : n >= capacity * 0.75 ? a.subarray(0, n) : a.slice(0, n)) as A;
      return { ts: fit(ts), cols: cols.map(fit) };
    } finally {
      for (const f of files) f.file.close();
    }
  }

  /** Reads a part we did not write through DuckDB; returns the rows added at `at`. */
  async #readForeign(
    path: string,
    from: number,
    to: number,
    ts: Float64Array | BigInt64Array,
    cols: Float64Array[],
    at: number,
  ): Promise<number> {
    const select = ["CAST(ts AS DOUBLE)", ...OHLCV.slice(0, cols.length).map((c) => `CAST(${c} AS DOUBLE)`)];
    const got = await this.#duck((d) =>
      queryColumns(
        d.conn,
        `SELECT ${select.join(", ")} FROM read_parquet($1) WHERE ts >= $2 AND ts < $3 ORDER BY ts`,
        [path, toBig(from), toBig(to)],
      )
    );
    const t = got[0]!;
    if (ts instanceof BigInt64Array) { for (let i = 0; i < t.length; i++) ts[at + i] = BigInt(t[i]!); }
    else ts.set(t, at);
    for (let c = 0; c < cols.length; c++) cols[c]!.set(got[c + 1]!, at);
    return t.length;
  }

  /** Deletes files of `dir` the manifest does not list (parts or temps of a killed writer). Caller holds the lock. */
  async #gcOrphans(dir: string, m: Manifest | undefined): Promise<void> {
    const keep = new Set(m?.parts.map((p) => p.file));
    for await (const e of Deno.readDir(dir)) {
      if (!e.isFile) continue;
      const orphanPart = e.name.startsWith("part-") && e.name.endsWith(".parquet") && !keep.has(e.name);
      if (orphanPart || e.name.startsWith(TEMP_PREFIX)) await removeIfExists(join(dir, e.name));
    }
  }

  /** On open: drop temp files of dead processes; collect orphans of series no other process is writing. */
  async #cleanup(): Promise<void> {
    for (const dir of await this.#seriesDirs()) {
      for await (const e of Deno.readDir(dir)) {
        if (!e.isFile || !e.name.startsWith(TEMP_PREFIX)) continue;
        const path = join(dir, e.name);
        const st = await Deno.stat(path).catch(() => undefined);
        if (st && isStaleTemp(e.name, st.mtime)) await removeIfExists(path);
      }
      await tryWithDirLock(dir, async () => await this.#gcOrphans(dir, await readManifest(dir)));
    }
  }

  /** Every `<exchange>/<symbol>/<timeframe>` folder under the root. */
  async #seriesDirs(): Promise<string[]> {
    const out: string[] = [];
    const subdirs = async (dir: string): Promise<string[]> => {
      const names: string[] = [];
      try {
        for await (const e of Deno.readDir(dir)) {
          if (e.isDirectory && !e.name.startsWith(".") && !e.name.startsWith("_")) names.push(e.name);
        }
      } catch (e) {
        if (!(e instanceof Deno.errors.NotFound)) throw e;
      }
      return names.sort().map((n) => join(dir, n));
    };
    for (const ex of await subdirs(this.#root)) {
      for (const sym of await subdirs(ex)) {
        try {
          decodeSymbol(sym.slice(ex.length + 1));
        } catch {
          continue; // not a folder the store made
        }
        out.push(...await subdirs(sym));
      }
    }
    return out;
  }
}

function describe(v: unknown): string {
  if (v === null) return "null";
  if (typeof v === "object") return (v as object).constructor?.name ?? "object";
  return `${typeof v} ${String(v)}`;
}

function unknownSeries(id: SeriesId, root: string): DataError {
  return new DataError(
    `Unknown series ${formatSeries(id)} in store ${root}; see what is stored with \`deno task data list\``,
  );
}

/** The refusal of a `fail` append: the series, how many bars differ, the first one with both values, the fix. */
function conflictError(
  id: SeriesId,
  differing: number,
  incoming: number,
  cols: Columns,
  row: number,
  stored: number[],
): DataError {
  const values = (v: (c: number) => number): string => OHLCV.map((name, c) => `${name} ${v(c + 1)}`).join(" ");
  const t = stored[0]!;
  return new DataError(
    `${formatSeries(id)}: ${differing} of ${incoming} incoming bars differ from the stored ones ` +
      `(first at ${new Date(t).toISOString().replace(".000Z", "Z")}: stored ${values((c) => stored[c]!)}, ` +
      `incoming ${values((c) => cols[c]![row]!)}); nothing was written. ` +
      `Pass onConflict: "replace" to store the incoming values or "keep" to keep the stored ones ` +
      `(command line: --on-conflict replace|keep)`,
  );
}

function isVanishedFile(e: unknown): boolean {
  if (e instanceof Deno.errors.NotFound) return true;
  const msg = e instanceof Error ? e.message : String(e);
  return /No files found|No such file|Could not open file|Cannot open file/i.test(msg);
}

function checkRange(range: TimeRange): { from: number; to: number } {
  if (range === null || typeof range !== "object") {
    throw new TypeError(`Invalid range ${describe(range)}: pass { from?: epochMs, to?: epochMs }`);
  }
  const from = range.from ?? -Infinity, to = range.to ?? Infinity;
  for (const [k, v] of [["from", from], ["to", to]] as const) {
    if (typeof v !== "number" || Number.isNaN(v)) {
      throw new RangeError(`Invalid range.${k} ${describe(v)}: pass epoch milliseconds`);
    }
  }
  return { from, to };
}

function toBig(x: number): bigint {
  if (x === Infinity || x > Number(BIG_BOUND)) return BIG_BOUND;
  if (x === -Infinity || x < -Number(BIG_BOUND)) return -BIG_BOUND;
  return BigInt(Math.ceil(x));
}

/** An integer as SQL text; throws unless it is a safe integer (so nothing else can reach the SQL). */
function sqlInt(x: number): string {
  if (!Number.isSafeInteger(x)) throw new RangeError(`Internal: ${x} is not a safe integer for SQL`);
  return String(x);
}

function overlapping(parts: PartEntry[], from: number, to: number): PartEntry[] {
  return parts.filter((p) => p.last >= from && p.first < to);
}

function emptyCols(n: number, length = 0): Float64Array[] {
  return Array.from({ length: n }, () => new Float64Array(length));
}

function frameOf(ts: Float64Array, cols: Float64Array[]): Frame {
  const [open, high, low, close, volume] = cols as [
    Float64Array,
    Float64Array,
    Float64Array,
    Float64Array,
    Float64Array,
  ];
  return new Frame(ts, { open, high, low, close, volume });
}

function infoOf(m: Manifest): SeriesInfo {
  return {
    exchange: m.exchange,
    symbol: m.symbol,
    timeframe: m.timeframe,
    first: m.first,
    last: m.last,
    bars: m.bars,
    calendar: m.calendar,
    source: m.source,
    parts: m.parts.length,
    bytes: m.parts.reduce((s, p) => s + p.bytes, 0),
    updated: m.updated,
  };
}

function timeframeOrder(tf: string): number {
  try {
    return timeframeMs(tf);
  } catch {
    return Infinity;
  }
}

function monthsOf(tf: string): number | undefined {
  const m = /^(\d+)([My])$/.exec(tf);
  return m ? Number(m[1]) * (m[2] === "y" ? 12 : 1) : undefined;
}

function resamplePlan(id: SeriesId, target: string): ResamplePlan {
  if (!TimeframeSchema.safeParse(target).success) {
    throw new RangeError(`Invalid timeframe ${JSON.stringify(target)}: use ccxt form such as 5m, 1h, 4h, 1d, 1w or 1M`);
  }
  const source = id.timeframe;
  if (target === source) return { kind: "same" };
  const fail = (why: string): never => {
    throw new RangeError(`Cannot resample ${formatSeries(id)} (timeframe ${source}) to ${target}: ${why}`);
  };
  const tm = monthsOf(target), sm = monthsOf(source);
  if (tm === undefined) {
    if (sm !== undefined) fail("a calendar-month source only resamples to whole multiples of months");
    const s = timeframeMs(source), t = timeframeMs(target);
    if (t < s || t % s !== 0) {
      fail(
        `the target must be a whole multiple of the source (${t} ms is not a multiple of ${s} ms); ` +
          `only aggregation to a larger timeframe is supported`,
      );
    }
    return { kind: "fixed", step: t, offset: t % WEEK_MS === 0 ? MONDAY_OFFSET_MS : 0 };
  }
  if (sm !== undefined) {
    if (tm < sm || tm % sm !== 0) fail(`${tm} months is not a whole multiple of ${sm} months`);
  } else if (DAY_MS % timeframeMs(source) !== 0) {
    fail("monthly buckets need a source timeframe that divides one day");
  }
  return { kind: "months", months: tm };
}

async function writeCsv(f: Deno.FsFile, frame: Frame): Promise<void> {
  const enc = new TextEncoder();
  await writeAll(f, enc.encode("timestamp,open,high,low,close,volume\n"));
  const { ts, open, high, low, close, volume } = frame;
  // JS number printing is the shortest text that parses back to the same double; only -0 needs help.
  const s = (x: number): string => (x === 0 && 1 / x < 0 ? "-0" : `${x}`);
  for (let start = 0; start < frame.length; start += 65_536) {
    const end = Math.min(frame.length, start + 65_536);
    let text = "";
    for (let i = start; i < end; i++) {
      text += `${ts[i]},${s(open[i]!)},${s(high[i]!)},${s(low[i]!)},${s(close[i]!)},${s(volume[i]!)}\n`;
    }
    await writeAll(f, enc.encode(text));
  }
}
