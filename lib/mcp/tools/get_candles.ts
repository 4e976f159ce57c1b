import { z } from "zod";
import { OHLCV } from "../../types/mod.ts";
import { formatSeries } from "../../types/mod.ts";
import { defineTool, ProvenanceSchema, toolInput } from "../mcp_tool.ts";
import { type Cell, cell, pageOf, readBars } from "./_rows.ts";
import { findSeries, iso, LimitArg, qualityLine, readOnlyStore, SeriesArg, storedQuality, TimeArg } from "./_series.ts";

/**
 * `get_candles`: a range of one series as rows `[time, open, high, low, close, volume]`, optionally resampled in
 * DuckDB, at most `limit` rows (default 500, at most 5,000) with a note and the next `from` when capped.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { getCandles } from "./get_candles.ts";
 * const dataDir = await Deno.makeTempDir();
 * const ctx = { dataDir, signal: new AbortController().signal, progress: async () => {} };
 * await assert.rejects(getCandles.run({ series: "nonsense", limit: 10 }, ctx), /^RangeError: series:/);
 * await Deno.remove(dataDir, { recursive: true });
 * ```
 */
export const getCandles = defineTool({
  name: "get_candles",
  title: "Get candles",
  description: "OHLCV bars of one stored series in [from, to), oldest first, as rows [time ISO UTC, open, high, " +
    "low, close, volume] (null where a value is missing). Optionally resampled to a larger timeframe (a whole " +
    "multiple of the stored one: 1h bars to 4h or 1d; weeks start Monday UTC). At most `limit` rows (default " +
    "500, max 5000); a capped answer says so and gives the `from` of the next page.",
  input: toolInput({
    series: SeriesArg,
    from: TimeArg.optional().describe("first bar (inclusive), ISO UTC; default the first stored bar"),
    to: TimeArg.optional().describe("end (exclusive), ISO UTC; default after the last stored bar"),
    timeframe: z.string().optional().describe("resample to this timeframe, e.g. 4h, 1d, 1w, 1M"),
    limit: LimitArg,
  }),
  output: z.strictObject({
    series: z.string(),
    timeframe: z.string(),
    columns: z.array(z.string()),
    rows: z.array(z.array(z.union([z.string(), z.number(), z.null()]))),
    total: z.number().int().describe("rows in the requested range before the cap"),
    nextFrom: z.string().optional().describe("when capped: pass as from for the next page"),
    provenance: ProvenanceSchema,
  }),
  async run(args, ctx) {
    const store = await readOnlyStore(ctx.dataDir);
    const { id, info } = await findSeries(store, args.series);
    const { frame, timeframe } = await readBars(store, id, args);
    const page = pageOf(frame, args.limit);
    const cols = OHLCV.map((c) => frame.col(c));
    const rows: Cell[][] = new Array(page.n);
    for (let i = 0; i < page.n; i++) {
      const row: Cell[] = [iso(frame.ts[i]!)];
      for (const c of cols) row.push(cell(c[i]!));
      rows[i] = row;
    }
    const series = formatSeries(id);
    const quality = qualityLine(await storedQuality(store, id, info));
    const span = page.n ? `${rows[0]![0]} to ${rows[page.n - 1]![0]}` : "nothing (no bar in the range)";
    return {
      structured: {
        series,
        timeframe,
        columns: ["time", ...OHLCV],
        rows,
        total: frame.length,
        ...(page.nextFrom ? { nextFrom: page.nextFrom } : {}),
        provenance: {
          series,
          from: page.n ? rows[0]![0] as string : undefined,
          to: page.n ? rows[page.n - 1]![0] as string : undefined,
          bars: page.n,
          quality: `stored series: ${quality}`,
          ...(page.capped ? { capped: page.capped } : {}),
          ...(timeframe !== id.timeframe
            ? {
              note:
                `resampled from ${id.timeframe} in DuckDB; missing bars are not filled, and a bucket cut by from or to ` +
                `holds only the bars inside the range`,
            }
            : {}),
        },
      },
      text: `${page.n} ${timeframe} bars of ${series}: ${span}.${page.capped ? ` Capped: ${page.capped}.` : ""}`,
    };
  },
});
