import { z } from "zod";
import { formatSeries } from "../../types/mod.ts";
import { defineTool, ProvenanceSchema, toolInput } from "../mcp_tool.ts";
import { iso, qualityLine, readOnlyStore, sourceLabel, storedQuality } from "./_series.ts";

const DatasetSchema = z.strictObject({
  series: z.string().describe("exchange:SYMBOL:timeframe, the name every other tool takes"),
  exchange: z.string(),
  symbol: z.string(),
  timeframe: z.string(),
  from: z.string().describe("first bar open time, ISO UTC"),
  to: z.string().describe("last bar open time, ISO UTC"),
  bars: z.number().int(),
  calendar: z.string().describe("24/7, weekdays or fx: which bars are expected"),
  source: z.string(),
  quality: z.string().describe("one line: gaps, duplicates, bad bars; describe_dataset has the details"),
});

/**
 * `list_datasets`: every stored series with its range, bar count, calendar and a one-line quality summary.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { listDatasets } from "./list_datasets.ts";
 * const dataDir = await Deno.makeTempDir();
 * const ctx = { dataDir, signal: new AbortController().signal, progress: async () => {} };
 * const res = await listDatasets.run({}, ctx);
 * assert.deepEqual(res.structured.datasets, []);
 * await Deno.remove(dataDir, { recursive: true });
 * ```
 */
export const listDatasets = defineTool({
  name: "list_datasets",
  title: "List stored datasets",
  description: "Lists every OHLCV series in the lab's store: its name (exchange:SYMBOL:timeframe, which the other " +
    "tools take), first and last bar, bar count, trading calendar, source and a one-line data quality summary " +
    "(gaps, duplicates, bad bars). Use describe_dataset for where the gaps are.",
  input: toolInput({}),
  output: z.strictObject({ datasets: z.array(DatasetSchema), provenance: ProvenanceSchema }),
  async run(_args, ctx) {
    const store = await readOnlyStore(ctx.dataDir);
    const infos = await store.list();
    const datasets: z.output<typeof DatasetSchema>[] = [];
    for (const info of infos) {
      ctx.signal.throwIfAborted();
      const q = await storedQuality(store, info, info);
      datasets.push({
        series: formatSeries(info),
        exchange: info.exchange,
        symbol: info.symbol,
        timeframe: info.timeframe,
        from: iso(info.first),
        to: iso(info.last),
        bars: info.bars,
        calendar: info.calendar,
        source: sourceLabel(info.source),
        quality: qualityLine(q),
      });
    }
    const text = datasets.length === 0
      ? "The store holds no series yet (import some with `deno task data import-samples` or `deno task data download`)."
      : `${datasets.length} stored series: ` +
        datasets.map((d) => `${d.series} (${d.bars} bars, ${d.from.slice(0, 10)} to ${d.to.slice(0, 10)})`).join(
          "; ",
        ) + ".";
    return {
      structured: {
        datasets,
        provenance: { note: "read from the store's manifests; quality computed on the stored bars" },
      },
      text,
    };
  },
});
