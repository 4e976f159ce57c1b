import { formatSeries } from "../../types/mod.ts";
import { describeDataset } from "../tools/describe_dataset.ts";
import { iso, readOnlyStore } from "../tools/_series.ts";
import { defineResource, type McpResource, notFound, type ResourceContext } from "./_resource.ts";

/** How a dataset's variable is written in its URI, said in every error about one. */
export const DATASET_URI_HINT = "dataset URIs are sentinel://datasets/ + the series percent-encoded " +
  "(encodeURIComponent: binance:BTC/USDT:1h is sentinel://datasets/binance%3ABTC%2FUSDT%3A1h); " +
  "resources/list or the list_datasets tool shows the stored ones";

/** Gaps and holidays listed in a dataset resource (counts are always complete); `describe_dataset` lists more. */
export const DATASET_RESOURCE_MAX_GAPS = 50;

/** The stored series as `exchange:SYMBOL:timeframe`, with their range and bar count. */
export async function storedSeries(
  ctx: ResourceContext,
): Promise<{ series: string; from: string; to: string; bars: number; calendar: string }[]> {
  const store = await readOnlyStore(ctx.dataDir);
  return (await store.list()).map((info) => ({
    series: formatSeries(info),
    from: iso(info.first),
    to: iso(info.last),
    bars: info.bars,
    calendar: info.calendar,
  }));
}

/** Stored series starting with `prefix`, for completion. */
export async function completeSeries(prefix: string, ctx: ResourceContext): Promise<string[]> {
  return (await storedSeries(ctx)).map((s) => s.series).filter((s) => s.startsWith(prefix)).slice(0, 100);
}

/**
 * `sentinel://datasets/{series}`: one stored series described as `describe_dataset` does (range, bars, calendar,
 * source, the quality report with the first {@link DATASET_RESOURCE_MAX_GAPS} gaps, provenance), as JSON, with the URI
 * of its candles.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { datasetResource } from "./dataset_resource.ts";
 * assert.equal(datasetResource.uri("binance:BTC/USDT:1h"), "sentinel://datasets/binance%3ABTC%2FUSDT%3A1h");
 * ```
 */
export const datasetResource: McpResource = defineResource({
  name: "dataset",
  title: "Stored dataset",
  description: "One stored series (exchange:SYMBOL:timeframe, percent-encoded in the URI): first and last bar, bar " +
    "count, calendar, source and its quality report (gap, duplicate and bad-bar counts, the first " +
    `${DATASET_RESOURCE_MAX_GAPS} gaps), with provenance, as describe_dataset computes it.`,
  uriTemplate: "sentinel://datasets/{series}",
  variable: "series",
  mimeType: "application/json",
  async list(ctx) {
    return (await storedSeries(ctx)).map((s) => ({
      uri: datasetResource.uri(s.series),
      name: s.series,
      title: `Dataset ${s.series}`,
      description: `${s.bars} bars from ${s.from} to ${s.to}, calendar ${s.calendar}`,
      mimeType: "application/json",
    }));
  },
  async read(series, uri, ctx) {
    let structured: Record<string, unknown>;
    try {
      structured = (await describeDataset.run(
        { series, maxGaps: DATASET_RESOURCE_MAX_GAPS },
        { ...ctx, progress: () => Promise.resolve() },
      )).structured;
    } catch (e) {
      if (e instanceof RangeError) throw notFound(uri, e.message, DATASET_URI_HINT);
      throw e;
    }
    return JSON.stringify({ ...structured, candles: `${uri}/candles.csv` }, null, 2);
  },
  complete: completeSeries,
});
