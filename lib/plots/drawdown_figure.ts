import * as Plot from "@observablehq/plot";
import type { Figure, FigureOptions } from "./figure.ts";
import { COLORS, compose, dimensions, innerWidth, MARGIN_LEFT, MARGIN_RIGHT } from "./_render.ts";
import {
  assertSameLength,
  type DrawSeries,
  drawSeries,
  formatDate,
  formatPercent,
  percentTickFormat,
  toF64,
} from "./_data.ts";
import { SeriesDecimator } from "./series_decimator.ts";

/** Input of {@link drawdownFigure}. */
export interface DrawdownFigureInput extends FigureOptions {
  /** Bar times, epoch ms UTC, ascending. */
  ts: ArrayLike<number>;
  /**
   * Drawdown per bar as a negative fraction of the running peak (-0.25 is 25% below the
   * peak, 0 at a new high), aligned to `ts`. NaN leaves a gap. Positive values are rejected.
   */
  drawdown?: ArrayLike<number>;
  /**
   * Instead of `drawdown`: the equity curve, whose drawdown (`equity / running peak - 1`, NaN
   * until a positive peak) is computed on the fly and drawn, never stored (8 MB fewer at 1M bars).
   */
  equity?: ArrayLike<number>;
}

/**
 * Underwater chart: the drawdown as a red area below zero, with the maximum drawdown marked
 * and labelled with its depth and date. The maximum is found on the full series; only the
 * drawing is decimated.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { drawdownFigure } from "./drawdown_figure.ts";
 * const ts = [0, 1, 2, 3, 4].map((d) => Date.UTC(2024, 0, 1 + d));
 * const fig = drawdownFigure({ ts, drawdown: [0, -0.1, -0.25, -0.05, 0] });
 * assert.match(fig.svg, /Max drawdown −25\.0% on 2024-01-03/);
 * ```
 */
export function drawdownFigure(input: DrawdownFigureInput): Figure {
  const { width, height } = dimensions("drawdownFigure", input);
  const ts = toF64("drawdownFigure: ts", input.ts);
  let worst = 0, at = -1;
  let s: DrawSeries;
  if (input.drawdown === undefined && input.equity !== undefined) {
    const equity = toF64("drawdownFigure: equity", input.equity);
    assertSameLength("ts", ts, "equity", equity);
    const line = new SeriesDecimator(ts, width);
    let peak = -Infinity;
    for (let i = 0; i < equity.length; i++) {
      const e = equity[i]!;
      if (e > peak) peak = e;
      const v = peak > 0 ? e / peak - 1 : NaN;
      if (v < worst) {
        worst = v;
        at = i;
      }
      line.push(v);
    }
    s = line.finish();
  } else {
    const dd = toF64("drawdownFigure: drawdown", input.drawdown);
    assertSameLength("ts", ts, "drawdown", dd);
    for (let i = 0; i < dd.length; i++) {
      const v = dd[i]!;
      if (v > 1e-12) {
        throw new RangeError(
          `drawdownFigure: drawdown must be <= 0 (a negative fraction below the peak), got ${v} at index ${i}; ` +
            "if you have drawdown magnitudes, pass their negatives",
        );
      }
      if (v < worst) {
        worst = v;
        at = i;
      }
    }
    s = drawSeries(ts, dd, innerWidth(width));
  }
  const marks: Plot.Markish[] = [
    Plot.areaY({ length: s.x.length }, { x: s.x, y1: 0, y2: s.y, fill: COLORS.loss, fillOpacity: 0.3 }),
    Plot.lineY({ length: s.x.length }, { x: s.x, y: s.y, stroke: COLORS.loss, strokeWidth: 1 }),
    Plot.ruleY([0], { stroke: "#495057" }),
  ];
  let subtitle = "No drawdown";
  if (at >= 0) {
    const label = `Max drawdown ${formatPercent(worst)} on ${formatDate(ts[at]!)} UTC`;
    subtitle = label;
    // Put the label on the side with room: left of the point when it is in the right half.
    const rightHalf = ts.length > 1 && ts[at]! > (ts[0]! + ts[ts.length - 1]!) / 2;
    const point = [{ x: ts[at]!, y: worst, label }];
    marks.push(
      Plot.dot(point, { x: "x", y: "y", r: 4, fill: "#212529", stroke: "white" }),
      Plot.text(point, {
        x: "x",
        y: "y",
        text: "label",
        dx: rightHalf ? -8 : 8,
        textAnchor: rightHalf ? "end" : "start",
        fontSize: 11,
        fontWeight: 600,
        stroke: "white",
        strokeWidth: 3,
        fill: "#212529",
      }),
    );
  }
  const lo = Math.min(worst, -0.01) * 1.1;
  return compose({
    title: input.title ?? "Drawdown",
    subtitle,
    width,
    panels: [{
      height,
      marginLeft: MARGIN_LEFT,
      marginRight: MARGIN_RIGHT,
      grid: true,
      x: { type: "utc", label: null },
      y: { domain: [lo, 0], label: "Drawdown", tickFormat: percentTickFormat(-lo) },
      marks,
    }],
  });
}
