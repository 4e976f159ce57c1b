import { z } from "zod";
import type { WalkForwardResult } from "../../backtest/mod.ts";
import { backtestModule } from "./_lazy_backtest.ts";
import { defineTool, type McpTool, ProvenanceSchema, toolInput } from "../mcp_tool.ts";
import { inputsManifestHash, seriesProvenance } from "./_provenance.ts";
import {
  finite,
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

/** Most grid combinations per training window. */
export const WALK_FORWARD_MAX_COMBOS = 2_000;
/** Most in-sample evaluations (combinations x folds) of one call. */
export const WALK_FORWARD_MAX_EVALS = 20_000;
/** Most folds of one call. */
export const WALK_FORWARD_MAX_FOLDS = 100;
/** Most wall time of one call, ms. */
export const WALK_FORWARD_MAX_MS = 20_000;

/** Stats shown per fold (the whole set is in the stitched `stats`). */
const FOLD_KEYS = ["total_return", "sharpe", "max_drawdown", "trades"] as const;

const input = toolInput({
  strategy: StrategyArg,
  grid: GridArg,
  options: OptionsArg,
  series: SeriesArg,
  from: FromArg,
  to: ToArg,
  train: z.number().int().min(2).describe("Bars per training (in-sample) window"),
  test: z.number().int().min(2).describe("Bars per test (out-of-sample) window; test windows follow each other"),
  folds: z.number().int().min(1).max(WALK_FORWARD_MAX_FOLDS).optional().describe(
    `Folds (default: as many as fit, at most ${WALK_FORWARD_MAX_FOLDS}), laid out from the end of the data`,
  ),
  mode: z.enum(["rolling", "anchored"]).default("rolling").describe(
    "rolling: the training window slides; anchored: it starts at the first fold and grows",
  ),
  metric: z.string().default("sharpe").describe("Stat that picks the best params in-sample (default sharpe)"),
});

const FoldStats = z.record(z.string(), z.number().nullable());
const output = z.strictObject({
  strategy: z.string(),
  mode: z.enum(["rolling", "anchored"]),
  metric: z.string(),
  folds: z.array(z.strictObject({
    fold: z.number().int(),
    trainFrom: z.string(),
    trainTo: z.string(),
    testFrom: z.string(),
    testTo: z.string(),
    params: z.record(z.string(), z.unknown()),
    trials: z.number().int(),
    inSample: FoldStats.describe(`in-sample ${FOLD_KEYS.join(", ")} and the metric`),
    outOfSample: FoldStats.describe(`out-of-sample ${FOLD_KEYS.join(", ")} and the metric`),
  })),
  stats: z.array(StatRowSchema).describe("stats of the stitched out-of-sample equity curve"),
  efficiency: z.number().nullable().describe("mean out-of-sample metric / mean in-sample metric"),
  elapsedMs: z.number(),
  provenance: ProvenanceSchema,
});

type Input = typeof input;
type Output = typeof output;

/**
 * `walk_forward`: walk-forward analysis of a registered strategy over a stored series (a grid searched per training
 * window, the best params traded on the following test window), in memory and not recorded.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { walkForwardTool } from "./walk_forward.ts";
 * assert.equal(walkForwardTool.name, "walk_forward");
 * assert.equal(walkForwardTool.input.safeParse({ strategy: "sma_cross", series: "a:B:1d", grid: {}, train: 1, test: 5 }).success, false);
 * ```
 */
export const walkForwardTool: McpTool<Input, Output> = defineTool({
  name: "walk_forward",
  title: "Walk-forward analysis (not recorded)",
  description: "Walk-forward analysis of a registered single-asset strategy on a stored series: per fold, searches " +
    "the grid on the training window, keeps the best params by the metric and trades them on the next test window; " +
    "the test windows are stitched into one out-of-sample curve. Returns in-sample and out-of-sample stats per fold, " +
    `the stitched curve's stats and provenance. Bounded: ${WALK_FORWARD_MAX_COMBOS} combinations, ` +
    `${WALK_FORWARD_MAX_EVALS} combinations x folds, ${
      WALK_FORWARD_MAX_MS / 1000
    } s; sends a progress notification per fold. Computed in memory, not recorded.`,
  input,
  output,
  async run(args, ctx) {
    const parsed = parseRunArgs(args.strategy, {}, args.options);
    let combos = 1;
    for (const values of Object.values(args.grid)) combos *= values.length;
    if (combos > WALK_FORWARD_MAX_COMBOS) {
      throw new RangeError(
        `grid: ${combos} combinations is more than the ${WALK_FORWARD_MAX_COMBOS} one call may search per fold; ` +
          "give fewer values per param",
      );
    }
    const { id, frame, calendar } = await loadSeries(ctx.dataDir, args.series, args.from, args.to);
    const fit = Math.floor((frame.length - args.train) / args.test);
    if (fit < 1) {
      throw new RangeError(
        `train/test: ${frame.length} bars hold no fold of train ${args.train} + test ${args.test} bars; use ` +
          "shorter windows or a wider from/to",
      );
    }
    if (args.folds !== undefined && args.folds > fit) {
      throw new RangeError(`folds: ${args.folds} folds do not fit in ${frame.length} bars; use at most ${fit}`);
    }
    const folds = Math.min(args.folds ?? fit, WALK_FORWARD_MAX_FOLDS);
    if (combos * folds > WALK_FORWARD_MAX_EVALS) {
      throw new RangeError(
        `folds: ${combos} combinations x ${folds} folds is more than ${WALK_FORWARD_MAX_EVALS} evaluations; ` +
          `pass folds <= ${Math.floor(WALK_FORWARD_MAX_EVALS / combos)} or a smaller grid`,
      );
    }
    const budget = AbortSignal.timeout(WALK_FORWARD_MAX_MS);
    const t0 = performance.now();
    await ctx.progress(0, folds, `walk-forward: ${folds} folds of ${combos} combinations`);
    let r: WalkForwardResult;
    try {
      const { walkForward: walk } = await backtestModule();
      r = await walk({
        frame,
        strategy: args.strategy,
        grid: args.grid,
        options: parsed.options,
        train: args.train,
        test: args.test,
        folds,
        mode: args.mode,
        metric: args.metric,
        calendar,
        timeframe: id.timeframe,
        signal: AbortSignal.any([ctx.signal, budget]),
        onFold: (_, done, total) => ctx.progress(done, total, `fold ${done}/${total}`),
      });
    } catch (e) {
      if (budget.aborted && !ctx.signal.aborted) {
        throw new RangeError(
          `grid/folds: the walk-forward passed its ${WALK_FORWARD_MAX_MS / 1000} s budget; use fewer folds or values`,
        );
      }
      const m = (e as Error).message;
      if (/^metric /.test(m)) throw new RangeError(`metric: ${m}`);
      if (/^grid /.test(m)) throw new RangeError(`grid: ${m}`);
      throw new RangeError(withField(e as Error), { cause: e });
    }
    const elapsedMs = performance.now() - t0;
    const iso = (ms: number): string => new Date(ms).toISOString();
    const pick = (s: Record<string, number>): Record<string, number | null> => {
      const o: Record<string, number | null> = {};
      for (const k of [...FOLD_KEYS, r.metric]) o[k] = finite(s[k]);
      return o;
    };
    const mean = (xs: number[]): number => xs.reduce((a, b) => a + b, 0) / xs.length;
    const isM = r.folds.map((f) => f.inSample).filter(Number.isFinite);
    const oosM = r.folds.map((f) => f.outOfSample).filter(Number.isFinite);
    const efficiency = isM.length && oosM.length ? finite(mean(oosM) / mean(isM)) : null;
    const capped = args.folds === undefined && fit > WALK_FORWARD_MAX_FOLDS
      ? `folds: the last ${WALK_FORWARD_MAX_FOLDS} of the ${fit} folds that fit; narrow from/to for the earlier ones`
      : undefined;
    const manifestHash = await inputsManifestHash(
      args.strategy,
      { grid: args.grid, metric: r.metric, mode: args.mode, train: args.train, test: args.test, folds: r.folds.length },
      id,
      frame,
      calendar,
      parsed.options,
    );
    const provenance = seriesProvenance(id, frame, calendar, parsed.options, {
      ...(manifestHash ? { manifestHash } : {}),
      note: `computed in memory, not recorded; ${r.folds.length} folds (${args.mode}), train ${args.train} / test ` +
        `${args.test} bars, ${combos} combinations per training window; manifestHash is of its inputs (data, ` +
        "strategy code, grid, folds, options)",
      ...(capped ? { capped } : {}),
    });
    return {
      structured: {
        strategy: args.strategy,
        mode: r.mode,
        metric: r.metric,
        folds: r.folds.map((f) => ({
          fold: f.fold,
          trainFrom: iso(f.train.startTs),
          trainTo: iso(f.train.endTs),
          testFrom: iso(f.test.startTs),
          testTo: iso(f.test.endTs),
          params: f.params,
          trials: f.trials,
          inSample: pick(f.isStats),
          outOfSample: pick(f.oosStats),
        })),
        stats: statRows(r.stats),
        efficiency,
        elapsedMs,
        provenance,
      },
      text: `${args.strategy} walk-forward on ${provenance.series}: ${r.folds.length} ${r.mode} folds (train ` +
        `${args.train}, test ${args.test} bars), best params by ${r.metric} per fold; out-of-sample total return ` +
        `${finite(r.stats.total_return)?.toFixed(4) ?? "n/a"}, Sharpe ${
          finite(r.stats.sharpe)?.toFixed(3) ?? "n/a"
        }, efficiency (OOS/IS ${r.metric}) ${efficiency?.toFixed(3) ?? "n/a"}. Not recorded.`,
    };
  },
});
