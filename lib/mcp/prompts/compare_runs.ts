import type { RunRecord } from "../../runs/mod.ts";
import { provenanceFromManifest } from "../tools/_provenance.ts";
import { openRuns } from "../tools/_research.ts";
import { runResource } from "../resources/run_resource.ts";
import { callRecorder, type McpPrompt } from "./_prompt.ts";
import { runArg, runIdArg } from "./_runs.ts";

function describe(rec: RunRecord): { line: string; range: string; fill: string; costs: string } {
  const p = provenanceFromManifest(rec.manifest, { runId: rec.id });
  const range = p.from && p.to ? `${p.from} to ${p.to}${p.bars !== undefined ? ` (${p.bars} bars)` : ""}` : "unknown";
  return {
    line: `${rec.id}: ${rec.kind} of ${rec.strategy} ${JSON.stringify(rec.params)} on ${rec.series.join(", ")}, ` +
      `data ${range}, fill ${p.fill ?? "?"}, costs ${p.costs ?? "?"}, recorded ${rec.created_at} by ${rec.source}`,
    range,
    fill: p.fill ?? "",
    costs: p.costs ?? "",
  };
}

/**
 * `compare_runs`: two recorded runs side by side: `compare_runs`, each run's manifest through `get_run`, equity and
 * drawdown plots, then a discussion of risk and return, costs and fill timing, and the data each ran on. The
 * differences in conventions the manifests already show are listed up front.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { compareRunsPrompt } from "./compare_runs.ts";
 * assert.equal(compareRunsPrompt.name, "compare_runs");
 * ```
 */
export const compareRunsPrompt: McpPrompt = {
  name: "compare_runs",
  title: "Compare two recorded runs",
  description: "Compares two recorded runs: stats side by side, manifests, equity and drawdown plots, then risk and " +
    "return, costs and fill timing, and data range, with what makes them comparable or not.",
  args(ctx) {
    return {
      first: runIdArg(ctx, "The first recorded run's id"),
      second: runIdArg(ctx, "The second recorded run's id"),
    };
  },
  async build(args, ctx) {
    await using runs = await openRuns(ctx.dataDir);
    const a = await runArg(runs, "first", args.first);
    const b = await runArg(runs, "second", args.second);
    if (a.id === b.id) throw new RangeError(`second: it is the same run as first (${a.id}); pass two different runs`);
    const da = describe(a), db = describe(b);
    const known: string[] = [];
    if (a.series.join() !== b.series.join()) {
      known.push(`they ran on different series (${a.series.join(", ")} against ${b.series.join(", ")})`);
    }
    if (da.range !== db.range) known.push("their data ranges differ (see above)");
    const word = (fill: string): string => fill.split(":")[0] ?? fill;
    if (da.fill !== db.fill) known.push(`their fill timing differs (${word(da.fill)} against ${word(db.fill)})`);
    if (da.costs !== db.costs) known.push("their costs differ (see above)");
    if (a.strategy !== b.strategy) known.push(`they run different strategies (${a.strategy} against ${b.strategy})`);
    const { calls, c } = callRecorder();
    const text = [
      `Compare two recorded runs of the Sentinel lab and explain what differs and why. Every tool here is read-only.`,
      `- A = ${da.line}`,
      `- B = ${db.line}`,
      known.length
        ? `Known from the manifests before you start: ${known.join("; ")}. Keep them in mind: a difference in ` +
          `results may come from these and not from the strategy.`
        : "The manifests agree on series, data range, fill timing and costs: differences come from the strategy " +
          "and its params.",
      "",
      `1. ${c("compare_runs", { ids: [a.id, b.id] })}: every stat side by side, the better run marked per stat, and ` +
      `each run's provenance.`,
      `2. ${c("get_run", { id: a.id, limit: 0 })} and ${c("get_run", { id: b.id, limit: 0 })}: the manifests ` +
      `(data hashes and quality, params, options, annualization, engine version).`,
      `3. ${c("plot", { kind: "equity", run: a.id })} and ${c("plot", { kind: "equity", run: b.id })}, then ` +
      `${c("plot", { kind: "drawdown", run: a.id })} and ${c("plot", { kind: "drawdown", run: b.id })}: look at ` +
      `when each made and lost its money, not only the totals.`,
      "4. Discuss:",
      "   - Risk and return: total return and CAGR against annual volatility, Sharpe, Sortino, max drawdown and its " +
      "duration, Calmar. Which earns more per unit of risk, and is the gap larger than the noise (compare PSR, and " +
      "the number of trades behind each figure)?",
      "   - Costs and execution: fees paid, turnover and trade count, fill timing (next_open or close) and the fee, " +
      "spread and slippage options. Would the ranking survive the other run's costs?",
      "   - Data: series, range and calendar of each, gaps in the quality reports, annualization. Runs on different " +
      "periods or markets are not a like-for-like comparison: if the ranges overlap, say how you would rerun both " +
      "on the overlap (run_backtest with each run's strategy, params, options and series, and from/to set to it).",
      "   - Params and strategy: what in the rule explains the difference.",
      "5. Report: a table of the key stats (A, B, which is better), the differences in conventions and data, the " +
      "most likely cause of the gap, and which run you would trust more and why. Quote the provenance (manifest " +
      "hashes, engine version).",
    ].join("\n");
    return {
      description: `Compare runs ${a.id} and ${b.id}`,
      text,
      calls,
      links: [a, b].map((r) => ({
        uri: runResource.uri(r.id),
        name: `run ${r.id}`,
        mimeType: "application/json",
        description: `Stats and manifest of run ${r.id}`,
      })),
    };
  },
};
