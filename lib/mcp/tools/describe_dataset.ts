import { z } from "zod";
import { formatSeries } from "../../types/mod.ts";
import { defineTool, ProvenanceSchema, toolInput } from "../mcp_tool.ts";
import { findSeries, iso, qualityLine, readOnlyStore, SeriesArg, sourceLabel, storedQuality } from "./_series.ts";

const count = z.number().int().nonnegative();
const GapSchema = z.strictObject({
  from: z.string().describe("open time of the first missing bar, ISO UTC"),
  to: z.string().describe("open time of the next present bar (exclusive), ISO UTC"),
  missing: count.describe("bars the calendar expected in [from, to)"),
  kind: z.enum(["gap", "holiday"]),
});

/**
 * `describe_dataset`: one series' range, bars, calendar and full quality report (each gap with where and how long,
 * duplicates, bad bars).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { describeDataset } from "./describe_dataset.ts";
 * const dataDir = await Deno.makeTempDir();
 * const ctx = { dataDir, signal: new AbortController().signal, progress: async () => {} };
 * await assert.rejects(describeDataset.run({ series: "x:BTC/USDT:1h", maxGaps: 50 }, ctx), /series: .* is not stored/);
 * await Deno.remove(dataDir, { recursive: true });
 * ```
 */
export const describeDataset = defineTool({
  name: "describe_dataset",
  title: "Describe one dataset",
  description: "One stored series in detail: first and last bar, bar count, calendar, source, and its quality " +
    "report: every gap (where, how many bars missing), holidays, duplicates, misaligned or off-calendar bars, " +
    "inconsistent OHLC, non-finite or non-positive prices, zero volume, with the warnings in words. " +
    "The gap list is capped by maxGaps (counts are always complete).",
  input: toolInput({
    series: SeriesArg,
    maxGaps: z.number().int().min(0).max(1_000).default(50).describe("gaps and holidays listed (default 50)"),
  }),
  output: z.strictObject({
    series: z.string(),
    from: z.string(),
    to: z.string(),
    bars: count,
    calendar: z.string(),
    source: z.string(),
    parts: count.describe("Parquet files holding the series"),
    bytes: count,
    updated: z.string().describe("last write, ISO UTC"),
    quality: z.strictObject({
      ok: z.boolean(),
      expected: count,
      present: count,
      missing: count,
      gapCount: count,
      holidayCount: count,
      holidayMissing: count,
      maxStepMs: z.number().nonnegative().describe("longest step between the bars around a gap"),
      duplicates: count,
      outOfOrder: count,
      misaligned: count,
      offCalendar: count,
      highBelowOpenClose: count,
      lowAboveOpenClose: count,
      highBelowLow: count,
      zeroVolume: count,
      missingVolume: count,
      nonFinite: count,
      nonPositive: count,
      warnings: z.array(z.string()),
    }),
    gaps: z.array(GapSchema),
    holidays: z.array(GapSchema),
    provenance: ProvenanceSchema,
  }),
  async run(args, ctx) {
    const store = await readOnlyStore(ctx.dataDir);
    const { id, info } = await findSeries(store, args.series);
    const q = await storedQuality(store, id, info);
    const gap = (g: { start: number; end: number; missing: number; kind: "gap" | "holiday" }) => ({
      from: iso(g.start),
      to: iso(g.end),
      missing: g.missing,
      kind: g.kind,
    });
    const gaps = q.gaps.slice(0, args.maxGaps).map(gap);
    const holidays = q.holidays.slice(0, args.maxGaps).map(gap);
    const series = formatSeries(id);
    const capped = gaps.length < q.gapCount || holidays.length < q.holidayCount
      ? `listed ${gaps.length} of ${q.gapCount} gaps and ${holidays.length} of ${q.holidayCount} holidays; ` +
        `pass maxGaps (up to 1000) for more, or get_candles around a gap`
      : undefined;
    const line = qualityLine(q);
    return {
      structured: {
        series,
        from: iso(info.first),
        to: iso(info.last),
        bars: info.bars,
        calendar: info.calendar,
        source: sourceLabel(info.source),
        parts: info.parts,
        bytes: info.bytes,
        updated: info.updated,
        quality: {
          ok: q.ok,
          expected: q.expected,
          present: q.present,
          missing: q.missing,
          gapCount: q.gapCount,
          holidayCount: q.holidayCount,
          holidayMissing: q.holidayMissing,
          maxStepMs: q.maxStepMs,
          duplicates: q.duplicates,
          outOfOrder: q.outOfOrder,
          misaligned: q.misaligned,
          offCalendar: q.offCalendar,
          ...q.ohlc,
          zeroVolume: q.zeroVolume,
          missingVolume: q.missingVolume,
          nonFinite: q.nonFinite,
          nonPositive: q.nonPositive,
          warnings: q.warnings,
        },
        gaps,
        holidays,
        provenance: {
          series,
          from: iso(info.first),
          to: iso(info.last),
          bars: info.bars,
          quality: line,
          ...(capped ? { capped } : {}),
        },
      },
      text: `${series}: ${info.bars} bars from ${iso(info.first)} to ${iso(info.last)}, calendar ${info.calendar}. ` +
        `Quality ${line}.${
          q.warnings.length ? ` ${q.warnings.map((w) => w.endsWith(".") ? w : `${w}.`).join(" ")}` : ""
        }${capped ? ` Capped: ${capped}.` : ""}`,
    };
  },
});
