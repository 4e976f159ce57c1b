import { openRuns, tradeRows } from "../tools/_research.ts";
import { capLine, defineResource, type McpResource, numCell, textCell } from "./_resource.ts";
import { completeRunId, recentRuns, runOrNotFound } from "./run_resource.ts";

/** Most trades a trades resource holds: the first ones in exit order. `get_run` pages through all. */
export const TRADES_RESOURCE_MAX_TRADES = 5_000;

const COLUMNS = [
  "asset",
  "direction",
  "entryTime",
  "exitTime",
  "entryPrice",
  "exitPrice",
  "size",
  "pnl",
  "return",
  "fees",
  "bars",
  "exitReason",
] as const;

/**
 * `sentinel://runs/{id}/trades.csv`: a recorded run's round trips in exit order as CSV (the columns of `get_run`'s
 * trades, times ISO UTC, an empty cell for NaN), at most {@link TRADES_RESOURCE_MAX_TRADES}; when capped, a first line
 * `# capped: ...` says so and how to page through the rest.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { runTradesResource } from "./run_trades_resource.ts";
 * assert.equal(runTradesResource.uri("r1"), "sentinel://runs/r1/trades.csv");
 * ```
 */
export const runTradesResource: McpResource = defineResource({
  name: "run_trades",
  title: "Run trades (CSV)",
  description: `A recorded run's trades in exit order as CSV (${COLUMNS.join(", ")}), at most ` +
    `${TRADES_RESOURCE_MAX_TRADES}; a longer list starts with a line '# capped: ...' and get_run pages through it.`,
  uriTemplate: "sentinel://runs/{id}/trades.csv",
  variable: "id",
  mimeType: "text/csv",
  async list(ctx) {
    return (await recentRuns(ctx)).map((r) => ({
      uri: runTradesResource.uri(r.id),
      name: `run ${r.id} trades`,
      title: `Trades of run ${r.id}`,
      description: `Trades of ${r.kind} ${r.strategy} on ${r.series.join(", ")} as CSV`,
      mimeType: "text/csv",
    }));
  },
  async read(id, uri, ctx) {
    await using runs = await openRuns(ctx.dataDir);
    const rec = await runOrNotFound(runs, id, uri);
    const all = await runs.trades(rec.id);
    const rows = tradeRows(all.slice(0, TRADES_RESOURCE_MAX_TRADES));
    const lines: string[] = [COLUMNS.join(",")];
    for (const row of rows) {
      lines.push(
        COLUMNS.map((c) => {
          const v = row[c];
          return typeof v === "number" ? numCell(v) : v === null ? "" : textCell(v);
        }).join(","),
      );
    }
    const head = all.length > rows.length
      ? capLine(
        `the first ${rows.length} of ${all.length} trades; get_run with id=${rec.id}, offset=${rows.length} and ` +
          `limit up to 200 pages through the rest`,
      )
      : "";
    return `${head}${lines.join("\n")}\n`;
  },
  complete: completeRunId,
});
