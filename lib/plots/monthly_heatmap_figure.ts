import * as Plot from "@observablehq/plot";
import type { Figure, FigureOptions } from "./figure.ts";
import { compose, dimensions } from "./_render.ts";
import { describe, formatPercent } from "./_data.ts";

/** One month's return. */
export interface MonthlyReturn {
  year: number;
  /** 1 (January) to 12 (December). */
  month: number;
  /** Return over the month as a fraction (0.05 is +5%); NaN shows an empty grey cell. */
  value: number;
}

/** Input of {@link monthlyHeatmapFigure}. */
export interface MonthlyHeatmapFigureInput extends Omit<FigureOptions, "height"> {
  rows: MonthlyReturn[];
  /** Height of one year's row in pixels. Default 28. */
  rowHeight?: number;
}

const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

/**
 * Monthly returns as a years × months grid, colored on a diverging red-yellow-green scale
 * centred on zero (symmetric, so equal gains and losses get equal intensity), each cell
 * labelled with its percentage. Years run top to bottom; months with no row stay blank.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { monthlyHeatmapFigure } from "./monthly_heatmap_figure.ts";
 * const fig = monthlyHeatmapFigure({
 *   rows: [{ year: 2024, month: 1, value: 0.05 }, { year: 2024, month: 2, value: -0.02 }],
 * });
 * assert.match(fig.svg, /\+5\.0%/);
 * assert.match(fig.svg, /−2\.0%/);
 * ```
 */
export function monthlyHeatmapFigure(input: MonthlyHeatmapFigureInput): Figure {
  const { width } = dimensions("monthlyHeatmapFigure", input);
  const rowHeight = input.rowHeight ?? 28;
  if (!Number.isFinite(rowHeight) || rowHeight < 10) {
    throw new RangeError(`monthlyHeatmapFigure: rowHeight must be at least 10 px, got ${rowHeight}`);
  }
  if (!Array.isArray(input.rows)) {
    throw new TypeError(`monthlyHeatmapFigure: rows must be an array, got ${describe(input.rows)}`);
  }
  const seen = new Set<string>();
  let maxAbs = 0;
  for (const [i, r] of input.rows.entries()) {
    if (!Number.isInteger(r?.year)) {
      throw new RangeError(`monthlyHeatmapFigure: rows[${i}].year must be an integer, got ${describe(r?.year)}`);
    }
    if (!Number.isInteger(r.month) || r.month < 1 || r.month > 12) {
      throw new RangeError(`monthlyHeatmapFigure: rows[${i}].month must be 1 to 12, got ${describe(r.month)}`);
    }
    if (typeof r.value !== "number") {
      throw new TypeError(`monthlyHeatmapFigure: rows[${i}].value must be a number, got ${describe(r.value)}`);
    }
    const key = `${r.year}-${r.month}`;
    if (seen.has(key)) {
      throw new RangeError(
        `monthlyHeatmapFigure: two rows for ${r.year}-${String(r.month).padStart(2, "0")}; pass one per month`,
      );
    }
    seen.add(key);
    if (Number.isFinite(r.value)) maxAbs = Math.max(maxAbs, Math.abs(r.value));
  }
  const years = [...new Set(input.rows.map((r) => r.year))].sort((a, b) => a - b);
  const finite = input.rows.filter((r) => Number.isFinite(r.value));
  const missing = input.rows.filter((r) => !Number.isFinite(r.value));
  const extent = maxAbs > 0 ? maxAbs : 0.01;
  const color: Plot.ScaleOptions = {
    type: "diverging",
    scheme: "RdYlGn",
    pivot: 0,
    symmetric: true,
    domain: [-extent, extent],
  };
  // Dark text on the pale middle of the scale, white on the saturated ends.
  const ink = (r: MonthlyReturn): string => Math.abs(r.value) > 0.6 * extent ? "white" : "#212529";
  const marginTop = 28, marginBottom = 8;
  return compose({
    title: input.title ?? "Monthly returns",
    subtitle: years.length > 0 ? `${years[0]}–${years.at(-1)} · ${finite.length} months` : "No data",
    width,
    ramp: { label: "Monthly return", color, domain: [-extent, extent], tickFormat: (v) => formatPercent(v, 0) },
    panels: [{
      height: marginTop + marginBottom + rowHeight * Math.max(1, years.length),
      marginTop,
      marginBottom,
      marginLeft: 56,
      marginRight: 12,
      padding: 0.04,
      x: {
        type: "band",
        domain: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12],
        axis: "top",
        tickFormat: (m: number) => MONTHS[m - 1],
        label: null,
        tickSize: 0,
      },
      y: { type: "band", domain: years, label: null, tickFormat: (y: number) => String(y), tickSize: 0 },
      color,
      marks: [
        Plot.cell(missing, { x: "month", y: "year", fill: "#e9ecef" }),
        Plot.cell(finite, { x: "month", y: "year", fill: "value" }),
        Plot.text(finite, {
          x: "month",
          y: "year",
          text: (r: MonthlyReturn) => formatPercent(r.value, 1, true),
          fill: ink,
          fontSize: 10.5,
          fontVariant: "tabular-nums",
        }),
      ],
    }],
  });
}
