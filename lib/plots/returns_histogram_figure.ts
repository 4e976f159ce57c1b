import * as Plot from "@observablehq/plot";
import type { Figure, FigureOptions } from "./figure.ts";
import { COLORS, compose, dimensions, type LegendEntry, MARGIN_LEFT, MARGIN_RIGHT } from "./_render.ts";
import { formatPercent, percentTickFormat, toF64 } from "./_data.ts";

/** Input of {@link returnsHistogramFigure}. */
export interface ReturnsHistogramFigureInput extends FigureOptions {
  /** Simple returns per period as fractions (0.01 is +1%). NaN values are skipped. */
  returns?: ArrayLike<number>;
  /**
   * Instead of `returns`: the equity curve whose bar returns (`equity[i + 1] / equity[i] - 1`,
   * as `returnsFromEquity`) are drawn, computed on the fly (no returns array at 1M bars).
   */
  equity?: ArrayLike<number>;
  /**
   * About how many bins; the bin width is rounded to a nice step (1, 2, 2.5 or 5 × 10^k).
   * Default: √n clamped to 10..80.
   */
  bins?: number;
}

/** A histogram bin. */
interface Bin {
  x1: number;
  x2: number;
  count: number;
}

/**
 * Histogram of per-period returns: losing bins red, winning bins green, with the zero line
 * and the mean marked. The subtitle gives count, mean, standard deviation and the extremes.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { returnsHistogramFigure } from "./returns_histogram_figure.ts";
 * const fig = returnsHistogramFigure({ returns: [-0.02, -0.01, 0, 0.01, 0.01, 0.03] });
 * assert.match(fig.svg, /n = 6/);
 * ```
 */
export function returnsHistogramFigure(input: ReturnsHistogramFigureInput): Figure {
  const { width, height } = dimensions("returnsHistogramFigure", input);
  const equity = input.equity === undefined ? undefined : toF64("returnsHistogramFigure: equity", input.equity);
  const returns = equity ? undefined : toF64("returnsHistogramFigure: returns", input.returns);
  const chunks = returnChunks(returns, equity);
  let n = 0, sum = 0, lo = Infinity, hi = -Infinity;
  chunks((c) => {
    for (let i = 0; i < c.length; i++) {
      const v = c[i]!;
      if (!Number.isFinite(v)) continue;
      n++;
      sum += v;
      if (v < lo) lo = v;
      if (v > hi) hi = v;
    }
  });
  const mean = n > 0 ? sum / n : NaN;
  let ss = 0;
  chunks((c) => {
    for (let i = 0; i < c.length; i++) {
      const v = c[i]!;
      if (Number.isFinite(v)) ss += (v - mean) ** 2;
    }
  });
  const sd = n > 1 ? Math.sqrt(ss / (n - 1)) : NaN;
  const target = input.bins ?? Math.min(80, Math.max(10, Math.round(Math.sqrt(n))));
  if (!Number.isInteger(target) || target < 1) {
    throw new RangeError(`returnsHistogramFigure: bins must be a positive integer, got ${input.bins}`);
  }
  const bins = n > 0 ? histogram(chunks, lo, hi, target) : [];
  const color = (b: Bin): string => b.x2 <= 0 ? COLORS.loss : b.x1 >= 0 ? COLORS.win : COLORS.muted;
  const marks: Plot.Markish[] = [
    Plot.rectY(bins, {
      x1: "x1",
      x2: "x2",
      y: "count",
      fill: color,
      fillOpacity: 0.75,
      insetLeft: 0.5,
      insetRight: 0.5,
    }),
    Plot.ruleY([0]),
    Plot.ruleX([0], { stroke: "#495057" }),
  ];
  const legend: LegendEntry[] = [
    { label: "Losing", color: COLORS.loss, kind: "area" },
    { label: "Winning", color: COLORS.win, kind: "area" },
  ];
  if (Number.isFinite(mean)) {
    marks.push(Plot.ruleX([mean], { stroke: COLORS.primary, strokeWidth: 1.5, strokeDasharray: "4,3" }));
    legend.push({ label: `Mean ${formatPercent(mean, 2)}`, color: COLORS.primary, kind: "dashed" });
  }
  const subtitle = `n = ${n.toLocaleString("en-US")} · mean ${formatPercent(mean, 2)} · sd ${formatPercent(sd, 2)} · ` +
    `worst ${formatPercent(n > 0 ? lo : NaN, 2)} · best ${formatPercent(n > 0 ? hi : NaN, 2)}`;
  const x0 = bins[0]?.x1 ?? -0.01, x1 = bins.at(-1)?.x2 ?? 0.01;
  return compose({
    title: input.title ?? "Distribution of returns",
    subtitle,
    width,
    legend,
    panels: [{
      height,
      marginLeft: MARGIN_LEFT,
      marginRight: MARGIN_RIGHT,
      grid: true,
      x: { domain: [Math.min(x0, 0), Math.max(x1, 0)], label: "Return", tickFormat: percentTickFormat(x1 - x0) },
      y: { label: "Periods", nice: true },
      marks,
    }],
  });
}

/** Bins aligned to multiples of a nice step, so zero is always a bin edge. */
/** Walks the returns in order, whole or (from an equity curve) a reused chunk at a time. */
type ReturnChunks = (each: (chunk: Float64Array) => void) => void;

function returnChunks(returns: Float64Array | undefined, equity: Float64Array | undefined): ReturnChunks {
  if (returns) return (each) => each(returns);
  const eq = equity!;
  const len = Math.max(0, eq.length - 1);
  // 64 KB, warm after the first chunk: no 8 MB array of returns at 1M bars.
  const buf = new Float64Array(Math.min(len, 8192));
  return (each) => {
    for (let a = 0; a < len; a += buf.length) {
      const m = Math.min(buf.length, len - a);
      for (let j = 0; j < m; j++) buf[j] = eq[a + j + 1]! / eq[a + j]! - 1;
      each(buf.subarray(0, m));
    }
  };
}

function histogram(chunks: ReturnChunks, lo: number, hi: number, target: number): Bin[] {
  const step = niceStep((hi - lo) / target || Math.abs(lo) / 10 || 0.001);
  const first = Math.floor(lo / step);
  const count = Math.max(1, Math.floor(hi / step) - first + 1);
  const counts = new Float64Array(count);
  chunks((c) => {
    for (let i = 0; i < c.length; i++) {
      const v = c[i]!;
      if (!Number.isFinite(v)) continue;
      const k = Math.min(count - 1, Math.floor(v / step) - first);
      counts[k]!++;
    }
  });
  // Edges from integer multiples of the step avoid accumulated rounding error.
  return Array.from(counts, (c, k) => ({ x1: (first + k) * step, x2: (first + k + 1) * step, count: c }));
}

function niceStep(raw: number): number {
  const e = Math.pow(10, Math.floor(Math.log10(raw)));
  const f = raw / e;
  return (f <= 1 ? 1 : f <= 2 ? 2 : f <= 2.5 ? 2.5 : f <= 5 ? 5 : 10) * e;
}
