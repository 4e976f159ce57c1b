import * as Plot from "@observablehq/plot";
import type { Figure, FigureOptions } from "./figure.ts";
import { COLORS, compose, dimensions, type LegendEntry, MARGIN_LEFT, MARGIN_RIGHT } from "./_render.ts";
import { describe } from "./_data.ts";

/** One bin of a reliability diagram (the learning report's `ReliabilityBin` fits). */
export interface ReliabilityFigureBin {
  count: number;
  /** Mean predicted probability of the bin; NaN (an empty bin) is skipped. */
  meanPredicted: number;
  /** Observed frequency of the event in the bin; NaN is skipped. */
  observedFrequency: number;
}

/** One forecaster's curve. */
export interface ReliabilitySeries {
  label: string;
  bins: readonly ReliabilityFigureBin[];
  color?: string;
}

/** Input of {@link reliabilityFigure}. */
export interface ReliabilityFigureInput extends FigureOptions {
  series: readonly ReliabilitySeries[];
  /** Line under the title; default the forecasts counted. A model-knowledge warning goes here. */
  subtitle?: string;
}

const PALETTE = [COLORS.primary, COLORS.short, ...COLORS.overlays];

/**
 * Reliability diagram (calibration curve): per forecaster, each bin's mean predicted probability against the
 * observed frequency, on the unit square with the diagonal of perfect calibration. Points above the diagonal
 * are under-confident, below over-confident. Empty bins are skipped; the plot is square-ish at the given height.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { reliabilityFigure } from "./reliability_figure.ts";
 * const fig = reliabilityFigure({
 *   series: [{ label: "trend_follower", bins: [
 *     { count: 4, meanPredicted: 0.3, observedFrequency: 0.25 },
 *     { count: 0, meanPredicted: NaN, observedFrequency: NaN },
 *     { count: 6, meanPredicted: 0.8, observedFrequency: 0.5 },
 *   ] }],
 * });
 * assert.match(fig.svg, /n = 10/);
 * ```
 */
export function reliabilityFigure(input: ReliabilityFigureInput): Figure {
  const { width, height } = dimensions("reliabilityFigure", input);
  if (!Array.isArray(input.series)) {
    throw new TypeError(`reliabilityFigure: series must be an array, got ${describe(input.series)}`);
  }
  const marks: Plot.Markish[] = [
    Plot.line([[0, 0], [1, 1]], { stroke: COLORS.muted, strokeDasharray: "4,3" }),
  ];
  const legend: LegendEntry[] = [{ label: "Perfectly calibrated", color: COLORS.muted, kind: "dashed" }];
  let total = 0;
  input.series.forEach((s, k) => {
    if (typeof s?.label !== "string" || !Array.isArray(s.bins)) {
      throw new TypeError(`reliabilityFigure: series[${k}] must be { label: string, bins: [...] }`);
    }
    const color = s.color ?? PALETTE[k % PALETTE.length]!;
    const points = s.bins.filter((b: ReliabilityFigureBin) =>
      b.count > 0 && Number.isFinite(b.meanPredicted) &&
      Number.isFinite(b.observedFrequency)
    );
    for (const b of points) total += b.count;
    marks.push(
      Plot.line(points, { x: "meanPredicted", y: "observedFrequency", stroke: color, strokeWidth: 1.5 }),
      Plot.dot(points, {
        x: "meanPredicted",
        y: "observedFrequency",
        fill: color,
        r: 3.5,
        title: (b: ReliabilityFigureBin) =>
          `${s.label}: predicted ${b.meanPredicted.toFixed(3)}, observed ${
            b.observedFrequency.toFixed(3)
          }, n = ${b.count}`,
      }),
    );
    legend.push({ label: s.label, color, kind: "line" });
  });
  return compose({
    title: input.title ?? "Reliability of the decisions",
    subtitle: input.subtitle ?? `n = ${total.toLocaleString("en-US")} forecasts · probability of an up move`,
    width,
    legend,
    panels: [{
      height,
      marginLeft: MARGIN_LEFT,
      marginRight: MARGIN_RIGHT,
      grid: true,
      x: { domain: [0, 1], label: "Predicted probability" },
      y: { domain: [0, 1], label: "Observed frequency" },
      marks,
    }],
  });
}
