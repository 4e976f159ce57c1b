import { z } from "zod";
import { formatSeries } from "../../types/mod.ts";
import { defineTool, ProvenanceSchema, toolInput } from "../mcp_tool.ts";
import { columnLabel, computeIndicator, INDICATORS, IndicatorSpecSchema } from "./_indicator_registry.ts";
import { type Cell, cell, pageOf, readBars } from "./_rows.ts";
import {
  findSeries,
  iso,
  LimitArg,
  parseTime,
  qualityLine,
  readOnlyStore,
  SeriesArg,
  storedQuality,
  TimeArg,
} from "./_series.ts";

const catalog = Object.entries(INDICATORS).map(([name, d]) =>
  `${name} (${Object.keys(d.schema.shape).filter((k) => k !== "name").join(", ") || "no params"}): ${d.doc}`
).join("; ");

/**
 * `compute_indicators`: any indicator of `lib/indicators` with its parameters over a stored series, computed from
 * the series' first bar (so the warm-up is right) and returned for `[from, to)` with the same row cap as
 * `get_candles`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { computeIndicators } from "./compute_indicators.ts";
 * assert.ok(computeIndicators.description.includes("bollinger_bands"));
 * ```
 */
export const computeIndicators = defineTool({
  name: "compute_indicators",
  title: "Compute indicators",
  description: "Computes indicators over one stored series (optionally resampled) and returns rows [time, close, " +
    "one column per output] for [from, to), at most `limit` rows (default 500, max 5000; a capped answer gives " +
    "the next `from`). Each indicator is {name, ...params}; values are computed from the series' first bar, so " +
    "warm-up bars (NaN, returned as null) are only at the very start. Indicators: " + catalog + ".",
  input: toolInput({
    series: SeriesArg,
    indicators: z.array(IndicatorSpecSchema).min(1).max(16).describe("e.g. [{name:'rsi',period:14}]"),
    from: TimeArg.optional().describe("first returned bar (inclusive); default the first stored bar"),
    to: TimeArg.optional().describe("end (exclusive); default after the last stored bar"),
    timeframe: z.string().optional().describe("resample first to this timeframe, e.g. 4h, 1d"),
    limit: LimitArg,
  }),
  output: z.strictObject({
    series: z.string(),
    timeframe: z.string(),
    columns: z.array(z.string()),
    rows: z.array(z.array(z.union([z.string(), z.number(), z.null()]))),
    total: z.number().int().describe("rows in the requested range before the cap"),
    nextFrom: z.string().optional(),
    provenance: ProvenanceSchema,
  }),
  async run(args, ctx) {
    const store = await readOnlyStore(ctx.dataDir);
    const { id, info } = await findSeries(store, args.series);
    // Read from the first stored bar so every indicator is warmed up at `from`; cut to the range afterwards.
    const { frame, timeframe } = await readBars(store, id, { to: args.to, timeframe: args.timeframe });
    const from = parseTime("from", args.from) ?? -Infinity;
    let start = 0;
    while (start < frame.length && frame.ts[start]! < from) start++;
    const columns = ["time", "close"];
    const series: Float64Array[] = [frame.close];
    for (const spec of args.indicators) {
      ctx.signal.throwIfAborted();
      for (const [key, values] of Object.entries(computeIndicator(frame, spec))) {
        columns.push(columnLabel(spec, key));
        series.push(values);
      }
    }
    const page = pageOf(frame.slice(start, frame.length), args.limit);
    const rows: Cell[][] = new Array(page.n);
    for (let i = 0; i < page.n; i++) {
      const row: Cell[] = [iso(frame.ts[start + i]!)];
      for (const s of series) row.push(cell(s[start + i]!));
      rows[i] = row;
    }
    const name = formatSeries(id);
    const quality = qualityLine(await storedQuality(store, id, info));
    return {
      structured: {
        series: name,
        timeframe,
        columns,
        rows,
        total: frame.length - start,
        ...(page.nextFrom ? { nextFrom: page.nextFrom } : {}),
        provenance: {
          series: name,
          from: page.n ? rows[0]![0] as string : undefined,
          to: page.n ? rows[page.n - 1]![0] as string : undefined,
          bars: page.n,
          quality: `stored series: ${quality}`,
          note: `computed with lib/indicators over ${frame.length} ${timeframe} bars from the series' first bar` +
            (timeframe !== id.timeframe ? ` (resampled from ${id.timeframe} in DuckDB)` : ""),
          ...(page.capped ? { capped: page.capped } : {}),
        },
      },
      text: `${columns.slice(2).join(", ")} over ${name} (${timeframe}): ${page.n} rows` +
        (page.n ? ` from ${rows[0]![0]} to ${rows[page.n - 1]![0]}` : "") +
        `.${page.capped ? ` Capped: ${page.capped}.` : ""}`,
    };
  },
});
