import { z } from "zod";
import { backtestModule } from "./_lazy_backtest.ts";
import { defineTool, type McpTool, ProvenanceSchema, toolInput } from "../mcp_tool.ts";
import { provenanceFromManifest } from "./_provenance.ts";
import {
  FromArg,
  loadSeries,
  OptionsArg,
  ParamsArg,
  parseRunArgs,
  SeriesArg,
  statRows,
  StatRowSchema,
  StrategyArg,
  ToArg,
  tradeRows,
  TradeRowSchema,
  withField,
} from "./_research.ts";

/** Trades returned by {@link runBacktestTool}: the first page only, so an answer stays small. */
export const RUN_BACKTEST_TRADE_CAP = 50;

const input = toolInput({
  strategy: StrategyArg,
  params: ParamsArg,
  options: OptionsArg,
  series: SeriesArg,
  from: FromArg,
  to: ToArg,
});

const output = z.strictObject({
  strategy: z.string(),
  params: z.record(z.string(), z.unknown()).describe("params as parsed, defaults filled in"),
  stats: z.array(StatRowSchema),
  finalEquity: z.number(),
  tradeCount: z.number().int(),
  trades: z.array(TradeRowSchema).describe(`the first ${RUN_BACKTEST_TRADE_CAP} trades, in exit order`),
  elapsedMs: z.number(),
  provenance: ProvenanceSchema,
});

type Input = typeof input;
type Output = typeof output;

/**
 * `run_backtest`: one backtest of a registered strategy over a stored series, computed in memory and not recorded.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { runBacktestTool } from "./run_backtest.ts";
 * assert.equal(runBacktestTool.name, "run_backtest");
 * assert.equal(runBacktestTool.input.safeParse({ strategy: "sma_cross", series: "a:B:1d", code: "x" }).success, false);
 * ```
 */
export const runBacktestTool: McpTool<Input, Output> = defineTool({
  name: "run_backtest",
  title: "Run a backtest (not recorded)",
  description: "Backtests a registered single-asset strategy with params and options given as JSON over a stored " +
    "series (optionally from/to), in memory: nothing is recorded. Returns every stat, the final equity, the first " +
    `${RUN_BACKTEST_TRADE_CAP} trades, and provenance (data range and quality, fill timing, costs, annualization, ` +
    "engine version, manifest hash). Record a run with `deno task backtest` to keep it.",
  input,
  output,
  async run(args, ctx) {
    const parsed = parseRunArgs(args.strategy, args.params, args.options);
    const t0 = performance.now();
    const { id, frame, calendar } = await loadSeries(ctx.dataDir, args.series, args.from, args.to);
    let r;
    try {
      const { runBacktest: backtest } = await backtestModule();
      r = await backtest({
        frame,
        strategy: args.strategy,
        params: parsed.params,
        options: parsed.options,
        series: id,
        calendar,
      });
    } catch (e) {
      throw new RangeError(withField(e as Error), { cause: e });
    }
    const elapsedMs = performance.now() - t0;
    const trades = r.trades;
    const capped = trades.length > RUN_BACKTEST_TRADE_CAP
      ? `trades: the first ${RUN_BACKTEST_TRADE_CAP} of ${trades.length} shown; record the run ` +
        "(deno task backtest) and page them with get_run"
      : undefined;
    const provenance = provenanceFromManifest(r.manifest, {
      note: "computed in memory, not recorded",
      ...(capped ? { capped } : {}),
    });
    const s = r.stats;
    return {
      structured: {
        strategy: args.strategy,
        params: r.manifest.params,
        stats: statRows(s),
        finalEquity: r.finalEquity,
        tradeCount: trades.length,
        trades: tradeRows(trades.slice(0, RUN_BACKTEST_TRADE_CAP)),
        elapsedMs,
        provenance,
      },
      text: `${args.strategy} ${JSON.stringify(r.manifest.params)} on ${args.series} (${provenance.from} to ` +
        `${provenance.to}, ${frame.length} bars): final equity ${r.finalEquity.toFixed(2)}, total return ` +
        `${fmt(s.total_return)}, Sharpe ${fmt(s.sharpe)}, max drawdown ${fmt(s.max_drawdown)}, ${trades.length} ` +
        `trades${
          capped ? ` (first ${RUN_BACKTEST_TRADE_CAP} listed)` : ""
        }. Fill ${r.manifest.options.fill}; not recorded.`,
    };
  },
});

function fmt(v: number | undefined): string {
  return v === undefined || !Number.isFinite(v) ? "n/a" : v.toFixed(4);
}
