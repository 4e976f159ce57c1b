// Loading the data a backtest job names: a stored series (through the store) or a CSV file.

import { basename } from "node:path";
import { guessCalendar, readCsv } from "../lib/data/mod.ts";
import type { Frame } from "../lib/frame/mod.ts";
import { Store } from "../lib/store/mod.ts";
import {
  type Calendar,
  DataError,
  formatSeries,
  inferTimeframe,
  parseSeries,
  type SeriesId,
} from "../lib/types/mod.ts";
import { isoTime, UsageError } from "./_cli.ts";
import { type DataOptions, isSeriesPattern } from "./_backtest_args.ts";

/** The bars of a job with where they came from. */
export interface LoadedData {
  frame: Frame;
  series: SeriesId;
  /** `samples:GOOG:1d`, or `csv:<stem>:<tf>` for a file. */
  label: string;
  calendar: Calendar;
  /** `store` or the CSV path. */
  source: string;
  /** What loading decided (sorted rows, guessed timeframe), for the user. */
  notes: string[];
}

/** Whether `data` names a CSV file rather than a stored series. */
async function isFile(data: string): Promise<boolean> {
  try {
    return (await Deno.stat(data)).isFile;
  } catch {
    return false;
  }
}

/** Loads the bars of `data` (series or CSV path) within `[from, to)`. */
export async function loadData(data: string, opts: DataOptions): Promise<LoadedData> {
  if (/\.csv$/i.test(data) || await isFile(data)) return await loadCsv(data, opts);
  let id: SeriesId;
  try {
    id = parseSeries(data);
  } catch (e) {
    throw new UsageError(
      `--data ${JSON.stringify(data)} is neither a CSV file nor a series (${(e as Error).message})`,
    );
  }
  if (opts.timeframe !== undefined && opts.timeframe !== id.timeframe) {
    throw new UsageError(
      `--timeframe ${opts.timeframe} does not match the series ${data}; name the series with that timeframe instead`,
    );
  }
  using store = await Store.open();
  const info = await store.info(id);
  if (info === undefined) {
    const known = (await store.list()).map((s) => formatSeries(s));
    throw new DataError(
      `unknown series ${JSON.stringify(data)} in ${store.dir}: ${
        known.length
          ? `stored series are ${known.slice(0, 8).join(", ")}${known.length > 8 ? ", ..." : ""}`
          : "the store is empty"
      }; import it with \`deno task data\` or pass a CSV path`,
    );
  }
  const frame = await store.read(id, {
    ...(opts.from !== undefined ? { from: opts.from } : {}),
    ...(opts.to !== undefined ? { to: opts.to } : {}),
  });
  checkNotEmpty(frame, data, opts, info.first, info.last);
  return {
    frame,
    series: id,
    label: formatSeries(id),
    calendar: opts.calendar ?? info.calendar,
    source: "store",
    notes: [],
  };
}

async function loadCsv(path: string, opts: DataOptions): Promise<LoadedData> {
  let imported;
  try {
    imported = await readCsv(path, { sort: true, volume: "optional" });
  } catch (e) {
    if (e instanceof Deno.errors.NotFound) throw new DataError(`--data ${path}: no such file; check the path`);
    throw e;
  }
  const all = imported.frame;
  const notes = [...imported.notes];
  let timeframe = opts.timeframe;
  if (timeframe === undefined) {
    timeframe = inferTimeframe(all.ts) ?? undefined;
    if (timeframe === undefined) {
      throw new UsageError(
        `cannot guess the timeframe of ${path} from its bar spacing: pass --timeframe (e.g. 1h, 1d)`,
      );
    }
    notes.push(`timeframe ${timeframe} guessed from the bar spacing (pass --timeframe to set it)`);
  }
  const lo = opts.from === undefined ? 0 : all.indexAt(opts.from);
  const hi = opts.to === undefined ? all.length : all.indexAt(opts.to);
  const frame = all.slice(lo, Math.max(lo, hi));
  checkNotEmpty(frame, path, opts, all.length ? all.ts[0]! : NaN, all.length ? all.ts[all.length - 1]! : NaN);
  const stem = basename(path).replace(/\.csv$/i, "").replace(/[^A-Za-z0-9/:._-]/g, "_").replace(/^[^A-Za-z0-9]+/, "")
    .slice(0, 64) || "data";
  const series: SeriesId = { exchange: "csv", symbol: stem, timeframe };
  const calendar = opts.calendar ?? guessCalendar(all, timeframe);
  return { frame, series, label: formatSeries(series), calendar, source: path, notes };
}

/** ISO time, shortened to the date at midnight UTC ("-" when absent). */
function when(ms: number | undefined): string {
  return isoTime(ms).replace("T00:00:00Z", "");
}

function checkNotEmpty(frame: Frame, data: string, opts: DataOptions, first: number, last: number): void {
  if (frame.length > 0) return;
  throw new UsageError(
    `no bars in ${data} from ${when(opts.from)} to ${when(opts.to)}: the data covers ${when(first)} to ${
      when(last)
    }; change --from/--to`,
  );
}

/** Most stored series named in the error of a pattern that matches none. */
const LISTED = 8;

/**
 * The `--data` values with every pattern replaced by the stored series ids it matches, in id order (`*` any run of
 * characters, `?` one; matched against the whole `exchange:SYMBOL:timeframe`). Other values are kept as given; a series
 * named twice (by a pattern and by name) is kept once. A pattern that matches nothing is an error naming it and a few
 * stored series.
 */
export async function expandDataArgs(data: readonly string[]): Promise<string[]> {
  if (!data.some(isSeriesPattern)) return [...data];
  using store = await Store.open();
  const known = (await store.list()).map((s) => formatSeries(s)).sort();
  const out: string[] = [];
  for (const d of data) {
    if (!isSeriesPattern(d)) {
      out.push(d);
      continue;
    }
    const re = new RegExp(`^${d.replace(/[.+^${}()|[\]\\]/g, "\\$&").replace(/\*/g, ".*").replace(/\?/g, ".")}$`);
    const hits = known.filter((k) => re.test(k));
    if (hits.length === 0) {
      throw new UsageError(
        `--data ${JSON.stringify(d)} matches no stored series in ${store.dir}: ${
          known.length
            ? `stored series are ${known.slice(0, LISTED).join(", ")}${known.length > LISTED ? ", ..." : ""}`
            : "the store is empty; import series with `deno task data`"
        } (* matches any characters, ? one)`,
      );
    }
    out.push(...hits);
  }
  return [...new Set(out)];
}
