import { z } from "zod";
import { completable } from "../_sdk.ts";
import { isPortfolioStrategy, type ParamField, paramFields, registry } from "../../strategies/mod.ts";
import { formatSeries } from "../../types/mod.ts";
import { checkStrategy, parseRunArgs } from "../tools/_research.ts";
import { findSeries, readOnlyStore } from "../tools/_series.ts";
import { datasetResource } from "../resources/dataset_resource.ts";
import { callRecorder, isoDay, type McpPrompt } from "./_prompt.ts";

/** Params varied in the sweep and walk-forward a review asks for (the others stay at the reviewed values). */
export const REVIEW_VARIED_PARAMS = 3;
/** Multiples of a numeric param the review's grid tries: 5 values, so at most 125 combinations. */
export const REVIEW_GRID_STEPS: readonly number[] = [0.5, 0.75, 1, 1.25, 1.5];
/** Folds of the review's walk-forward. */
export const REVIEW_FOLDS = 4;
/** Costs the review's cost check adds: 10 bp fee and 5 bp slippage per side. */
export const REVIEW_COSTS = Object.freeze({ fee: 0.001, slippage: 0.0005 });

type Primitive = number | string | boolean;

function inRange(f: ParamField, x: number): boolean {
  if (f.min !== undefined && (f.minExclusive ? x <= f.min : x < f.min)) return false;
  if (f.max !== undefined && (f.maxExclusive ? x >= f.max : x > f.max)) return false;
  return true;
}

/** Values around `v` within the field's range: multiples of it, rounded for ints; v itself always. */
function around(f: ParamField, v: number): number[] {
  const raw = v === 0 ? [0, f.step ?? 1, 2 * (f.step ?? 1)] : REVIEW_GRID_STEPS.map((m) => v * m);
  const vals = raw.map((x) => f.type === "int" ? Math.round(x) : +x.toPrecision(6)).filter((x) => inRange(f, x));
  return [...new Set([...vals, v])].sort((a, b) => a - b);
}

/** The grid of a review: up to {@link REVIEW_VARIED_PARAMS} numeric params around their values, the rest fixed. */
export function reviewGrid(strategy: string, params: Record<string, Primitive>): Record<string, Primitive[]> {
  const grid: Record<string, Primitive[]> = {};
  let varied = 0;
  for (const f of paramFields(registry.get(strategy))) {
    const v = params[f.name];
    if (v === undefined) continue;
    if (typeof v === "number" && (f.type === "int" || f.type === "float") && varied < REVIEW_VARIED_PARAMS) {
      const vals = around(f, v);
      if (vals.length > 1) varied++;
      grid[f.name] = vals;
    } else grid[f.name] = [v];
  }
  return grid;
}

function parseParamsText(text: string | undefined): Record<string, unknown> {
  if (text === undefined || text.trim() === "") return {};
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch {
    throw new RangeError(`params: ${JSON.stringify(text)} is not JSON; pass an object such as {"fast":10,"slow":50}`);
  }
  if (v === null || typeof v !== "object" || Array.isArray(v)) {
    throw new RangeError(
      `params: ${JSON.stringify(text)} is not a JSON object; pass one such as {"fast":10,"slow":50}`,
    );
  }
  return v as Record<string, unknown>;
}

/**
 * `review_strategy`: walks a model through checking one strategy with its params on one stored series for look-ahead
 * (a truncation test of the causality property, next-open against close fills), cost sensitivity, and overfitting
 * (a sweep's PSR and DSR over its trials, a walk-forward's out-of-sample stats), naming each tool and its arguments,
 * then says what to report.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { reviewGrid } from "./review_strategy.ts";
 * assert.deepEqual(reviewGrid("sma_cross", { fast: 10, slow: 50 }).fast, [5, 8, 10, 13, 15]);
 * ```
 */
export const reviewStrategyPrompt: McpPrompt = {
  name: "review_strategy",
  title: "Review a strategy for look-ahead and overfitting",
  description: "Checks a registered strategy with given params on a stored series: look-ahead (truncation and fill " +
    "timing), costs, and overfitting with PSR/DSR over a sweep and a walk-forward; says what to report.",
  args(ctx) {
    const names = () => registry.list().filter((s) => !isPortfolioStrategy(s)).map((s) => s.name).sort();
    return {
      strategy: completable(
        z.string().min(1).describe("A registered single-asset strategy, e.g. sma_cross (list_strategies names them)"),
        (v) => names().filter((n) => n.startsWith(v ?? "")),
      ),
      series: completable(
        z.string().min(3).describe("A stored series as exchange:SYMBOL:timeframe, e.g. samples:SPX:1d"),
        async (v) => {
          const store = await readOnlyStore(ctx.dataDir);
          return (await store.list()).map((i) => formatSeries(i))
            .filter((s) => s.startsWith(v ?? "")).slice(0, 100);
        },
      ),
      params: z.string().optional().describe(
        'The params to review as a JSON object, e.g. {"fast":10,"slow":50}; missing ones take their defaults',
      ),
    };
  },
  async build(args, ctx) {
    const strategy = args.strategy ?? "";
    checkStrategy(strategy);
    const parsed = parseRunArgs(strategy, parseParamsText(args.params), undefined).params;
    const params: Record<string, Primitive> = {};
    for (const [k, v] of Object.entries(parsed)) {
      if (typeof v === "number" || typeof v === "string" || typeof v === "boolean") params[k] = v;
    }
    const { id, info } = await findSeries(await readOnlyStore(ctx.dataDir), args.series ?? "");
    const series = formatSeries(id);
    const from = isoDay(info.first), to = isoDay(info.last);
    const cut = isoDay(Math.floor((info.first + 0.6 * (info.last - info.first)) / 86_400_000) * 86_400_000);
    const grid = reviewGrid(strategy, params);
    const combos = Object.values(grid).reduce((n, v) => n * v.length, 1);
    const variedCount = Object.values(grid).filter((v) => v.length > 1).length;
    const test = Math.max(2, Math.floor(info.bars / (2 * REVIEW_FOLDS)));
    const train = Math.max(2, 3 * test);
    const base = { strategy, params, series };
    const { calls, c } = callRecorder();
    const p = JSON.stringify(params);

    const text = [
      `Review the strategy \`${strategy}\` with params ${p} on \`${series}\` (${info.bars} bars from ${from} to ` +
      `${to}, calendar ${info.calendar}) for look-ahead bias and overfitting. Every tool here is read-only: backtests, ` +
      `sweeps and walk-forwards are computed in memory and not recorded. Quote numbers with the provenance the tools ` +
      `return (data range and quality, fill timing, costs, annualization, engine version).`,
      "",
      "1. Know what you test.",
      `   - ${c("list_strategies", { name: strategy })}: the rule in words, the warm-up, each param's range.`,
      `   - ${c("describe_dataset", { series })}: range, gaps, duplicates, bad bars. A gap or bad bars inside the ` +
      `tested range can make a result meaningless: note each one.`,
      `2. Baseline: ${c("run_backtest", base)}. Note Sharpe, CAGR, max drawdown, trade count, and provenance.fill ` +
      `(next_open by default: a signal on bar t fills at bar t+1's open).`,
      "3. Look-ahead. Sentinel strategies must be causal: the signal at bar t depends only on bars 0..t, and the " +
      "engine, not the strategy, decides when a signal fills (a property test checks that signals computed on a " +
      "prefix of the data equal those computed on all of it). Check it on this strategy:",
      `   a. Truncation: ${c("run_backtest", { ...base, to: cut })}. Every trade that exits before ${cut} must be ` +
      `identical (entry and exit times and prices) to the baseline's. A trade that differs means the signals used ` +
      `bars after ${cut}: look-ahead. The truncated run's last trade may be closed by the end of its data; ignore it.`,
      `   b. Fill timing: ${c("run_backtest", { ...base, options: { fill: "close" } })}. A close fill trades at the ` +
      `close of the very bar whose close produced the signal, which is only possible if the signal is known before ` +
      `that close. If the result is much better than the baseline, the edge lives inside the signal bar: the ` +
      `next_open figure is the honest one.`,
      `4. Costs: ${c("run_backtest", { ...base, options: { ...REVIEW_COSTS } })}. Does the edge survive 10 bp fee ` +
      `and 5 bp slippage per side? Relate the drop to the trade count and turnover.`,
      "5. Overfitting.",
      `   a. ${c("run_sweep", { strategy, grid, series, metric: "sharpe" })}: ${combos} combinations around the ` +
      `reviewed params. Read best.psr and best.dsr and look them up with ${c("explain_metric", { metric: "psr" })} ` +
      `and ${c("explain_metric", { metric: "dsr" })}. PSR is the probability that the true Sharpe is above 0 given ` +
      `the returns' length, skew and kurtosis; DSR deflates it for the ${combos} trials: below 0.95 the best ` +
      `Sharpe is not significant at 5% after multiple testing. Is the reviewed params' Sharpe on a plateau ` +
      `(neighbours alike) or a lone peak?` +
      (variedCount >= 2
        ? ` ${c("plot", { kind: "sweep_heatmap", strategy, grid, series, metric: "sharpe" })} shows it as a heatmap.`
        : ""),
      `   b. ${
        c("walk_forward", {
          strategy,
          grid,
          series,
          train,
          test,
          folds: REVIEW_FOLDS,
          mode: "rolling",
          metric: "sharpe",
        })
      }: params chosen on ${train} training bars, judged on the next ${test}. Report the stitched out-of-sample ` +
      `stats, each fold's out-of-sample Sharpe and chosen params (stable or jumping?), and the efficiency ` +
      `(out-of-sample over in-sample metric; well below 0.5 suggests overfitting).`,
      "6. Report, in this order:",
      "   - Verdict in one line: usable, needs work, or reject.",
      "   - Look-ahead: truncation identical or not (name the first differing trade), next_open against close fills.",
      "   - Costs: baseline against costed Sharpe and CAGR.",
      `   - Overfitting: PSR, DSR with its ${combos} trials, plateau or peak, walk-forward out-of-sample Sharpe, ` +
      "efficiency and params stability.",
      "   - Data caveats (gaps, range, calendar) and the provenance: engine version, fill, costs, annualization.",
      "   - What would change your mind: the next test to run. Do not claim more than the numbers show.",
    ].join("\n");
    return {
      description: `Review ${strategy} ${p} on ${series}: look-ahead, costs, PSR/DSR, walk-forward`,
      text,
      calls,
      links: [{
        uri: datasetResource.uri(series),
        name: series,
        mimeType: "application/json",
        description: `The dataset ${series}: range and quality report`,
      }],
    };
  },
};
