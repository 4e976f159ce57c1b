import { z } from "zod";
import { defineTool, type McpTool, ProvenanceSchema, toolInput } from "../mcp_tool.ts";
import { runProvenance } from "./_provenance.ts";
import { getRun, openRuns, runFacts, RunIdArg, StatRowSchema, tradeRows, TradeRowSchema } from "./_research.ts";

/** Most trades one page holds. */
export const GET_RUN_MAX_TRADES = 200;

const input = toolInput({
  id: RunIdArg,
  offset: z.number().int().min(0).default(0).describe("Trades to skip (paging), in exit order"),
  limit: z.number().int().min(0).max(GET_RUN_MAX_TRADES).default(50).describe(
    `Trades per page (default 50, at most ${GET_RUN_MAX_TRADES}; 0 for none)`,
  ),
});

const output = z.strictObject({
  id: z.string(),
  kind: z.string(),
  createdAt: z.string(),
  source: z.string(),
  label: z.string(),
  strategy: z.string(),
  series: z.array(z.string()),
  params: z.record(z.string(), z.unknown()),
  options: z.record(z.string(), z.unknown()),
  stats: z.array(StatRowSchema),
  manifest: z.record(z.string(), z.unknown()).describe("everything that determines the result, with its hash as id"),
  detail: z.record(z.string(), z.unknown()).describe("kind-specific: a sweep's grid, a walk-forward's folds"),
  files: z.array(z.string()),
  tradeCount: z.number().int(),
  trades: z.array(TradeRowSchema),
  offset: z.number().int(),
  nextOffset: z.number().int().nullable(),
  provenance: ProvenanceSchema,
});

type Input = typeof input;
type Output = typeof output;

/**
 * `get_run`: one recorded run (stats, manifest, detail) with a page of its trades, from the registry opened read-only.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { getRunTool } from "./get_run.ts";
 * assert.equal(getRunTool.name, "get_run");
 * assert.equal(getRunTool.input.safeParse({ id: "x", limit: 500 }).success, false);
 * ```
 */
export const getRunTool: McpTool<Input, Output> = defineTool({
  name: "get_run",
  title: "Get a recorded run",
  description: "One recorded run by id: every stat, the manifest (data hashes and quality, strategy code hash, " +
    "params, options, annualization, engine version), kind-specific detail (a sweep's grid, a walk-forward's folds) " +
    `and a page of its trades (offset/limit, at most ${GET_RUN_MAX_TRADES}), with provenance.`,
  input,
  output,
  async run(args, ctx) {
    await using runs = await openRuns(ctx.dataDir);
    const rec = await getRun(runs, "id", args.id);
    const all = await runs.trades(rec.id);
    const page = all.slice(args.offset, args.offset + args.limit);
    const more = all.length > args.offset + args.limit;
    const nextOffset = more ? args.offset + args.limit : null;
    const capped = more || args.offset > 0
      ? `trades ${args.offset}..${args.offset + page.length} of ${all.length}${
        more ? `; pass offset=${nextOffset} for more` : ""
      }`
      : undefined;
    const provenance = runProvenance(rec, capped ? { capped } : {});
    return {
      structured: {
        ...runFacts(rec),
        tradeCount: all.length,
        trades: tradeRows(page),
        offset: args.offset,
        nextOffset,
        provenance,
      },
      text: `Run ${rec.id} (${rec.kind}, ${rec.strategy} ${JSON.stringify(rec.params)} on ${rec.series.join(", ")}, ` +
        `recorded ${rec.created_at} by ${rec.source}): ${Object.keys(rec.stats).length} stats, ${all.length} trades` +
        `${page.length ? `, ${page.length} listed from ${args.offset}` : ""}${
          more ? `; more with offset=${nextOffset}` : ""
        }.`,
    };
  },
});
