import { z } from "zod";
import { defineTool, type McpTool, ProvenanceSchema, toolInput } from "../mcp_tool.ts";
import { finite, openRuns } from "./_research.ts";

/** Most runs one page holds. */
export const LIST_RUNS_MAX = 100;

/** Headline stats listed per run (get_run has them all). */
const HEADLINE = ["total_return", "sharpe", "max_drawdown", "trades", "final_equity"] as const;

const input = toolInput({
  strategy: z.string().optional().describe("Only runs of this strategy, e.g. sma_cross"),
  series: z.string().optional().describe("Only runs whose data includes this series, e.g. samples:SPX:1d"),
  kind: z.enum(["single", "sweep", "walk_forward"]).optional().describe("Only runs of this kind"),
  offset: z.number().int().min(0).default(0).describe("Runs to skip, newest first (paging)"),
  limit: z.number().int().min(1).max(LIST_RUNS_MAX).default(20).describe(
    `Runs per page (default 20, at most ${LIST_RUNS_MAX})`,
  ),
});

const output = z.strictObject({
  runs: z.array(z.strictObject({
    id: z.string(),
    kind: z.string(),
    createdAt: z.string(),
    source: z.string(),
    label: z.string(),
    strategy: z.string(),
    series: z.array(z.string()),
    params: z.record(z.string(), z.unknown()),
    manifestHash: z.string(),
    engineVersion: z.string().nullable(),
    stats: z.record(z.string(), z.number().nullable()).describe(`headline stats: ${HEADLINE.join(", ")}`),
  })),
  offset: z.number().int(),
  nextOffset: z.number().int().nullable().describe("offset of the next page, null on the last page"),
  provenance: ProvenanceSchema,
});

type Input = typeof input;
type Output = typeof output;

/**
 * `list_runs`: recorded runs of the runs registry (opened read-only), newest first, filtered and paged.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { listRunsTool } from "./list_runs.ts";
 * const dataDir = await Deno.makeTempDir();
 * const signal = new AbortController().signal;
 * const r = await listRunsTool.run({ offset: 0, limit: 20 }, { dataDir, signal, progress: () => Promise.resolve() });
 * assert.deepEqual(r.structured.runs, []);
 * await Deno.remove(dataDir);
 * ```
 */
export const listRunsTool: McpTool<Input, Output> = defineTool({
  name: "list_runs",
  title: "List recorded runs",
  description: "Lists the runs recorded in the runs registry (backtests, sweeps and walk-forwards from the CLI, the " +
    "lab or scheduled jobs), newest first, optionally by strategy, series or kind; paged with offset/limit. Each " +
    "has its id (for get_run and compare_runs), params, manifest hash, engine version and headline stats.",
  input,
  output,
  async run(args, ctx) {
    await using runs = await openRuns(ctx.dataDir);
    // One more than the page, to know whether another page follows.
    const all = await runs.list({
      ...(args.strategy !== undefined ? { strategy: args.strategy } : {}),
      ...(args.series !== undefined ? { series: args.series } : {}),
      ...(args.kind !== undefined ? { kind: args.kind } : {}),
      limit: args.offset + args.limit + 1,
    });
    const page = all.slice(args.offset, args.offset + args.limit);
    const more = all.length > args.offset + args.limit;
    const nextOffset = more ? args.offset + args.limit : null;
    const filters = [
      args.strategy && `strategy ${args.strategy}`,
      args.series && `series ${args.series}`,
      args.kind && `kind ${args.kind}`,
    ].filter(Boolean).join(", ");
    return {
      structured: {
        runs: page.map((r) => {
          const stats: Record<string, number | null> = {};
          for (const k of HEADLINE) if (k in r.stats) stats[k] = finite(r.stats[k]);
          const ev = r.manifest.engine_version;
          return {
            id: r.id,
            kind: r.kind,
            createdAt: r.created_at,
            source: r.source,
            label: r.label,
            strategy: r.strategy,
            series: r.series,
            params: r.params,
            manifestHash: r.manifest_id,
            engineVersion: typeof ev === "string" ? ev : null,
            stats,
          };
        }),
        offset: args.offset,
        nextOffset,
        provenance: {
          note: `the lab's runs registry, read-only${filters ? `; filtered by ${filters}` : ""}`,
          ...(more
            ? { capped: `page of ${args.limit} runs from offset ${args.offset}; pass offset=${nextOffset} for more` }
            : {}),
        },
      },
      text: `${page.length} recorded run(s)${filters ? ` (${filters})` : ""} from offset ${args.offset}, newest ` +
        `first${more ? `; more with offset=${nextOffset}` : ""}.`,
    };
  },
});
