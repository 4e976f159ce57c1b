import { z } from "zod";
import { formatStat, STATS, STATS_BY_KEY } from "../../metrics/mod.ts";
import { defineTool, type McpTool, ProvenanceSchema, toolInput } from "../mcp_tool.ts";
import { runProvenance } from "./_provenance.ts";
import type { RunRecord } from "../../runs/mod.ts";
import { finite, getRun, openRuns, RunIdArg } from "./_research.ts";

const input = toolInput({
  ids: z.array(RunIdArg).min(2).max(10).describe("2 to 10 recorded run ids (list_runs shows them)"),
});

const output = z.strictObject({
  runs: z.array(z.strictObject({
    id: z.string(),
    kind: z.string(),
    strategy: z.string(),
    series: z.array(z.string()),
    params: z.record(z.string(), z.unknown()),
    provenance: ProvenanceSchema,
  })),
  rows: z.array(z.strictObject({
    key: z.string(),
    title: z.string(),
    values: z.array(z.number().nullable()).describe("one per run, in the order of ids (null: NaN or missing)"),
    texts: z.array(z.string()),
    best: z.number().int().nullable().describe("index of the best run on this stat, null when it has no direction"),
  })),
  provenance: ProvenanceSchema,
});

type Input = typeof input;
type Output = typeof output;

/**
 * `compare_runs`: the stats of 2 to 10 recorded runs side by side, with which is best on each stat.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { compareRunsTool } from "./compare_runs.ts";
 * assert.equal(compareRunsTool.input.safeParse({ ids: ["only-one"] }).success, false);
 * ```
 */
export const compareRunsTool: McpTool<Input, Output> = defineTool({
  name: "compare_runs",
  title: "Compare recorded runs",
  description: "Puts the stats of 2 to 10 recorded runs side by side (registry stats in registry order, then the " +
    "others), marking the best run on each stat that has a direction, with each run's provenance (data range, " +
    "fill, costs, annualization, engine version, manifest hash) so differences in conventions show.",
  input,
  output,
  async run(args, ctx) {
    const seen = new Set<string>();
    for (const id of args.ids) {
      if (seen.has(id)) throw new RangeError(`ids: ${id} is listed twice; give each run once`);
      seen.add(id);
    }
    await using runs = await openRuns(ctx.dataDir);
    const recs: RunRecord[] = [];
    for (const [i, id] of args.ids.entries()) recs.push(await getRun(runs, `ids[${i}]`, id));
    const keys = [
      ...STATS.map((s) => s.key).filter((k) => recs.some((r) => k in r.stats)),
      ...[...new Set(recs.flatMap((r) => Object.keys(r.stats)))].filter((k) => !STATS_BY_KEY.has(k)),
    ];
    const rows = keys.map((key) => {
      const def = STATS_BY_KEY.get(key);
      const raw = recs.map((r) => r.stats[key] ?? NaN);
      let best: number | null = null;
      if (def?.higherIsBetter !== undefined) {
        raw.forEach((v, i) => {
          if (Number.isNaN(v)) return;
          if (best === null || (def.higherIsBetter ? v > raw[best]! : v < raw[best]!)) best = i;
        });
      }
      return {
        key,
        title: def?.title ?? key,
        values: raw.map((v) => finite(v)),
        texts: raw.map((v) => formatStat(key, v)),
        best,
      };
    });
    const provs = recs.map((r) => runProvenance(r));
    const differ = (["fill", "costs", "annualization", "engineVersion"] as const).filter((k) =>
      new Set(provs.map((p) => p[k])).size > 1
    );
    return {
      structured: {
        runs: recs.map((r, i) => ({
          id: r.id,
          kind: r.kind,
          strategy: r.strategy,
          series: r.series,
          params: r.params,
          provenance: provs[i]!,
        })),
        rows,
        provenance: {
          note: differ.length
            ? `the runs differ in ${differ.join(", ")}: compare their stats with that in mind`
            : "the runs share fill timing, costs, annualization and engine version",
        },
      },
      text: `${recs.length} runs compared on ${rows.length} stats${
        differ.length ? `; they differ in ${differ.join(", ")}` : ""
      }.`,
    };
  },
});
