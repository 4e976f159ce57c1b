import * as Plot from "@observablehq/plot";
import type { Figure, FigureOptions } from "./figure.ts";
import { COLORS, compose, dimensions, innerWidth, type LegendEntry, MARGIN_LEFT, MARGIN_RIGHT } from "./_render.ts";
import { assertSameLength, describe, drawSeries, percentTickFormat, toF64 } from "./_data.ts";

/** One line of a {@link seriesFigure}. */
export interface SeriesLine {
  label: string;
  /** Aligned to `ts`; NaN leaves a gap. */
  values: ArrayLike<number>;
  /** CSS color; default: the series palette (blue, orange, then the overlay colors). */
  color?: string;
  dashed?: boolean;
  /** A benchmark line (buy and hold): the benchmark grey, dashed, and not counted in the palette. */
  benchmark?: boolean;
}

/** Input of {@link seriesFigure}. */
export interface SeriesFigureInput extends FigureOptions {
  /** Times, epoch ms UTC, ascending. */
  ts: ArrayLike<number>;
  lines: SeriesLine[];
  /** Line under the title (totals, latest values). */
  subtitle?: string;
  /** Y axis label. */
  yLabel?: string;
  /** Values are fractions shown as percentages. Default false. */
  percent?: boolean;
  /** Logarithmic y axis (for equity curves). Default false. */
  log?: boolean;
  /** Horizontal reference lines (0, 1, the starting capital). */
  rules?: number[];
}

const PALETTE = [COLORS.primary, COLORS.short, ...COLORS.overlays];

/**
 * Several lines over one UTC time axis: rolling beta, exposure over time, two runs' equity.
 * Lines are decimated for drawing (M4), like every time-series figure here.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { seriesFigure } from "./series_figure.ts";
 * const ts = [0, 1, 2].map((d) => Date.UTC(2024, 0, 1 + d));
 * const fig = seriesFigure({ ts, lines: [{ label: "Beta", values: [NaN, 0.8, 1.1] }], rules: [1], title: "Beta" });
 * assert.match(fig.svg, /Beta/);
 * ```
 */
export function seriesFigure(input: SeriesFigureInput): Figure {
  const { width, height } = dimensions("seriesFigure", input);
  const ts = toF64("seriesFigure: ts", input.ts);
  if (!Array.isArray(input.lines)) {
    throw new TypeError(`seriesFigure: lines must be an array, got ${describe(input.lines)}`);
  }
  const buckets = innerWidth(width);
  const marks: Plot.Markish[] = [];
  const legend: LegendEntry[] = [];
  let lo = Infinity, hi = -Infinity;
  for (const r of input.rules ?? []) {
    marks.push(Plot.ruleY([r], { stroke: r === 0 ? "#495057" : COLORS.muted, strokeDasharray: r === 0 ? "" : "3,3" }));
  }
  let next = 0;
  input.lines.forEach((line, k) => {
    if (typeof line?.label !== "string") throw new TypeError(`seriesFigure: lines[${k}].label must be a string`);
    const values = toF64(`seriesFigure: lines[${k}].values`, line.values);
    assertSameLength("ts", ts, `lines[${k}] (${line.label})`, values);
    const color = line.color ?? (line.benchmark ? COLORS.benchmark : PALETTE[next++ % PALETTE.length]!);
    const dashed = line.dashed ?? line.benchmark ?? false;
    const s = drawSeries(ts, values, buckets);
    for (const v of s.y) {
      if (v < lo) lo = v;
      if (v > hi) hi = v;
    }
    marks.push(
      Plot.lineY({ length: s.x.length }, {
        x: s.x,
        y: s.y,
        stroke: color,
        strokeWidth: 1.5,
        ...(dashed ? { strokeDasharray: "5,3" } : {}),
      }),
    );
    legend.push({ label: line.label, color, kind: dashed ? "dashed" : "line" });
  });
  const percent = input.percent ?? false;
  return compose({
    title: input.title ?? "Series",
    ...(input.subtitle ? { subtitle: input.subtitle } : {}),
    width,
    legend,
    panels: [{
      height,
      marginLeft: MARGIN_LEFT,
      marginRight: MARGIN_RIGHT,
      grid: true,
      x: { type: "utc", label: null },
      y: {
        type: input.log ? "log" : "linear",
        label: input.yLabel ?? null,
        nice: !input.log,
        ...(percent ? { tickFormat: percentTickFormat(hi - lo) } : {}),
      },
      marks,
    }],
  });
}
