import { OHLCV } from "../../types/mod.ts";
import { findSeries, iso, readOnlyStore } from "../tools/_series.ts";
import { capLine, defineResource, type McpResource, notFound, numCell } from "./_resource.ts";
import { completeSeries, DATASET_URI_HINT, storedSeries } from "./dataset_resource.ts";

/** Most bars a candles resource holds: the latest ones. `get_candles` pages through any range. */
export const CANDLES_RESOURCE_MAX_BARS = 5_000;

/**
 * `sentinel://datasets/{series}/candles.csv`: the latest {@link CANDLES_RESOURCE_MAX_BARS} bars of a stored series as
 * CSV (`time` ISO UTC, open, high, low, close, volume; an empty cell for NaN). When the series holds more, a first line
 * `# capped: ...` says how many and how to read the rest.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { datasetCandlesResource } from "./dataset_candles_resource.ts";
 * assert.equal(datasetCandlesResource.uri("samples:SPX:1d"), "sentinel://datasets/samples%3ASPX%3A1d/candles.csv");
 * ```
 */
export const datasetCandlesResource: McpResource = defineResource({
  name: "dataset_candles",
  title: "Dataset candles (CSV)",
  description: `The latest ${CANDLES_RESOURCE_MAX_BARS} bars of one stored series as CSV (time ISO UTC, open, high, ` +
    "low, close, volume). A longer series starts with a line '# capped: ...' naming the rows left out; get_candles " +
    "pages through any range.",
  uriTemplate: "sentinel://datasets/{series}/candles.csv",
  variable: "series",
  mimeType: "text/csv",
  async list(ctx) {
    return (await storedSeries(ctx)).map((s) => ({
      uri: datasetCandlesResource.uri(s.series),
      name: `${s.series} candles`,
      title: `Candles of ${s.series}`,
      description: `${Math.min(s.bars, CANDLES_RESOURCE_MAX_BARS)} of ${s.bars} bars as CSV${
        s.bars > CANDLES_RESOURCE_MAX_BARS ? " (the latest)" : ""
      }`,
      mimeType: "text/csv",
    }));
  },
  async read(series, uri, ctx) {
    const store = await readOnlyStore(ctx.dataDir);
    let found: Awaited<ReturnType<typeof findSeries>>;
    try {
      found = await findSeries(store, series);
    } catch (e) {
      if (e instanceof RangeError) throw notFound(uri, e.message, DATASET_URI_HINT);
      throw e;
    }
    const frame = await store.read(found.id);
    const n = frame.length;
    const start = Math.max(0, n - CANDLES_RESOURCE_MAX_BARS);
    const cols = OHLCV.map((c) => frame.col(c));
    const lines: string[] = [`time,${OHLCV.join(",")}`];
    for (let i = start; i < n; i++) {
      let line = iso(frame.ts[i]!);
      for (const col of cols) line += `,${numCell(col[i]!)}`;
      lines.push(line);
    }
    const head = start > 0
      ? capLine(
        `the latest ${n - start} of ${n} bars (from ${iso(frame.ts[start]!)}); get_candles with ` +
          `series=${series} and from/to pages through the ${start} earlier ones`,
      )
      : "";
    return `${head}${lines.join("\n")}\n`;
  },
  complete: completeSeries,
});
