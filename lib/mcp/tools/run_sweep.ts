import { z } from "zod";
import type { SweepResult } from "../../backtest/mod.ts";
import { backtestModule } from "./_lazy_backtest.ts";
import { STATS_BY_KEY } from "../../metrics/mod.ts";
import { defineTool, type McpTool, ProvenanceSchema, toolInput } from "../mcp_tool.ts";
import { inputsManifestHash, seriesProvenance } from "./_provenance.ts";
import {
  FromArg,
  GridArg,
  loadSeries,
  OptionsArg,
  parseRunArgs,
  SeriesArg,
  statRows,
  StatRowSchema,
  StrategyArg,
  ToArg,
  withField,
} from "./_research.ts";

/** Most grid combinations one call may ask for. */
export const SWEEP_MAX_COMBOS = 2_000;
/** Most wall time one sweep may take, ms. */
export const SWEEP_MAX_MS = 20_000;

const input = toolInput({
  strategy: StrategyArg,
  grid: GridArg,
  options: OptionsArg,
  series: SeriesArg,
  from: FromArg,
  to: ToArg,
  stats: z.enum(["fast", "full"]).default("full").describe(
    "full (default): every stat per combination; fast: final_equity, total_return, trades, entries only",
  ),
  metric: z.string().optional().describe("Stat that ranks the combinations; default sharpe (full) or final_equity"),
  top: z.number().int().min(1).max(100).default(10).describe("Rows returned, best first (default 10, at most 100)"),
  timeBudgetMs: z.number().int().min(100).max(SWEEP_MAX_MS).default(SWEEP_MAX_MS).describe(
    `Stop with an error past this many ms (default and most ${SWEEP_MAX_MS})`,
  ),
});

const output = z.strictObject({
  strategy: z.string(),
  metric: z.string(),
  combos: z.number().int().describe("valid combinations evaluated"),
  skipped: z.strictObject({ count: z.number().int(), reasons: z.array(z.string()) }),
  rows: z.array(z.record(z.string(), z.union([z.number(), z.string(), z.boolean(), z.null()]))).describe(
    "the top combinations by the metric: params then stats (null for NaN)",
  ),
  best: z.strictObject({
    params: z.record(z.string(), z.unknown()),
    value: z.number().nullable(),
    stats: z.array(StatRowSchema),
    trials: z.number().int(),
    psr: z.number().nullable(),
    dsr: z.number().nullable().describe("deflated Sharpe over the trials (null for a fast sweep)"),
  }).nullable(),
  elapsedMs: z.number(),
  provenance: ProvenanceSchema,
});

type Input = typeof input;
type Output = typeof output;

/**
 * `run_sweep`: a bounded parameter grid of a registered strategy over a stored series, in memory and not recorded,
 * with a progress notification as batches of combinations finish.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { runSweepTool, SWEEP_MAX_COMBOS } from "./run_sweep.ts";
 * assert.equal(runSweepTool.name, "run_sweep");
 * assert.equal(SWEEP_MAX_COMBOS, 2_000);
 * ```
 */
export const runSweepTool: McpTool<Input, Output> = defineTool({
  name: "run_sweep",
  title: "Sweep a parameter grid (not recorded)",
  description: "Runs a registered single-asset strategy over a grid of params (at most " +
    `${SWEEP_MAX_COMBOS} combinations, at most ${SWEEP_MAX_MS / 1000} s) on a stored series, in memory: nothing is ` +
    "recorded. Sends progress notifications as combinations finish. Returns the top rows by a metric, the best " +
    "combination's full stats with its probabilistic and deflated Sharpe (multiple testing), and provenance.",
  input,
  output,
  async run(args, ctx) {
    const parsed = parseRunArgs(args.strategy, {}, args.options);
    let size = 1;
    for (const [k, values] of Object.entries(args.grid)) {
      size *= values.length;
      if (new Set(values).size !== values.length) {
        throw new RangeError(`grid.${k}: lists a value twice; give each value once`);
      }
    }
    if (size > SWEEP_MAX_COMBOS) {
      throw new RangeError(
        `grid: ${size} combinations is more than the ${SWEEP_MAX_COMBOS} one call may run; give fewer values per ` +
          "param (or sweep in parts with from/to or fixed params)",
      );
    }
    const { id, frame, calendar } = await loadSeries(ctx.dataDir, args.series, args.from, args.to);
    const budget = AbortSignal.timeout(args.timeBudgetMs);
    const signal = AbortSignal.any([ctx.signal, budget]);
    let done = 0, total = 0;
    let r: SweepResult;
    try {
      const { runSweep: sweep } = await backtestModule();
      r = await sweep({
        frame,
        strategy: args.strategy,
        grid: args.grid,
        options: parsed.options,
        stats: args.stats,
        ...(args.metric !== undefined ? { metric: args.metric } : {}),
        series: id,
        calendar,
        signal,
        onProgress: (p) => {
          done = p.done;
          total = p.total;
          // A lost notification must not fail the sweep.
          ctx.progress(p.done, p.total, `${p.done} of ${p.total} combinations`).catch(() => {});
        },
      });
    } catch (e) {
      if (budget.aborted && !ctx.signal.aborted) {
        throw new RangeError(
          `timeBudgetMs: the sweep passed its ${args.timeBudgetMs} ms budget after ${done} of ${total} ` +
            "combinations; give fewer values per param or a shorter from/to",
        );
      }
      const m = (e as Error).message;
      if (/^metric /.test(m)) throw new RangeError(`metric: ${m}`);
      if (/^grid /.test(m)) throw new RangeError(`grid: ${m}`);
      throw new RangeError(withField(e as Error), { cause: e });
    }
    const rows = topRows(r, args.top);
    const bestParams = r.best?.params ?? {};
    const capped = r.combos > rows.length
      ? `rows: the top ${rows.length} of ${r.combos} combinations by ${r.metric}; raise top (at most 100) for more`
      : undefined;
    const manifestHash = await inputsManifestHash(
      args.strategy,
      { grid: args.grid, metric: r.metric },
      id,
      frame,
      calendar,
      parsed.options,
    );
    const provenance = seriesProvenance(id, frame, calendar, parsed.options, {
      ...(manifestHash ? { manifestHash } : {}),
      note: `computed in memory, not recorded; ${r.combos} trials (selection bias: see best.dsr)${
        r.notes.length ? `; ${r.notes.join("; ")}` : ""
      }; manifestHash is of its inputs (data, strategy code, grid, options)`,
      ...(capped ? { capped } : {}),
    });
    return {
      structured: {
        strategy: args.strategy,
        metric: r.metric,
        combos: r.combos,
        skipped: r.skipped,
        rows,
        best: r.best
          ? {
            params: bestParams,
            value: num(r.best.value),
            stats: statRows(r.best.stats),
            trials: r.best.trials,
            psr: num(r.best.psr),
            dsr: num(r.best.dsr),
          }
          : null,
        elapsedMs: r.elapsedMs,
        provenance,
      },
      text: `${args.strategy} sweep on ${provenance.series} (${frame.length} bars): ${r.combos} combinations ` +
        `(${r.skipped.count} invalid skipped) in ${Math.round(r.elapsedMs)} ms; best by ${r.metric}: ${
          r.best ? `${JSON.stringify(bestParams)} = ${r.best.value}, DSR ${num(r.best.dsr) ?? "n/a"}` : "none"
        }. Top ${rows.length} rows listed; not recorded.`,
    };
  },
});

function num(v: number): number | null {
  return Number.isFinite(v) ? v : null;
}

/** The `top` rows of the sweep table, best first by the metric (NaN last, ties in combination order). */
function topRows(r: SweepResult, top: number): Record<string, number | string | boolean | null>[] {
  const t = r.table;
  const metric = t.getChild(r.metric)?.toArray() as Float64Array | undefined;
  if (metric === undefined) return [];
  const hib = STATS_BY_KEY.get(r.metric)?.higherIsBetter ?? true;
  const order = Array.from({ length: metric.length }, (_, i) => i).sort((a, b) => {
    const x = metric[a]!, y = metric[b]!;
    if (Number.isNaN(x) || Number.isNaN(y)) return Number.isNaN(x) ? (Number.isNaN(y) ? a - b : 1) : -1;
    return (hib ? y - x : x - y) || a - b;
  }).slice(0, top);
  const cols = [...r.paramColumns, ...r.statColumns].map((name) => [name, t.getChild(name)!] as const);
  return order.map((i) => {
    const row: Record<string, number | string | boolean | null> = {};
    for (const [name, col] of cols) {
      const v = col.get(i) as number | string | boolean | null;
      row[name] = typeof v === "number" && !Number.isFinite(v) ? null : v;
    }
    return row;
  });
}
