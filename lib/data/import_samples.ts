import { z } from "zod";
import { CalendarSchema, ConfigError, type SeriesId, SeriesIdSchema } from "../types/mod.ts";
import type { BarSink, OnConflict, SinkAppendResult } from "./bar_sink.ts";
import { importCsv } from "./import_csv.ts";
import type { QualityReport } from "./quality_report.ts";

/** Options for {@link importSamples}. */
export interface ImportSamplesOptions {
  /** Where the bars go (a `Store`, or a `MemorySink`). */
  sink: BarSink;
  /** Folder holding `samples.json` and the CSV files. Default: the repository's `data/samples/`. */
  dir?: string | URL;
  /** Stored bars that differ from a sample file's: `fail` (default), `keep` or `replace` (see {@link importCsv}). */
  onConflict?: OnConflict;
  /** Called after each file with its position (1-based) and the total. */
  onSample?: (done: number, total: number, sample: ImportedSample) => void;
}

/** One imported sample file. */
export interface ImportedSample {
  id: SeriesId;
  file: string;
  rows: number;
  report: QualityReport;
  /** New, identical and differing bars as the sink counted them. */
  stored: SinkAppendResult;
}

const ManifestSchema = z.object({
  samples: z.array(z.object({
    file: z.string().regex(/^[A-Za-z0-9._-]+\.csv$/, "a sample file is a plain .csv name in the samples folder"),
    exchange: z.string(),
    symbol: z.string(),
    timeframe: z.string(),
    calendar: CalendarSchema,
  })).min(1),
});

const DEFAULT_DIR = new URL("../../data/samples/", import.meta.url);

/**
 * Loads every file listed in `samples.json` (the bundled real datasets, see
 * `data/samples/README.md`) into `sink` as `samples:<SYMBOL>:<timeframe>`. Appends are
 * idempotent, so running it again stores nothing new. Each file is all-or-nothing: a bad row
 * rejects that file with its line and reason.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { importSamples, MemorySink } from "./mod.ts";
 * const sink = new MemorySink();
 * const imported = await importSamples({ sink });
 * const goog = imported.find((s) => s.id.symbol === "GOOG")!;
 * assert.equal(goog.rows, 2148);
 * assert.equal(goog.report.calendar, "weekdays");
 * ```
 */
export async function importSamples(options: ImportSamplesOptions): Promise<ImportedSample[]> {
  const dir = toDirUrl(options.dir ?? DEFAULT_DIR);
  const manifestUrl = new URL("samples.json", dir);
  let raw: unknown;
  try {
    raw = JSON.parse(await Deno.readTextFile(manifestUrl));
  } catch (err) {
    throw new ConfigError(
      `Cannot read ${manifestUrl.pathname}: ${(err as Error).message}; pass dir: the samples folder`,
    );
  }
  const parsed = ManifestSchema.safeParse(raw);
  if (!parsed.success) {
    const i = parsed.error.issues[0]!;
    throw new ConfigError(`${manifestUrl.pathname}: ${i.path.join(".")}: ${i.message}`);
  }
  const out: ImportedSample[] = [];
  const total = parsed.data.samples.length;
  for (const s of parsed.data.samples) {
    const id = SeriesIdSchema.parse({ exchange: s.exchange, symbol: s.symbol, timeframe: s.timeframe });
    const { csv, report, stored } = await importCsv({
      path: new URL(s.file, dir),
      id,
      sink: options.sink,
      calendar: s.calendar,
      ...(options.onConflict ? { onConflict: options.onConflict } : {}),
    });
    const sample = { id, file: s.file, rows: csv.rows, report, stored };
    out.push(sample);
    options.onSample?.(out.length, total, sample);
  }
  return out;
}

function toDirUrl(dir: string | URL): URL {
  if (dir instanceof URL) return dir.href.endsWith("/") ? dir : new URL(`${dir.href}/`);
  const abs = dir.startsWith("/") ? dir : `${Deno.cwd()}/${dir}`;
  return new URL(`file://${abs.endsWith("/") ? abs : `${abs}/`}`);
}
