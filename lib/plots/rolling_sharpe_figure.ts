import * as Plot from "@observablehq/plot";
import type { Figure, FigureOptions } from "./figure.ts";
import { COLORS, compose, dimensions, innerWidth, MARGIN_LEFT, MARGIN_RIGHT } from "./_render.ts";
import { assertSameLength, describe, drawSeries, formatNumber, lastFinite, toF64 } from "./_data.ts";

/** Input of {@link rollingSharpeFigure}. */
export interface RollingSharpeFigureInput extends FigureOptions {
  /** Bar times, epoch ms UTC, ascending. */
  ts: ArrayLike<number>;
  /** Rolling (annualized) Sharpe ratio per bar, NaN during the warm-up window. */
  values: ArrayLike<number>;
  /** The rolling window, shown in the title: a bar count (90) or a label ("90d"). */
  window: number | string;
  /**
   * The value shown as "Latest". Default: the last finite value of `values`; give it when
   * `values` are already decimated ({@link SeriesDecimator}), which may have left that bar out.
   */
  latest?: number;
}

/**
 * Rolling Sharpe ratio over time, positive stretches shaded green and negative ones red,
 * with reference lines at 0 and 1.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { rollingSharpeFigure } from "./rolling_sharpe_figure.ts";
 * const ts = [0, 1, 2, 3].map((d) => Date.UTC(2024, 0, 1 + d));
 * const fig = rollingSharpeFigure({ ts, values: [NaN, 0.5, -0.2, 1.4], window: 2 });
 * assert.equal(fig.title, "Rolling Sharpe (2 bars)");
 * ```
 */
export function rollingSharpeFigure(input: RollingSharpeFigureInput): Figure {
  const { width, height } = dimensions("rollingSharpeFigure", input);
  const ts = toF64("rollingSharpeFigure: ts", input.ts);
  const values = toF64("rollingSharpeFigure: values", input.values);
  assertSameLength("ts", ts, "values", values);
  const w = input.window;
  if (!(typeof w === "string" && w.length > 0) && !(typeof w === "number" && Number.isInteger(w) && w > 0)) {
    throw new TypeError(
      `rollingSharpeFigure: window must be a positive bar count or a label like "90d", got ${describe(w)}`,
    );
  }
  const s = drawSeries(ts, values, innerWidth(width));
  const data = { length: s.x.length };
  // Clamped copies shade the area between the line and zero by sign.
  const pos = s.y.map((v) => v > 0 ? v : v <= 0 ? 0 : NaN);
  const neg = s.y.map((v) => v < 0 ? v : v >= 0 ? 0 : NaN);
  const last = input.latest === undefined ? lastFinite(values) : -1;
  const latest = input.latest ?? (last >= 0 ? values[last]! : NaN);
  return compose({
    title: input.title ?? `Rolling Sharpe (${typeof w === "number" ? `${w} bars` : w})`,
    subtitle: `Latest ${formatNumber(latest)}`,
    width,
    panels: [{
      height,
      marginLeft: MARGIN_LEFT,
      marginRight: MARGIN_RIGHT,
      grid: true,
      x: { type: "utc", label: null },
      y: { label: "Sharpe", nice: true },
      marks: [
        Plot.areaY(data, { x: s.x, y1: 0, y2: pos, fill: COLORS.win, fillOpacity: 0.2 }),
        Plot.areaY(data, { x: s.x, y1: 0, y2: neg, fill: COLORS.loss, fillOpacity: 0.2 }),
        Plot.ruleY([1], { stroke: COLORS.muted, strokeDasharray: "4,3" }),
        Plot.ruleY([0], { stroke: "#495057" }),
        Plot.lineY(data, { x: s.x, y: s.y, stroke: COLORS.primary, strokeWidth: 1.25 }),
      ],
    }],
  });
}
