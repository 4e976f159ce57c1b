import * as Plot from "@observablehq/plot";
import type { Figure, FigureOptions } from "./figure.ts";
import { COLORS, compose, dimensions, innerWidth, type LegendEntry, MARGIN_LEFT, MARGIN_RIGHT } from "./_render.ts";
import { assertSameLength, drawSeries, firstFinite, formatDate, formatPercent, lastFinite, toF64 } from "./_data.ts";

/** Input of {@link equityFigure}. */
export interface EquityFigureInput extends FigureOptions {
  /** Bar times, epoch ms UTC, ascending. */
  ts: ArrayLike<number>;
  /** Account equity per bar (quote currency), aligned to `ts`. NaN leaves a gap. */
  equity: ArrayLike<number>;
  /** Optional benchmark equity (for example buy and hold), aligned to `ts`. */
  benchmark?: ArrayLike<number>;
  /**
   * Scale the benchmark so its first finite value equals the strategy's first finite equity,
   * so both start at the same capital. Default true; set false when it already does.
   */
  rebaseBenchmark?: boolean;
  /** Logarithmic y axis (for long, compounding runs). Default false. */
  log?: boolean;
  /** Legend label of the strategy line. Default "Strategy". */
  label?: string;
  /** Legend label of the benchmark line. Default "Benchmark". */
  benchmarkLabel?: string;
}

/**
 * Equity curve, with an optional benchmark line, on a UTC time axis. Long series are decimated
 * for drawing (M4, about 4 points per pixel column), so a million bars render quickly and keep
 * every peak and trough. The subtitle gives total returns and the date range.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { equityFigure } from "./equity_figure.ts";
 * const ts = [0, 1, 2, 3].map((d) => Date.UTC(2024, 0, 1 + d));
 * const fig = equityFigure({ ts, equity: [100, 104, 101, 110], benchmark: [50, 51, 52, 53] });
 * assert.match(fig.svg, /^<svg xmlns="http:\/\/www.w3.org\/2000\/svg"/);
 * assert.match(fig.svg, /Total return \+10\.0%/);
 * ```
 */
export function equityFigure(input: EquityFigureInput): Figure {
  const { width, height } = dimensions("equityFigure", input);
  const ts = toF64("equityFigure: ts", input.ts);
  const equity = toF64("equityFigure: equity", input.equity);
  assertSameLength("ts", ts, "equity", equity);
  const buckets = innerWidth(width);
  const log = input.log ?? false;
  const label = input.label ?? "Strategy";
  const e0 = firstFinite(equity), e1 = lastFinite(equity);
  const startValue = e0 >= 0 ? equity[e0]! : NaN;
  const totalReturn = e0 >= 0 ? equity[e1]! / startValue - 1 : NaN;

  const marks: Plot.Markish[] = [];
  const legend: LegendEntry[] = [{ label, color: COLORS.primary, kind: "line" }];
  let subtitle = `Total return ${formatPercent(totalReturn, 1, true)}`;
  if (input.benchmark !== undefined) {
    let bench = toF64("equityFigure: benchmark", input.benchmark);
    assertSameLength("ts", ts, "benchmark", bench);
    const b0 = firstFinite(bench), b1 = lastFinite(bench);
    const k = b0 >= 0 ? startValue / bench[b0]! : NaN;
    // k = 1 (a backtest's benchmark starts at its cash) leaves every value as it is: no 8 MB copy at 1M bars.
    if ((input.rebaseBenchmark ?? true) && b0 >= 0 && Number.isFinite(startValue) && bench[b0] !== 0 && k !== 1) {
      const scaled = new Float64Array(bench.length);
      for (let i = 0; i < bench.length; i++) scaled[i] = bench[i]! * k;
      bench = scaled;
    }
    const benchReturn = b0 >= 0 ? bench[b1]! / bench[b0]! - 1 : NaN;
    subtitle += ` (benchmark ${formatPercent(benchReturn, 1, true)})`;
    const b = drawSeries(ts, bench, buckets);
    marks.push(Plot.lineY({ length: b.x.length }, { x: b.x, y: b.y, stroke: COLORS.benchmark, strokeWidth: 1.25 }));
    legend.push({ label: input.benchmarkLabel ?? "Benchmark", color: COLORS.benchmark, kind: "line" });
  }
  if (ts.length > 0) subtitle += ` · ${formatDate(ts[0]!)} → ${formatDate(ts[ts.length - 1]!)} UTC`;
  if (Number.isFinite(startValue)) {
    marks.unshift(Plot.ruleY([startValue], { stroke: COLORS.muted, strokeDasharray: "3,3", strokeOpacity: 0.8 }));
  }
  const s = drawSeries(ts, equity, buckets);
  marks.push(Plot.lineY({ length: s.x.length }, { x: s.x, y: s.y, stroke: COLORS.primary, strokeWidth: 1.5 }));

  return compose({
    title: input.title ?? "Equity",
    subtitle,
    width,
    legend,
    panels: [{
      height,
      marginLeft: MARGIN_LEFT,
      marginRight: MARGIN_RIGHT,
      grid: true,
      x: { type: "utc", label: null },
      y: { type: log ? "log" : "linear", label: log ? "Equity (log)" : "Equity", nice: !log, ticks: log ? 6 : 8 },
      marks,
    }],
  });
}
