import * as Plot from "@observablehq/plot";
import type { Figure, FigureOptions } from "./figure.ts";
import { compose, dimensions } from "./_render.ts";
import { describe, fixedFormat } from "./_data.ts";

/** Input of {@link sweepHeatmapFigure}. */
export interface SweepHeatmapFigureInput extends Omit<FigureOptions, "height"> {
  /** One row per parameter combination: parameter values and metrics by name. */
  rows: Record<string, number>[];
  /** Parameter on the horizontal axis. */
  x: string;
  /** Parameter on the vertical axis. */
  y: string;
  /** Metric that colors the cells. */
  metric: string;
  /** Whether higher (`"max"`, default) or lower (`"min"`, e.g. drawdown magnitude) is better. */
  best?: "max" | "min";
  /**
   * When other parameters also vary, several rows share a cell: `"best"` (default) shows the
   * best of them (the other parameters optimized out), `"mean"` their average.
   */
  reduce?: "best" | "mean";
  /** Names of the other varying parameters, for the caption of what a cell aggregates. */
  others?: string[];
  /**
   * Center of the diverging color scale (red below, green above, symmetric). Default 0, so a
   * Sharpe or a return reads the same on every sweep; `null` for a sequential scale (metrics
   * without a meaningful center, such as final equity).
   */
  pivot?: number | null;
  /** Height of the plot area. Default: 300, or more when there are many y values. */
  height?: number;
}

/** One drawn cell. */
interface Cell {
  x: number;
  y: number;
  value: number;
}

/**
 * Parameter sweep heatmap: two parameters on the axes, cells colored by a metric (a diverging
 * scale centred on `pivot`, 0 by default, or sequential with `pivot: null`), values written in
 * the cells when they fit, and the best cell outlined. When more parameters vary, the subtitle
 * says what a cell shows ("best over stop for each (fast, slow)").
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { sweepHeatmapFigure } from "./sweep_heatmap_figure.ts";
 * const rows = [
 *   { fast: 5, slow: 20, sharpe: 0.4 },
 *   { fast: 5, slow: 50, sharpe: 1.1 },
 *   { fast: 10, slow: 20, sharpe: -0.2 },
 *   { fast: 10, slow: 50, sharpe: 0.7 },
 * ];
 * const fig = sweepHeatmapFigure({ rows, x: "fast", y: "slow", metric: "sharpe" });
 * assert.match(fig.svg, /Best sharpe 1\.10 at fast = 5, slow = 50/);
 * ```
 */
export function sweepHeatmapFigure(input: SweepHeatmapFigureInput): Figure {
  const { width } = dimensions("sweepHeatmapFigure", { ...input, height: input.height ?? 300 });
  const { rows, x, y, metric } = input;
  const best = input.best ?? "max";
  const reduce = input.reduce ?? "best";
  if (best !== "max" && best !== "min") {
    throw new TypeError(`sweepHeatmapFigure: best must be "max" or "min", got ${describe(best)}`);
  }
  if (reduce !== "best" && reduce !== "mean") {
    throw new TypeError(`sweepHeatmapFigure: reduce must be "best" or "mean", got ${describe(reduce)}`);
  }
  if (!Array.isArray(rows)) throw new TypeError(`sweepHeatmapFigure: rows must be an array, got ${describe(rows)}`);
  for (const key of [x, y, metric]) {
    if (rows.length > 0 && !(key in rows[0]!)) {
      throw new TypeError(
        `sweepHeatmapFigure: rows have no field ${JSON.stringify(key)}; fields are ${Object.keys(rows[0]!).join(", ")}`,
      );
    }
  }
  const better = (a: number, b: number): boolean => best === "max" ? a > b : a < b;
  const groups = new Map<string, { x: number; y: number; values: number[] }>();
  for (const [i, r] of rows.entries()) {
    const xv = r[x], yv = r[y], mv = r[metric];
    if (typeof xv !== "number" || typeof yv !== "number" || typeof mv !== "number") {
      throw new TypeError(
        `sweepHeatmapFigure: rows[${i}] needs numeric ${x}, ${y} and ${metric}, got ${JSON.stringify(r)}`,
      );
    }
    const key = `${xv}|${yv}`;
    let g = groups.get(key);
    if (!g) groups.set(key, g = { x: xv, y: yv, values: [] });
    if (Number.isFinite(mv)) g.values.push(mv);
  }
  // Several rows per cell: other parameters vary, and the caption says how a cell sums them up.
  const shared = [...groups.values()].some((g) => g.values.length > 1);
  const others = input.others && input.others.length > 0 ? input.others.join(" and ") : "the other parameters";
  const cells: Cell[] = [...groups.values()].map((g) => ({
    x: g.x,
    y: g.y,
    value: g.values.length === 0
      ? NaN
      : reduce === "mean"
      ? g.values.reduce((a, b) => a + b, 0) / g.values.length
      : g.values.reduce((a, b) => better(b, a) ? b : a),
  }));
  const xs = [...new Set(cells.map((c) => c.x))].sort((a, b) => a - b);
  const ys = [...new Set(cells.map((c) => c.y))].sort((a, b) => a - b);
  const finite = cells.filter((c) => Number.isFinite(c.value));
  const empty = cells.filter((c) => !Number.isFinite(c.value));
  let top: Cell | undefined;
  for (const c of finite) if (!top || better(c.value, top.value)) top = c;
  const lo = Math.min(...finite.map((c) => c.value)), hi = Math.max(...finite.map((c) => c.value));
  const pivot = input.pivot === undefined ? 0 : input.pivot;
  if (pivot !== null && !Number.isFinite(pivot)) {
    throw new TypeError(`sweepHeatmapFigure: pivot must be a finite number or null, got ${describe(pivot)}`);
  }
  const diverging = pivot !== null;
  const dev = diverging ? Math.max(Math.abs(lo - pivot), Math.abs(hi - pivot)) || 1 : 0;
  const domain: [number, number] = finite.length === 0
    ? [0, 1]
    : diverging
    ? [pivot - dev, pivot + dev]
    : lo === hi
    ? [lo - 1, hi + 1]
    : [lo, hi];
  const color: Plot.ScaleOptions = diverging
    ? { type: "diverging", scheme: "RdYlGn", pivot, symmetric: true, domain, reverse: best === "min" }
    : { type: "linear", scheme: "viridis", domain, reverse: best === "min" };
  const rowHeight = Math.max(14, Math.min(32, 600 / Math.max(1, ys.length)));
  const height = input.height ?? Math.max(160, Math.min(640, 40 + rowHeight * ys.length));
  const showText = cells.length <= 400;
  // Luminance of viridis rises with the value, of RdYlGn peaks in the middle: pick readable ink.
  const maxAbs = Math.max(Math.abs(domain[0]), Math.abs(domain[1]));
  const format = fixedFormat(maxAbs);
  const ink = (c: Cell): string => {
    // Position on the color ramp; the diverging scale is symmetric about zero.
    const t = diverging ? 0.5 + (c.value - pivot) / (2 * dev) : (c.value - domain[0]) / (domain[1] - domain[0] || 1);
    const dark = diverging ? Math.abs(t - 0.5) > 0.32 : (best === "min" ? 1 - t : t) < 0.55;
    return dark ? "white" : "#212529";
  };
  const marks: Plot.Markish[] = [
    Plot.cell(empty, { x: "x", y: "y", fill: "#e9ecef" }),
    Plot.cell(finite, { x: "x", y: "y", fill: "value" }),
  ];
  if (showText) {
    marks.push(Plot.text(finite, { x: "x", y: "y", text: (c: Cell) => format(c.value), fill: ink, fontSize: 10 }));
  }
  if (top) marks.push(Plot.cell([top], { x: "x", y: "y", fill: "none", stroke: "#000", strokeWidth: 2.5, inset: 1 }));
  const subtitle = top
    ? `Best ${metric} ${format(top.value)} at ${x} = ${top.x}, ${y} = ${top.y}` +
      (shared ? ` (${reduce} over ${others} for each (${x}, ${y}))` : "")
    : "No finite values";
  return compose({
    title: input.title ?? `Sweep: ${metric} by ${x} and ${y}`,
    subtitle,
    width,
    ramp: { label: metric, color, domain, tickFormat: format },
    panels: [{
      height,
      marginLeft: 64,
      marginRight: 12,
      marginBottom: 40,
      padding: 0.03,
      x: { type: "band", domain: xs, label: `${x} →`, labelAnchor: "center", tickFormat: String },
      y: { type: "band", domain: ys, reverse: true, label: `↑ ${y}`, tickFormat: String },
      color,
      marks,
    }],
  });
}
