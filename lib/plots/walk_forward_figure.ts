import * as Plot from "@observablehq/plot";
import type { Figure, FigureOptions } from "./figure.ts";
import { COLORS, compose, dimensions, MARGIN_LEFT, MARGIN_RIGHT } from "./_render.ts";
import { assertFinite, describe, formatNumber } from "./_data.ts";

/** One walk-forward fold: its windows and the metric in and out of sample. */
export interface WalkForwardFold {
  /** Fold number (0 or 1 based, as the caller counts). */
  fold: number;
  /** Training (in-sample) window, epoch ms UTC. */
  trainStart: number;
  trainEnd: number;
  /** Test (out-of-sample) window, epoch ms UTC. */
  testStart: number;
  testEnd: number;
  /** Metric on the training window; NaN draws no bar. */
  inSample: number;
  /** Metric on the test window; NaN draws no bar. */
  outOfSample: number;
}

/** Input of {@link walkForwardFigure}. */
export interface WalkForwardFigureInput extends FigureOptions {
  folds: WalkForwardFold[];
  /** Name of the metric compared (for example "Sharpe"). */
  metric: string;
  /**
   * The metric of the stitched out-of-sample curve (all test windows chained), drawn as a dashed
   * line over the bars. It counts every fold, including those whose own metric is undefined.
   */
  stitched?: number;
}

const IN_COLOR = COLORS.primary;
const OUT_COLOR = COLORS.short;

/**
 * Walk-forward summary in two stacked panels: in-sample vs out-of-sample metric as paired bars
 * per fold, and a timeline of each fold's training and test windows.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { walkForwardFigure } from "./walk_forward_figure.ts";
 * const d = (day: number) => Date.UTC(2024, 0, 1 + day);
 * const fig = walkForwardFigure({
 *   metric: "Sharpe",
 *   folds: [
 *     { fold: 1, trainStart: d(0), trainEnd: d(60), testStart: d(60), testEnd: d(90), inSample: 1.5, outOfSample: 0.6 },
 *     { fold: 2, trainStart: d(30), trainEnd: d(90), testStart: d(90), testEnd: d(120), inSample: 1.2, outOfSample: -0.1 },
 *   ],
 * });
 * assert.match(fig.svg, /mean in-sample 1\.35 · mean out-of-sample 0\.25/);
 * ```
 */
export function walkForwardFigure(input: WalkForwardFigureInput): Figure {
  const { width, height } = dimensions("walkForwardFigure", input);
  const { folds, metric } = input;
  if (!Array.isArray(folds)) throw new TypeError(`walkForwardFigure: folds must be an array, got ${describe(folds)}`);
  if (typeof metric !== "string") {
    throw new TypeError(`walkForwardFigure: metric must be a string, got ${describe(metric)}`);
  }
  for (const [i, f] of folds.entries()) {
    for (const k of ["fold", "trainStart", "trainEnd", "testStart", "testEnd"] as const) {
      assertFinite(`walkForwardFigure: folds[${i}].${k}`, f?.[k]);
    }
    if (f.trainEnd < f.trainStart || f.testEnd < f.testStart) {
      throw new RangeError(`walkForwardFigure: folds[${i}] has a window that ends before it starts`);
    }
  }
  const bars = folds.flatMap((f) => [
    { fold: f.fold, kind: "In-sample", value: f.inSample },
    { fold: f.fold, kind: "Out-of-sample", value: f.outOfSample },
  ]).filter((b) => Number.isFinite(b.value));
  const mean = (xs: number[]): number => {
    const ok = xs.filter(Number.isFinite);
    return ok.length > 0 ? ok.reduce((a, b) => a + b, 0) / ok.length : NaN;
  };
  const meanIn = mean(folds.map((f) => f.inSample)), meanOut = mean(folds.map((f) => f.outOfSample));
  // A fold whose metric is undefined (no trades in the test window) is not averaged: say which.
  const leftOut = (pick: (f: WalkForwardFold) => number): string => {
    const ids = folds.filter((f) => !Number.isFinite(pick(f))).map((f) => f.fold);
    return ids.length === 0 ? "" : ` (leaves out fold${ids.length > 1 ? "s" : ""} ${ids.join(", ")}: n/a)`;
  };
  const stitched = input.stitched;
  if (stitched !== undefined && typeof stitched !== "number") {
    throw new TypeError(`walkForwardFigure: stitched must be a number, got ${describe(stitched)}`);
  }
  const foldIds = [...new Set(folds.map((f) => f.fold))].sort((a, b) => a - b);
  const color: Plot.ScaleOptions = { domain: ["In-sample", "Out-of-sample"], range: [IN_COLOR, OUT_COLOR] };
  const label = (v: number): string => `Fold ${v}`;
  const windows = folds.flatMap((f) => [
    { fold: f.fold, kind: "In-sample", start: f.trainStart, end: f.trainEnd },
    { fold: f.fold, kind: "Out-of-sample", start: f.testStart, end: f.testEnd },
  ]);
  return compose({
    title: input.title ?? `Walk-forward: ${metric} in and out of sample`,
    subtitle: `${folds.length} folds · mean in-sample ${formatNumber(meanIn)}${
      leftOut((f) => f.inSample)
    } · mean out-of-sample ${formatNumber(meanOut)}${leftOut((f) => f.outOfSample)}${
      stitched === undefined ? "" : ` · stitched out-of-sample ${formatNumber(stitched)}`
    }`,
    width,
    legend: [
      { label: "In-sample (train)", color: IN_COLOR, kind: "area" },
      { label: "Out-of-sample (test)", color: OUT_COLOR, kind: "area" },
      ...(stitched !== undefined && Number.isFinite(stitched)
        ? [{ label: "Stitched out-of-sample", color: "#212529", kind: "dashed" as const }]
        : []),
    ],
    panels: [
      {
        height,
        marginLeft: MARGIN_LEFT,
        marginRight: MARGIN_RIGHT,
        marginBottom: 24,
        grid: true,
        fx: { domain: foldIds, tickFormat: label, label: null, padding: 0.15 },
        x: { axis: null, domain: ["In-sample", "Out-of-sample"], paddingInner: 0.1 },
        y: { label: metric, nice: true },
        color,
        marks: [
          Plot.barY(bars, { fx: "fold", x: "kind", y: "value", fill: "kind" }),
          Plot.ruleY([0], { stroke: "#495057" }),
          ...(stitched !== undefined && Number.isFinite(stitched)
            ? [Plot.ruleY([stitched], { stroke: "#212529", strokeDasharray: "5,3", strokeWidth: 1.25 })]
            : []),
        ],
      },
      {
        height: Math.max(90, 44 + 18 * foldIds.length),
        marginLeft: MARGIN_LEFT,
        marginRight: MARGIN_RIGHT,
        marginTop: 10,
        grid: true,
        x: { type: "utc", label: null },
        y: { type: "band", domain: foldIds, tickFormat: label, label: null, padding: 0.25 },
        color,
        marks: [Plot.barX(windows, { x1: "start", x2: "end", y: "fold", fill: "kind", fillOpacity: 0.85 })],
      },
    ],
  });
}
