// `deno task data <command>`: market data in and out of the store.
import {
  downloadOhlcv,
  importCsv,
  importSamples,
  progressBar,
  type QualityReport,
  qualityReport,
} from "../lib/data/mod.ts";
import { Store } from "../lib/store/mod.ts";
import {
  type Calendar,
  CalendarSchema,
  formatSeries,
  parseSeries,
  type SeriesId,
  SeriesIdSchema,
} from "../lib/types/mod.ts";
import { isoTime, parseDateFlag, parseFlags, printJson, runSubcommands, textTable, UsageError } from "./_cli.ts";

const USAGE = `Usage: deno task data <command> [options]

Market data for Sentinel: download with ccxt, import CSV files, list, check quality and export.

Commands:
  download        download OHLCV bars from an exchange with ccxt (resumes where it stopped)
  import FILE     import an OHLCV CSV file as a series
  import-samples  import the bundled real datasets in data/samples/
  list            every stored series with its range and bar count
  quality SERIES  the quality report of a series (gaps, duplicates, OHLC problems, zero volume)
  export SERIES   write a series to CSV, Parquet or Arrow

SERIES is "EXCHANGE SYMBOL TIMEFRAME" (three words) or "exchange:SYMBOL:timeframe".
Every command takes --data-dir DIR (default: $SENTINEL_DATA_DIR or data/store) and --help.`;

const HELP: Record<string, string> = {
  download: `Usage: deno task data download --symbol SYM --timeframe TF --since DATE [options]

Downloads closed OHLCV bars through ccxt into the store, page by page. A re-run resumes after the
last stored bar; Ctrl-C stops between pages and keeps what was stored.

Options:
  --exchange ID     ccxt exchange id (default binance)
  --symbol SYM      ccxt symbol, e.g. BTC/USDT
  --timeframe TF    ccxt timeframe, e.g. 1m, 1h, 1d
  --since DATE      first bar wanted: 2024-01-01, 2024-01-01T12:00 (UTC) or epoch ms
  --until DATE      end, exclusive (default: the last closed bar)
  --api-url URL     override the exchange's REST base URL (testnets, proxies, tests)
  --limit N         bars per request (default 1000)
  --retries N       retries per request on transient errors (default 5)
  --on-conflict X   a downloaded bar whose time is stored with other values: fail (default: stop,
                    naming the bar; that page is not stored), keep (the stored bar) or replace it
  --json            print the result as JSON`,
  import: `Usage: deno task data import FILE --exchange NAME --symbol SYM --timeframe TF [options]

Imports an OHLCV CSV file. Headers are case-insensitive; the time column may be epoch seconds or
milliseconds or ISO dates (UTC when no zone); extra columns are ignored. A bad row rejects the whole
file with its line and reason, and nothing is stored.

Options:
  --exchange NAME   exchange name for the series (e.g. binance, or your own like mydesk)
  --symbol SYM      symbol, e.g. BTC/USDT or GOOG
  --timeframe TF    timeframe of the bars, e.g. 1m, 1h, 1d
  --calendar CAL    24/7, weekdays or fx (default: guessed from the bars)
  --sort            sort rows that are out of order
  --dedupe          drop rows with a repeated time (keeps the last)
  --on-conflict X   rows whose time is already stored with other values (revised prices):
                    fail (default: nothing is stored, the first differing bar is named),
                    keep (keep the stored bars, store only new ones) or replace (store the file's)
  --json            print the result as JSON

The summary says how many rows were new, identical to the stored ones, and differing (and what
was done with them).`,
  "import-samples": `Usage: deno task data import-samples [--json] [--quiet] [--on-conflict fail|keep|replace]

Imports every dataset listed in data/samples/samples.json as samples:SYMBOL:timeframe and prints
each one's quality report. Running it again stores nothing new. Stored bars that differ from a
sample file fail the import (default), are kept, or are replaced (--on-conflict).`,
  list: `Usage: deno task data list [--json]

Lists every stored series. With --json: an array of objects with exchange, symbol, timeframe,
first, last (ISO times), bars, calendar and source.`,
  quality: `Usage: deno task data quality EXCHANGE SYMBOL TIMEFRAME [--json]

Prints the quality report of a stored series: first and last bar, expected vs present bars, gaps
(where and how long), duplicates, out-of-order rows, OHLC inconsistencies, zero-volume bars, NaN.
A gap is a run of bars the calendar expects that are missing; a missing single trading day on a
weekdays or fx calendar is a holiday, counted apart (not a gap, not expected).`,
  export: `Usage: deno task data export EXCHANGE SYMBOL TIMEFRAME --format csv|parquet|arrow --out FILE [options]

Options:
  --format F        csv, parquet or arrow (Arrow IPC stream)
  --out FILE        output file, written atomically
  --timeframe-to TF resample to a larger timeframe first (e.g. 1h)
  --from DATE       first bar (inclusive); --to DATE: end (exclusive)
  --json            print the result as JSON`,
};

const COMMON = {
  "data-dir": { type: "string" },
  help: { type: "boolean", short: "h" },
  json: { type: "boolean" },
} as const;

type Command = (args: string[], signal: AbortSignal) => Promise<number>;

const COMMANDS: Record<string, Command> = {
  async download(args, signal) {
    const { values } = parseFlags(args, {
      ...COMMON,
      exchange: { type: "string", default: "binance" },
      symbol: { type: "string" },
      timeframe: { type: "string" },
      since: { type: "string" },
      until: { type: "string" },
      "api-url": { type: "string" },
      limit: { type: "string" },
      retries: { type: "string" },
      "on-conflict": { type: "string" },
    }, "deno task data download");
    const id = seriesFromFlags(values, "download");
    if (!values.since) throw new UsageError("download needs --since DATE (e.g. --since 2024-01-01)");
    const since = parseDateFlag("since", values.since as string);
    const until = values.until ? parseDateFlag("until", values.until as string) : undefined;
    const apiUrl = values["api-url"] as string | undefined;
    if (apiUrl !== undefined && !/^https?:\/\/[^/\s]+/.test(apiUrl)) {
      throw new UsageError(`--api-url ${JSON.stringify(apiUrl)} is not an http(s) URL: use e.g. http://127.0.0.1:8080`);
    }
    const limit = values.limit === undefined ? undefined : intFlag("limit", values.limit as string, 1, 100_000);
    const maxRetries = values.retries === undefined ? undefined : intFlag("retries", values.retries as string, 0, 100);
    const onConflict = onConflictFlag(values);
    await using store = await openStore(values);
    const result = await downloadOhlcv({
      exchange: id.exchange,
      symbol: id.symbol,
      timeframe: id.timeframe,
      since,
      until,
      apiUrl,
      limit,
      maxRetries,
      onConflict,
      sink: store,
      signal,
      onProgress: values.json ? undefined : progressBar(),
    });
    if (values.json) printJson({ series: formatSeries(result.id), ...result, first: undefined });
    else {
      console.log(
        `${formatSeries(result.id)}: ${
          storedSummary({ ...result, conflict: onConflict === "replace" ? "replaced" : "kept" })
        } in ${result.pages} pages` +
          `${result.retries ? `, ${result.retries} retries` : ""}${result.resumed ? " (resumed)" : ""}; ` +
          `last bar ${isoTime(result.lastTs)}`,
      );
      for (const w of result.warnings) console.log(`warning: ${w}`);
    }
    return 0;
  },

  async import(args) {
    const { values, positionals } = parseFlags(args, {
      ...COMMON,
      exchange: { type: "string" },
      symbol: { type: "string" },
      timeframe: { type: "string" },
      calendar: { type: "string" },
      sort: { type: "boolean" },
      dedupe: { type: "boolean" },
      "on-conflict": { type: "string" },
    }, "deno task data import");
    if (positionals.length !== 1) {
      throw new UsageError(
        `import takes one FILE, got ${positionals.length}: deno task data import FILE --exchange ...`,
      );
    }
    const file = positionals[0]!;
    const id = seriesFromFlags(values, "import");
    const calendar = values.calendar === undefined ? undefined : calendarFlag(values.calendar as string);
    const onConflict = onConflictFlag(values);
    await using store = await openStore(values);
    const { csv, report, stored } = await importCsv({
      path: file,
      id,
      sink: store,
      calendar,
      sort: Boolean(values.sort),
      dedupe: Boolean(values.dedupe),
      onConflict,
    });
    if (values.json) {
      printJson({ series: formatSeries(id), rows: csv.rows, ...stored, onConflict, notes: csv.notes, quality: report });
    } else {
      console.log(`${formatSeries(id)}: ${csv.rows} rows from ${file}: ${storedSummary(stored)}`);
      for (const n of csv.notes) console.log(`note: ${n}`);
      printQuality(report, true);
    }
    return 0;
  },

  async "import-samples"(args) {
    const { values } = parseFlags(
      args,
      { ...COMMON, quiet: { type: "boolean", short: "q" }, "on-conflict": { type: "string" } },
      "deno task data import-samples",
    );
    const onConflict = onConflictFlag(values);
    await using store = await openStore(values);
    const started = performance.now();
    const imported = await importSamples({
      sink: store,
      onConflict,
      onSample: (done, total, s) => {
        if (!values.json) {
          console.error(
            `[${done}/${total}] ${formatSeries(s.id)} <- data/samples/${s.file} (${s.rows} rows: ${
              storedSummary(s.stored)
            })`,
          );
        }
      },
    });
    if (values.json) {
      printJson(imported.map((s) => ({
        series: formatSeries(s.id),
        file: s.file,
        rows: s.rows,
        ...s.stored,
        quality: s.report,
      })));
      return 0;
    }
    console.log(
      `Imported ${imported.length} sample series in ${((performance.now() - started) / 1000).toFixed(1)} s.\n`,
    );
    if (!values.quiet) { for (const s of imported) printQuality(s.report, false); }
    console.log(`Next: deno task data list · deno task data quality samples ADA/BTC 5m`);
    return 0;
  },

  async list(args) {
    const { values } = parseFlags(args, COMMON, "deno task data list");
    await using store = await openStore(values);
    const all = await store.list();
    if (values.json) {
      printJson(all.map((s) => ({
        exchange: s.exchange,
        symbol: s.symbol,
        timeframe: s.timeframe,
        first: isoTime(s.first),
        last: isoTime(s.last),
        bars: s.bars,
        calendar: s.calendar,
        source: s.source,
      })));
      return 0;
    }
    if (all.length === 0) {
      console.log("The store is empty: run `deno task data import-samples` or `deno task data download --help`.");
      return 0;
    }
    console.log(textTable(
      ["series", "first", "last", "bars", "calendar"],
      all.map((s) => [formatSeries(s), isoTime(s.first), isoTime(s.last), s.bars, s.calendar]),
    ));
    return 0;
  },

  async quality(args) {
    const { values, positionals } = parseFlags(args, COMMON, "deno task data quality");
    const id = seriesFromPositionals(positionals, "quality");
    await using store = await openStore(values);
    const info = await requireSeries(store, id);
    const frame = await store.read(id);
    const report = qualityReport(frame, { timeframe: id.timeframe, calendar: info.calendar, label: formatSeries(id) });
    if (values.json) printJson(report);
    else printQuality(report, true);
    return 0;
  },

  async export(args) {
    const { values, positionals } = parseFlags(args, {
      ...COMMON,
      format: { type: "string" },
      out: { type: "string" },
      "timeframe-to": { type: "string" },
      from: { type: "string" },
      to: { type: "string" },
    }, "deno task data export");
    const id = seriesFromPositionals(positionals, "export");
    const format = values.format as string | undefined;
    if (format !== "csv" && format !== "parquet" && format !== "arrow") {
      throw new UsageError(`--format ${JSON.stringify(format ?? "")} is not valid: use --format csv, parquet or arrow`);
    }
    if (!values.out) throw new UsageError("export needs --out FILE");
    const range = {
      from: values.from ? parseDateFlag("from", values.from as string) : undefined,
      to: values.to ? parseDateFlag("to", values.to as string) : undefined,
    };
    await using store = await openStore(values);
    await requireSeries(store, id);
    const { rows } = await store.export(id, {
      format,
      out: values.out as string,
      timeframe: values["timeframe-to"] as string | undefined,
      range,
    });
    if (values.json) printJson({ series: formatSeries(id), format, out: values.out, rows });
    else console.log(`${formatSeries(id)}: wrote ${rows} bars to ${values.out} (${format})`);
    return 0;
  },
};

type Flags = Record<string, string | boolean | string[] | undefined>;

async function openStore(values: Flags): Promise<Store & AsyncDisposable> {
  const store = await Store.open({ dir: values["data-dir"] as string | undefined });
  return Object.assign(store, { [Symbol.asyncDispose]: () => Promise.resolve(store.close()) });
}

async function requireSeries(store: Store, id: SeriesId): Promise<{ calendar: Calendar }> {
  const info = await store.info(id);
  if (!info) {
    throw new UsageError(
      `no stored series ${formatSeries(id)}: see \`deno task data list\`, or import/download it first`,
    );
  }
  return info;
}

function seriesFromFlags(values: Flags, command: string): SeriesId {
  for (const k of ["exchange", "symbol", "timeframe"]) {
    if (!values[k]) throw new UsageError(`${command} needs --${k} (see \`deno task data ${command} --help\`)`);
  }
  return validSeries({ exchange: values.exchange, symbol: values.symbol, timeframe: values.timeframe });
}

function seriesFromPositionals(p: string[], command: string): SeriesId {
  if (p.length === 1) return parseSeries(p[0]!);
  if (p.length === 3) return validSeries({ exchange: p[0], symbol: p[1], timeframe: p[2] });
  throw new UsageError(
    `${command} takes a series as EXCHANGE SYMBOL TIMEFRAME or exchange:SYMBOL:timeframe, got ${JSON.stringify(p)}`,
  );
}

function validSeries(raw: Record<string, unknown>): SeriesId {
  const r = SeriesIdSchema.safeParse(raw);
  if (!r.success) {
    const i = r.error.issues[0]!;
    throw new UsageError(`${i.path.join(".")} ${JSON.stringify(raw[String(i.path[0])])}: ${i.message}`);
  }
  return r.data;
}

function calendarFlag(v: string): Calendar {
  const r = CalendarSchema.safeParse(v);
  if (!r.success) throw new UsageError(`--calendar ${JSON.stringify(v)} is not valid: use 24/7, weekdays or fx`);
  return r.data;
}

const ON_CONFLICT = ["fail", "keep", "replace"] as const;

function onConflictFlag(values: Flags): (typeof ON_CONFLICT)[number] {
  const v = values["on-conflict"];
  if (v === undefined) return "fail";
  const hit = ON_CONFLICT.find((c) => c === v);
  if (!hit) {
    throw new UsageError(`--on-conflict ${JSON.stringify(v)} is not valid: use --on-conflict fail, keep or replace`);
  }
  return hit;
}

/** `12 new rows, 2136 identical rows, 3 differing rows (kept the stored values)`. */
function storedSummary(r: { inserted: number; identical: number; differing: number; conflict: string }): string {
  const action = r.differing === 0
    ? ""
    : r.conflict === "replaced"
    ? " (replaced the stored values)"
    : " (kept the stored values)";
  const rows = (n: number, what: string): string => `${n} ${what} row${n === 1 ? "" : "s"}`;
  return `${rows(r.inserted, "new")}, ${rows(r.identical, "identical")}, ${rows(r.differing, "differing")}${action}`;
}

function intFlag(name: string, v: string, min: number, max: number): number {
  const x = Number(v);
  if (!Number.isInteger(x) || x < min || x > max) {
    throw new UsageError(`--${name} ${JSON.stringify(v)} is not valid: use a whole number from ${min} to ${max}`);
  }
  return x;
}

function printQuality(r: QualityReport, full: boolean): void {
  const head = `${r.label ?? "series"} (${r.calendar}): ${r.present} bars, ${isoTime(r.first)} .. ${isoTime(r.last)}`;
  const counts = [
    `${r.gapCount} gaps (${r.missing} missing of ${r.expected} expected bars)`,
    `${r.holidayCount} holidays (${r.holidayMissing} bars)`,
    `${r.duplicates} duplicates`,
    `${r.outOfOrder} out of order`,
    `${r.zeroVolume} zero-volume`,
  ].join(", ");
  console.log(`${head}\n  ${counts}`);
  if (full && r.gaps.length > 0) {
    console.log(
      textTable(
        ["gap start", "end", "missing bars"],
        r.gaps.slice(0, 20).map((g) => [isoTime(g.start), isoTime(g.end), g.missing]),
      ).replace(/^/gm, "  "),
    );
    if (r.gapCount > 20) console.log(`  ... and ${r.gapCount - 20} more gaps (use --json for all)`);
  }
  if (full && r.holidayCount > 0) console.log(`  holidays listed with --json (${r.holidayCount})`);
  for (const w of r.warnings) console.log(`  warning: ${w}`);
  console.log("");
}

if (import.meta.main) {
  await runSubcommands({ usage: USAGE, commands: COMMANDS, help: HELP });
}
