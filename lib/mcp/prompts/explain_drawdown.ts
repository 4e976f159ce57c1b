import { drawdownPeriods } from "../../metrics/drawdown_periods.ts";
import { openRuns } from "../tools/_research.ts";
import { GET_RUN_MAX_TRADES } from "../tools/get_run.ts";
import { runResource } from "../resources/run_resource.ts";
import { runTradesResource } from "../resources/run_trades_resource.ts";
import { callRecorder, type McpPrompt } from "./_prompt.ts";
import { runArg, runIdArg } from "./_runs.ts";

/** Drawdowns the prompt lists (the worst is explained, the others set it in context). */
export const EXPLAIN_DRAWDOWN_TOP = 3;

/** Bars of the period above which the prompt asks for the candles resampled (daily, or weekly for daily bars). */
export const EXPLAIN_DRAWDOWN_MAX_BARS = 500;

/** `get_candles` arguments covering the period: the bars themselves, or resampled when there are many. */
function candlesArgs(series: string, window: { from: string; to: string }, bars: number): Record<string, unknown> {
  if (bars <= EXPLAIN_DRAWDOWN_MAX_BARS) return { series, ...window, limit: bars };
  const tf = series.slice(series.lastIndexOf(":") + 1);
  const coarser = /^\d+[smh]$/.test(tf) ? "1d" : /^\d+d$/.test(tf) ? "1w" : "1M";
  return { series, ...window, timeframe: coarser, limit: 5_000 };
}

const iso = (ms: number): string => new Date(ms).toISOString();
const pct = (x: number): string => `${(x * 100).toFixed(2)}%`;

/**
 * `explain_drawdown`: finds a recorded run's worst drawdown on its equity curve (peak, valley, recovery), then walks a
 * model through `get_run`, the drawdown and price plots, the trades inside the period (the page of `get_run` that
 * holds them) and the bars of the market over it (`get_candles`), and says what to explain.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { explainDrawdownPrompt } from "./explain_drawdown.ts";
 * assert.equal(explainDrawdownPrompt.name, "explain_drawdown");
 * ```
 */
export const explainDrawdownPrompt: McpPrompt = {
  name: "explain_drawdown",
  title: "Explain a run's worst drawdown",
  description: "Explains the worst drawdown of a recorded run: when it started, bottomed and recovered, the trades " +
    "in it, and what the market did meanwhile.",
  args(ctx) {
    return { run: runIdArg(ctx, "A recorded backtest run's id") };
  },
  async build(args, ctx) {
    await using runs = await openRuns(ctx.dataDir);
    const rec = await runArg(runs, "run", args.run);
    if (!rec.files.includes("equity.parquet")) {
      throw new RangeError(
        `run: ${rec.id} is a ${rec.kind} run with no equity curve; pass a single backtest run (list_runs with kind=single)`,
      );
    }
    const eq = await runs.equity(rec.id);
    const equity = eq.columns.equity;
    if (!equity) throw new RangeError(`run: ${rec.id} has no equity column in its curve; pass a backtest run`);
    const periods = drawdownPeriods(equity, eq.ts, { top: EXPLAIN_DRAWDOWN_TOP });
    const series = rec.series[0];
    const { calls, c } = callRecorder();
    const head = `Explain the worst drawdown of the recorded run ${rec.id} (${rec.kind} of ${rec.strategy} ` +
      `${JSON.stringify(rec.params)} on ${rec.series.join(", ")}). Every tool here is read-only.`;
    const links = [
      { uri: runResource.uri(rec.id), name: `run ${rec.id}`, mimeType: "application/json" },
      { uri: runTradesResource.uri(rec.id), name: `run ${rec.id} trades`, mimeType: "text/csv" },
    ];
    const worst = periods[0];
    if (worst === undefined) {
      const text = [
        head,
        `Its equity curve never falls below a previous peak: there is no drawdown to explain.`,
        `Check it with ${c("get_run", { id: rec.id, limit: 0 })} (max_drawdown should be 0) and ` +
        `${c("plot", { kind: "equity", run: rec.id })}, then say whether it traded at all (trade count, exposure).`,
      ].join("\n");
      return { description: `Run ${rec.id} has no drawdown`, text, calls, links };
    }
    const recovered = Number.isFinite(worst.recovery);
    const end = recovered ? worst.recovery : eq.ts[eq.length - 1]!;
    const trades = await runs.trades(rec.id);
    let first = trades.findIndex((t) => t.exitTs >= worst.start);
    if (first < 0) first = trades.length;
    let inside = 0;
    for (let i = first; i < trades.length && trades[i]!.entryTs <= end; i++) inside++;
    const others = periods.slice(1).map((p) =>
      `${pct(p.depth)} from ${iso(p.start)} to ${Number.isFinite(p.recovery) ? iso(p.recovery) : "the end"}`
    );
    const bars = worst.length + 1;
    const window = { from: iso(worst.start), to: iso(end) };
    const text = [
      head,
      `Its equity curve's worst drawdown: ${pct(worst.depth)} from the peak at ${iso(worst.start)} to the valley at ` +
      `${iso(worst.valley)}, ${
        recovered ? `recovered at ${iso(worst.recovery)}` : "not recovered by the end of the run"
      } (${worst.length} bars, ${worst.days.toFixed(1)} days).` +
      (others.length ? ` The next ones: ${others.join("; ")}.` : ""),
      "",
      `1. ${c("get_run", { id: rec.id, limit: 0 })}: the stats (max_drawdown, max_drawdown_duration, ` +
      `ulcer_index) and the manifest: fill timing, costs, stop options, data quality over the period.`,
      `2. ${c("plot", { kind: "drawdown", run: rec.id })}: the underwater curve; check the worst period is the ` +
      `one above.`,
      `3. The trades in it: ${inside} trade(s) were open during the drawdown. ${
        c("get_run", {
          id: rec.id,
          offset: first,
          limit: Math.min(GET_RUN_MAX_TRADES, Math.max(1, inside)),
        })
      } lists them${inside > GET_RUN_MAX_TRADES ? ` (the first ${GET_RUN_MAX_TRADES}; page on with offset)` : ""}. ` +
      `Which lost the most, how big were they, how did they exit (signal, stop, end of data), and was a position ` +
      `held through the whole fall?`,
      ...(series !== undefined
        ? [
          `4. The market meanwhile: ${c("get_candles", candlesArgs(series, window, bars))} (to is exclusive${
            bars > EXPLAIN_DRAWDOWN_MAX_BARS ? "; resampled, so the whole period fits one answer" : ""
          }) and ${c("plot", { kind: "price", run: rec.id, ...window })} with the trades marked. ` +
          `How far did ${series} move from the peak to the valley and to the end of the period, and how did buy ` +
          `and hold fare over it?`,
        ]
        : []),
      "5. Explain: was the drawdown one bad trade, a string of small losses (whipsaw), or a position riding a market " +
      "fall? Was the depth a property of the strategy (exposure, no stop) or of the period (a crash, a gap in the " +
      "data)? Compare it with the other drawdowns listed above. Give the dates, the depth, the trades responsible " +
      "with their PnL, the market's move, and one change worth testing (e.g. a stopLoss or trailingStop option in " +
      "run_backtest), without claiming it would have helped until it is tested.",
    ].join("\n");
    return { description: `The worst drawdown of run ${rec.id}: ${pct(worst.depth)}`, text, calls, links };
  },
};
