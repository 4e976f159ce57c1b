import type { Table } from "apache-arrow";
import type { DuckDBValue } from "@duckdb/node-api";
import { join, resolve } from "node:path";
import { Frame } from "../frame/mod.ts";
import { dataDirFromEnv } from "../fs/mod.ts";
import { formatStat, STATS, STATS_BY_KEY } from "../metrics/mod.ts";
import type { ExitReason, Trade } from "../types/mod.ts";
import { type Columns, columnsFromArrow } from "./columns.ts";
import { LazyDuck, readColumns, sqlString, withDuck } from "./_duck.ts";
import { syncDir } from "./_fs.ts";
import { encodeParquet, writeAllSync } from "./_encode_parquet.ts";
import { newRunId } from "./new_run_id.ts";
import { parseRunId } from "./parse_run_id.ts";
import {
  type RecordOptions,
  type RunInput,
  type RunKind,
  type RunRecord,
  type RunSource,
  StoredRunSchema,
} from "./run_record.ts";
import { tradeColumns } from "./trade_columns.ts";
import { type BacktestLike, runInputFromBacktest } from "./run_input_from_backtest.ts";
import { writeParquet } from "./write_parquet.ts";

/** Options of {@link RunRegistry.open}. */
export interface RunRegistryOptions {
  /** The runs folder. Default: `<SENTINEL_DATA_DIR>/_runs`, else `data/store/_runs` (beside the store's series). */
  dir?: string;
  /**
   * Open for reading only (the MCP server): no folder is made, no crashed temp folder is removed, and `record` and
   * `remove` throw. A missing folder reads as a registry with no runs. Default false.
   */
  readOnly?: boolean;
}

/** Filters of {@link RunRegistry.list}; all optional, combined with AND. */
export interface ListRunsOptions {
  strategy?: string;
  /** Runs whose data includes this series (`samples:GOOG:1d`). */
  series?: string;
  kind?: RunKind;
  source?: RunSource;
  /** Only runs recorded at or after this time (epoch ms, Date or ISO text). */
  since?: number | Date | string;
  /** Most runs returned, newest first. Default 100. */
  limit?: number;
}

/** One line of {@link RunRegistry.compare}. */
export interface CompareRow {
  key: string;
  /** Registry title (the key for stats outside the registry). */
  title: string;
  a: number;
  b: number;
  /** `b - a`. */
  diff: number;
  /** `formatStat` text of a and b. */
  aText: string;
  bText: string;
  /** Which run is better on this stat, by the registry's `higherIsBetter`; `""` when it has no direction. */
  better: "a" | "b" | "same" | "";
}

const FILE_NAME = /^[a-z0-9][a-z0-9_.-]{0,63}$/;
const RESERVED = new Set(["run.json", "equity.parquet", "trades.parquet", "sweep.parquet"]);
const STALE_TEMP_MS = 3_600_000;

/**
 * The runs registry: every backtest, sweep and walk-forward (from the CLI, the web lab or a
 * scheduled job) with its manifest, stats and curves, so runs can be listed and compared later.
 *
 * Layout: one folder per run, `<dir>/<runId>/` holding `run.json` ({@link RunRecord}; NaN and
 * ±Infinity stats are stored as null plus a `nonfinite` map, so DuckDB reads `stats` as
 * `MAP(VARCHAR, DOUBLE)`), and `equity.parquet`, `trades.parquet`, `sweep.parquet` when the run
 * has them, plus extra files such as `report.html`. A run is written into a temp folder,
 * fsynced and renamed into place: readers see a whole run or none, and writers never lock.
 *
 * Why folders and not a DuckDB database: DuckDB allows one writer process per file, and the web
 * lab (long running) and a cron job (`deno task backtest --config`) must both record runs. Each
 * run is immutable after its rename, so any number of processes write and read at once.
 *
 * Listing scans the folder names (ids sort by time, so `since` and `limit` stop the scan
 * early) and parses run.json: 1000 runs with 14 KB manifests list in about 0.1 s, the same query
 * through DuckDB's read_json takes 0.2-0.3 s, and the 20 newest take 6 ms (bench/runs_bench.ts).
 * For analysis across runs, {@link RunRegistry.query} opens an
 * in-memory DuckDB with views `runs`, `equity`, `trades` and `sweeps` over the files (each
 * Parquet view has a `run_id` column), with bound parameters.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { RunRegistry } from "./run_registry.ts";
 * const dir = await Deno.makeTempDir();
 * const runs = await RunRegistry.open({ dir });
 * const rec = await runs.record({
 *   kind: "single", series: ["samples:GOOG:1d"], strategy: "sma_cross", params: { fast: 10, slow: 30 },
 *   options: { fee: 0.001 }, manifest: { id: "ab".repeat(32) }, stats: { sharpe: 1.1, final_equity: 11_000 },
 *   equity: { ts: Float64Array.of(0, 86_400_000), equity: Float64Array.of(10_000, 11_000) },
 * }, { source: "cli", label: "demo" });
 * assert.deepEqual((await runs.list({ strategy: "sma_cross" })).map((r) => r.id), [rec.id]);
 * assert.deepEqual([...(await runs.equity(rec.id)).col("equity")], [10_000, 11_000]);
 * await runs.close(); // releases the DuckDB instance the Parquet reads share
 * const rows = await runs.query("SELECT id, stats['sharpe'] AS sharpe FROM runs WHERE label = $1", ["demo"]);
 * assert.deepEqual(rows, [{ id: rec.id, sharpe: 1.1 }]);
 * await Deno.remove(dir, { recursive: true });
 * ```
 */
export class RunRegistry {
  readonly #dir: string;
  /** Reads a run's Parquet files; {@link query} keeps its own instance per call (user SQL may change state). */
  readonly #duck = new LazyDuck();
  readonly #readOnly: boolean;

  private constructor(dir: string, readOnly: boolean) {
    this.#dir = dir;
    this.#readOnly = readOnly;
  }

  /**
   * Opens (creating) the runs folder and removes temp folders of runs that crashed over an hour ago; with `readOnly`,
   * touches nothing (see {@link RunRegistryOptions.readOnly}).
   */
  static async open(options: RunRegistryOptions = {}): Promise<RunRegistry> {
    const raw = options.dir ?? defaultDir();
    if (typeof raw !== "string" || raw.length === 0 || raw.includes("\0")) {
      throw new TypeError(`Invalid runs dir ${JSON.stringify(raw)}: pass a non-empty path without NUL bytes`);
    }
    const dir = resolve(raw);
    if (options.readOnly === true) return new RunRegistry(dir, true);
    await Deno.mkdir(dir, { recursive: true });
    const now = Date.now();
    for await (const e of Deno.readDir(dir)) {
      if (!e.name.startsWith(".tmp-")) continue;
      const st = await Deno.stat(join(dir, e.name)).catch(() => undefined);
      if (st?.mtime && now - st.mtime.getTime() > STALE_TEMP_MS) {
        await Deno.remove(join(dir, e.name), { recursive: true }).catch(() => {});
      }
    }
    return new RunRegistry(dir, false);
  }

  /**
   * Releases the in-memory DuckDB that {@link equity}, {@link trades} and {@link sweep} share
   * (created on their first call, kept so later reads skip its start-up), after reads in flight
   * finish. Call it when done, e.g. when the lab shuts down; a later read opens a new one.
   */
  async close(): Promise<void> {
    await this.#duck.close();
  }

  /** Same as {@link close}, for `await using`. */
  async [Symbol.asyncDispose](): Promise<void> {
    await this.close();
  }

  /** True when opened with `readOnly`. */
  get readOnly(): boolean {
    return this.#readOnly;
  }

  /** The absolute runs folder. */
  get dir(): string {
    return this.#dir;
  }

  /** Records a run (a {@link RunInput}, or a BacktestResult as a single run) and returns its record. */
  async record(input: RunInput | BacktestLike, options: RecordOptions = {}): Promise<RunRecord> {
    this.#writable("record");
    const run = isBacktestLike(input) ? runInputFromBacktest(input) : input;
    checkInput(run);
    const source = options.source ?? "cli";
    if (!["cli", "web", "job"].includes(source)) {
      throw new RangeError(`Invalid run source ${JSON.stringify(source)}: use "cli", "web" or "job"`);
    }
    const label = options.label ?? "";
    if (typeof label !== "string") throw new TypeError(`Invalid run label ${String(label)}: pass text`);
    const now = options.now ?? new Date();
    const manifestId = await manifestHash(run.manifest);
    const stats: Record<string, number | null> = {};
    const nonfinite: Record<string, "NaN" | "Infinity" | "-Infinity"> = {};
    for (const [k, v] of Object.entries(run.stats)) {
      if (typeof v !== "number") continue;
      stats[k] = Number.isFinite(v) ? v : null;
      if (!Number.isFinite(v)) nonfinite[k] = Number.isNaN(v) ? "NaN" : v > 0 ? "Infinity" : "-Infinity";
    }
    const extra = Object.entries(run.files ?? {});
    for (const [name] of extra) {
      if (!FILE_NAME.test(name) || RESERVED.has(name)) {
        throw new RangeError(
          `Invalid run file name ${JSON.stringify(name)}: use lower-case letters, digits, _ - . ` +
            `and none of ${[...RESERVED].join(", ")}`,
        );
      }
    }
    const files = [
      ...(run.equity ? ["equity.parquet"] : []),
      ...(run.trades ? ["trades.parquet"] : []),
      ...(run.sweep ? ["sweep.parquet"] : []),
      ...extra.map(([name]) => name),
    ];
    for (let attempt = 0;; attempt++) {
      const id = newRunId(manifestId, now);
      const stored = {
        schema: 1 as const,
        id,
        kind: run.kind,
        created_at: now.toISOString(),
        source,
        label,
        series: [...run.series],
        strategy: run.strategy,
        params: run.params,
        options: run.options,
        manifest_id: manifestId,
        manifest: run.manifest,
        stats,
        nonfinite,
        detail: run.detail ?? {},
        files,
      };
      const tmp = join(this.#dir, `.tmp-${id}-${Deno.pid}`);
      await Deno.mkdir(tmp);
      try {
        await writeRunFiles(tmp, [
          ...(run.equity ? [["equity.parquet", () => asColumns(run.equity!)] as const] : []),
          ...(run.trades ? [["trades.parquet", () => tradeColumns(run.trades!)] as const] : []),
          ...(run.sweep ? [["sweep.parquet", () => asColumns(run.sweep!)] as const] : []),
          ...extra,
          ["run.json", JSON.stringify(stored, null, 1)],
        ]);
        await syncDir(tmp);
        try {
          await Deno.rename(tmp, join(this.#dir, id));
        } catch (e) {
          // Another process made the same id in the same millisecond (1 in 65536): draw another tail.
          if (attempt < 5 && await exists(join(this.#dir, id))) continue;
          throw e;
        }
      } catch (e) {
        await Deno.remove(tmp, { recursive: true }).catch(() => {});
        throw e;
      }
      await syncDir(this.#dir);
      return restore(stored);
    }
  }

  /** Recorded runs, newest first, filtered. */
  async list(options: ListRunsOptions = {}): Promise<RunRecord[]> {
    const limit = options.limit ?? 100;
    if (!Number.isSafeInteger(limit) || limit < 0) {
      throw new RangeError(`Invalid limit ${limit}: use a whole number >= 0`);
    }
    const since = options.since === undefined ? -Infinity : toMs(options.since, "since");
    const ids: string[] = [];
    for await (const e of readDirOrNone(this.#dir)) {
      if (e.isDirectory && isRunId(e.name)) ids.push(e.name);
    }
    ids.sort().reverse();
    const out: RunRecord[] = [];
    for (const id of ids) {
      if (out.length >= limit) break;
      const rec = await this.#read(id).catch((e) => {
        if (e instanceof Deno.errors.NotFound) return undefined; // deleted meanwhile
        throw e;
      });
      if (rec === undefined) continue;
      if (Date.parse(rec.created_at) < since) break;
      if (options.strategy !== undefined && rec.strategy !== options.strategy) continue;
      if (options.kind !== undefined && rec.kind !== options.kind) continue;
      if (options.source !== undefined && rec.source !== options.source) continue;
      if (options.series !== undefined && !rec.series.includes(options.series)) continue;
      out.push(rec);
    }
    return out;
  }

  /** One run; a RangeError names the id when it is malformed or not recorded. */
  async get(id: string): Promise<RunRecord> {
    parseRunId(id);
    try {
      return await this.#read(id);
    } catch (e) {
      if (e instanceof Deno.errors.NotFound) {
        throw new RangeError(`Unknown run id ${JSON.stringify(id)} in ${this.#dir}: list the runs to see the ids`);
      }
      throw e;
    }
  }

  /** Path of one of a run's files (after validating both names). */
  path(id: string, file = "run.json"): string {
    parseRunId(id);
    if (!FILE_NAME.test(file)) throw new RangeError(`Invalid run file name ${JSON.stringify(file)}`);
    return join(this.#dir, id, file);
  }

  /** The equity curve of a run as a Frame (`ts` plus `equity`, `drawdown`, `benchmark`, ... columns). */
  async equity(id: string): Promise<Frame> {
    const cols = await this.#readParquet(id, "equity.parquet");
    const ts = cols.ts;
    if (!(ts instanceof Float64Array)) throw new RangeError(`Run ${id}: equity.parquet has no numeric ts column`);
    const columns: Record<string, Float64Array> = {};
    for (const [k, v] of Object.entries(cols)) if (k !== "ts" && v instanceof Float64Array) columns[k] = v;
    return new Frame(ts, columns);
  }

  /** The trades of a run (empty when it recorded none). */
  async trades(id: string): Promise<Trade[]> {
    const rec = await this.get(id);
    if (!rec.files.includes("trades.parquet")) return [];
    const c = await this.#readParquet(id, "trades.parquet");
    const num = (k: string): Float64Array => c[k] as Float64Array;
    const text = (k: string): (string | null)[] => c[k] as (string | null)[];
    const n = num("pnl").length;
    return Array.from({ length: n }, (_, i) => ({
      asset: text("asset")[i] ?? "",
      direction: text("direction")[i] === "short" ? "short" : "long",
      entryIndex: num("entry_index")[i]!,
      exitIndex: num("exit_index")[i]!,
      entryTs: num("entry_ts")[i]!,
      exitTs: num("exit_ts")[i]!,
      entryPrice: num("entry_price")[i]!,
      exitPrice: num("exit_price")[i]!,
      size: num("size")[i]!,
      pnl: num("pnl")[i]!,
      return: num("return")[i]!,
      fees: num("fees")[i]!,
      bars: num("bars")[i]!,
      durationMs: num("duration_ms")[i]!,
      exitReason: (text("exit_reason")[i] ?? "signal") as ExitReason,
    }));
  }

  /** The per-combo table of a sweep run. */
  async sweep(id: string): Promise<Columns> {
    return await this.#readParquet(id, "sweep.parquet");
  }

  /**
   * Stats of run `b` against run `a`, one row per stat either run has: registry stats in
   * registry order, then the others.
   */
  async compare(idA: string, idB: string): Promise<CompareRow[]> {
    const [a, b] = await Promise.all([this.get(idA), this.get(idB)]);
    const keys = [
      ...STATS.map((s) => s.key).filter((k) => k in a.stats || k in b.stats),
      ...[...new Set([...Object.keys(a.stats), ...Object.keys(b.stats)])].filter((k) => !STATS_BY_KEY.has(k)),
    ];
    return keys.map((key) => {
      const def = STATS_BY_KEY.get(key);
      const va = a.stats[key] ?? NaN;
      const vb = b.stats[key] ?? NaN;
      let better: CompareRow["better"] = "";
      if (def?.higherIsBetter !== undefined && !Number.isNaN(va) && !Number.isNaN(vb)) {
        better = va === vb ? "same" : (vb > va) === def.higherIsBetter ? "b" : "a";
      }
      return {
        key,
        title: def?.title ?? key,
        a: va,
        b: vb,
        diff: vb - va,
        aText: formatStat(key, va),
        bText: formatStat(key, vb),
        better,
      };
    });
  }

  /**
   * Runs SQL over all runs in a fresh in-memory DuckDB and returns row objects (BIGINT as
   * number, timestamps as ISO text). Views: `runs` (run.json: id, kind, created_at TIMESTAMP,
   * source, label, series VARCHAR[], strategy, params JSON, options JSON, manifest_id,
   * manifest JSON, stats MAP(VARCHAR, DOUBLE), detail JSON), and `equity`, `trades`, `sweeps`
   * (the Parquet files, each with a `run_id` column). Pass user values as `$1, $2, ...`.
   */
  async query(sql: string, params: unknown[] = []): Promise<Record<string, unknown>[]> {
    if (typeof sql !== "string" || sql.trim() === "") throw new TypeError("query: pass a SQL string");
    const present = await this.#presentFiles();
    return await withDuck(async (conn) => {
      const glob = (file: string) => sqlString(join(this.#dir, "*", file));
      if (present.has("run.json")) {
        await conn.run(
          `CREATE VIEW runs AS SELECT * EXCLUDE (nonfinite, schema, files) FROM read_json(${glob("run.json")}, ` +
            `format = 'auto', columns = {schema: 'INTEGER', id: 'VARCHAR', kind: 'VARCHAR', created_at: 'TIMESTAMP', ` +
            `source: 'VARCHAR', label: 'VARCHAR', series: 'VARCHAR[]', strategy: 'VARCHAR', params: 'JSON', ` +
            `options: 'JSON', manifest_id: 'VARCHAR', manifest: 'JSON', stats: 'MAP(VARCHAR, DOUBLE)', ` +
            `nonfinite: 'JSON', detail: 'JSON', files: 'VARCHAR[]'})`,
        );
      } else {
        await conn.run(
          "CREATE VIEW runs AS SELECT NULL::VARCHAR AS id, NULL::VARCHAR AS kind, NULL::TIMESTAMP AS created_at, " +
            "NULL::VARCHAR AS source, NULL::VARCHAR AS label, NULL::VARCHAR[] AS series, NULL::VARCHAR AS strategy, " +
            "NULL::JSON AS params, NULL::JSON AS options, NULL::VARCHAR AS manifest_id, NULL::JSON AS manifest, " +
            "NULL::MAP(VARCHAR, DOUBLE) AS stats, NULL::JSON AS detail WHERE false",
        );
      }
      for (
        const [view, file] of [["equity", "equity.parquet"], ["trades", "trades.parquet"], ["sweeps", "sweep.parquet"]]
      ) {
        if (present.has(file!)) {
          await conn.run(
            `CREATE VIEW ${view} AS SELECT regexp_extract(filename, '([^/\\\\]+)[/\\\\][^/\\\\]+$', 1) AS run_id, ` +
              `* EXCLUDE (filename) FROM read_parquet(${glob(file!)}, filename = true, union_by_name = true)`,
          );
        } else {
          await conn.run(`CREATE VIEW ${view} AS SELECT NULL::VARCHAR AS run_id WHERE false`);
        }
      }
      const reader = await conn.runAndReadAll(sql, params as DuckDBValue[]);
      return reader.getRowObjectsJson() as Record<string, unknown>[];
    });
  }

  /** Deletes a run (its folder). */
  async remove(id: string): Promise<void> {
    this.#writable("remove");
    await this.get(id);
    await Deno.remove(join(this.#dir, id), { recursive: true });
  }

  #writable(what: string): void {
    if (this.#readOnly) {
      throw new Error(
        `Runs registry ${this.#dir} is open read-only: ${what} needs RunRegistry.open() without readOnly`,
      );
    }
  }

  async #read(id: string): Promise<RunRecord> {
    const text = await Deno.readTextFile(join(this.#dir, id, "run.json"));
    const parsed = StoredRunSchema.safeParse(JSON.parse(text));
    if (!parsed.success) {
      throw new RangeError(`Run ${id}: run.json is not a run record (${parsed.error.issues[0]?.message})`);
    }
    return restore(parsed.data);
  }

  async #readParquet(id: string, file: string): Promise<Columns> {
    const path = this.path(id, file);
    if (!(await exists(path))) {
      await this.get(id);
      throw new RangeError(`Run ${id} has no ${file}`);
    }
    return await this.#duck.run((conn) => readColumns(conn, "SELECT * FROM read_parquet($1)", [path]));
  }

  async #presentFiles(): Promise<Set<string>> {
    const present = new Set<string>();
    for await (const e of readDirOrNone(this.#dir)) {
      if (!e.isDirectory || !isRunId(e.name)) continue;
      for await (const f of Deno.readDir(join(this.#dir, e.name))) present.add(f.name);
    }
    return present;
  }
}

function defaultDir(): string {
  // `_runs` can never be an exchange name (those start with a letter or digit), so the store never mistakes it for data.
  return join(dataDirFromEnv() ?? "data/store", "_runs");
}

/** A read-only registry may look at a runs folder nobody has made yet: it has no runs. */
async function* readDirOrNone(dir: string): AsyncGenerator<Deno.DirEntry> {
  try {
    yield* Deno.readDir(dir);
  } catch (e) {
    if (!(e instanceof Deno.errors.NotFound)) throw e;
  }
}

function isRunId(name: string): boolean {
  try {
    parseRunId(name);
    return true;
  } catch {
    return false;
  }
}

async function exists(path: string): Promise<boolean> {
  try {
    await Deno.stat(path);
    return true;
  } catch (e) {
    if (e instanceof Deno.errors.NotFound) return false;
    throw e;
  }
}

/** Whether `x` looks like a backtest result (has `equityTable()` and a manifest). */
function isBacktestLike(x: unknown): x is BacktestLike {
  return typeof x === "object" && x !== null && typeof (x as BacktestLike).equityTable === "function" &&
    typeof (x as BacktestLike).manifest === "object";
}

function checkInput(run: RunInput): void {
  if (run === null || typeof run !== "object") throw new TypeError(`record: pass a run, got ${String(run)}`);
  if (!["single", "sweep", "walk_forward"].includes(run.kind)) {
    throw new RangeError(`Invalid run kind ${JSON.stringify(run.kind)}: use "single", "sweep" or "walk_forward"`);
  }
  if (!Array.isArray(run.series) || !run.series.every((s) => typeof s === "string")) {
    throw new TypeError(`record: series must be an array of series names, got ${JSON.stringify(run.series)}`);
  }
  if (typeof run.strategy !== "string") throw new TypeError("record: strategy must be the strategy name");
  for (const k of ["params", "options", "manifest", "stats"] as const) {
    if (run[k] === null || typeof run[k] !== "object" || Array.isArray(run[k])) {
      throw new TypeError(`record: ${k} must be an object, got ${JSON.stringify(run[k])}`);
    }
  }
}

/** A run file: bytes or text, or columns (made when their turn comes) to write as Parquet. */
type RunFile = readonly [name: string, data: string | Uint8Array | (() => Columns)];

/**
 * Writes a run's files into its temp folder, which is renamed whole once they are all on disk, so each file is written
 * in place (no temp file, rename and folder fsync of its own) with synchronous writes (no thread hop per chunk), and
 * its fsync runs while the next file is encoded. A 1M-row equity curve, its trades, the sweep table and the report
 * took ~0.23 s written one after the other through writeParquet.
 */
async function writeRunFiles(dir: string, files: readonly RunFile[]): Promise<void> {
  const open: Deno.FsFile[] = [];
  // Each fsync's failure is kept as a value: a rejection with no handler yet would end the process.
  const syncs: Promise<{ error: unknown } | undefined>[] = [];
  let failure: { error: unknown } | undefined;
  try {
    for (const [name, data] of files) {
      const path = join(dir, name);
      let parts: readonly Uint8Array[] | undefined;
      if (typeof data === "function") {
        const columns = data();
        parts = encodeParquet(columns);
        // No rows: DuckDB writes the file (fsynced by writeParquet).
        if (parts === undefined) await writeParquet(path, columns);
      } else parts = [typeof data === "string" ? new TextEncoder().encode(data) : data];
      if (parts === undefined) continue;
      const f = Deno.openSync(path, { write: true, createNew: true });
      open.push(f);
      writeAllSync(f, parts);
      syncs.push(f.sync().then(() => undefined, (error: unknown) => ({ error })));
    }
  } catch (error) {
    failure = { error };
  }
  const synced = await Promise.all(syncs);
  for (const f of open) f.close();
  failure ??= synced.find((s) => s !== undefined);
  if (failure) throw failure.error;
}

function asColumns(x: Table | Columns): Columns {
  return typeof (x as Table).getChild === "function" && (x as Table).schema !== undefined
    ? columnsFromArrow(x as Table)
    : x as Columns;
}

async function manifestHash(manifest: Record<string, unknown>): Promise<string> {
  const id = manifest.id;
  if (typeof id === "string" && /^[0-9a-f]{8,}$/i.test(id)) return id.toLowerCase();
  const bytes = new TextEncoder().encode(canonical(manifest));
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", bytes));
  return Array.from(digest, (b) => b.toString(16).padStart(2, "0")).join("");
}

function canonical(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonical).join(",")}]`;
  if (v !== null && typeof v === "object") {
    const o = v as Record<string, unknown>;
    return `{${
      Object.keys(o).sort().filter((k) => o[k] !== undefined).map((k) => `${JSON.stringify(k)}:${canonical(o[k])}`)
        .join(",")
    }}`;
  }
  return JSON.stringify(v) ?? "null";
}

/** run.json as stored: non-finite stats are null there, with their text in `nonfinite`. */
type StoredRun = Omit<RunRecord, "stats"> & { stats: Record<string, number | null>; nonfinite: Record<string, string> };

function restore(s: StoredRun): RunRecord {
  const stats: Record<string, number> = {};
  for (const [k, v] of Object.entries(s.stats)) stats[k] = v ?? Number(s.nonfinite[k] ?? "NaN");
  return {
    id: s.id,
    kind: s.kind,
    created_at: s.created_at,
    source: s.source,
    label: s.label,
    series: s.series,
    strategy: s.strategy,
    params: s.params,
    options: s.options,
    manifest_id: s.manifest_id,
    manifest: s.manifest,
    stats,
    detail: s.detail,
    files: s.files,
  };
}

function toMs(v: number | Date | string, name: string): number {
  const t = v instanceof Date ? v.getTime() : typeof v === "string" ? Date.parse(v) : v;
  if (typeof t !== "number" || Number.isNaN(t)) {
    throw new RangeError(`Invalid ${name} ${JSON.stringify(v)}: pass epoch ms, a Date or ISO text`);
  }
  return t;
}
