import * as Plot from "@observablehq/plot";
import type { Figure, FigureOptions } from "./figure.ts";
import { COLORS, compose, dimensions, innerWidth, type LegendEntry, MARGIN_LEFT, MARGIN_RIGHT } from "./_render.ts";
import { assertFinite, describe, formatDate, toF64 } from "./_data.ts";

/**
 * A run of missing bars, as lib/data's quality report lists it: the gap covers `[start, end)`.
 */
export interface QualityGap {
  /** Open time of the first missing bar, epoch ms UTC. */
  start: number;
  /** Open time of the next present bar, epoch ms UTC (exclusive end). */
  end: number;
  /** Bars missing in it (the calendar's open bars only). */
  missing: number;
  /** `"holiday"` gaps (a market closed for a day) are shaded grey instead of red. Default `"gap"`. */
  kind?: "gap" | "holiday";
}

/** Top of the y axis: headroom above 100% for the gap labels. */
const TOP = 1.15;

/** Input of {@link qualityTimelineFigure}. */
export interface QualityTimelineFigureInput extends FigureOptions {
  /** Open times of the bars present, epoch ms UTC, ascending. */
  ts: ArrayLike<number>;
  /** The gaps found, each with its missing bar count. */
  gaps: QualityGap[];
  /** First and last bar of the dataset, epoch ms UTC: the span drawn. */
  first: number;
  last: number;
  /**
   * Total bars missing in gaps (holidays not included, like the quality report's `missing`), when
   * the list is truncated. Default: the sum over the `gap` entries of `gaps`.
   */
  missing?: number;
  /** Total number of gaps, holidays not included (the report's `gapCount`). Default: the `gap` entries. */
  gapCount?: number;
  /** Total number of holidays (the report's `holidayCount`). Default: the `holiday` entries of `gaps`. */
  holidayCount?: number;
  /**
   * Bar interval in ms (the timeframe), the narrowest bucket. Default: the smallest step
   * between consecutive bars, which is the timeframe whenever two adjacent bars are present.
   */
  timeframeMs?: number;
  /** How many of the largest gaps get a label. Default 5. */
  labelGaps?: number;
}

/**
 * Data-quality timeline: coverage per time bucket (a pixel column or two wide, and at least one
 * bar long), that is present bars / (present + missing bars of the gaps overlapping it). The
 * gaps carry the calendar, so a weekend of a weekday market (no bars, no gap) is not a dip: it
 * carries the coverage before it. Every gap is shaded (red, grey for holidays; gaps under 2 px also get a rule, so
 * they stay visible in a long history) and the largest are labelled with the bars they miss.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { qualityTimelineFigure } from "./quality_timeline_figure.ts";
 * const h = 3_600_000;
 * const ts = [0, 1, 2, 6, 7, 8, 9].map((i) => i * h);
 * const fig = qualityTimelineFigure({ ts, gaps: [{ start: 3 * h, end: 6 * h, missing: 3 }], first: 0, last: 9 * h });
 * assert.match(fig.svg, /7 bars present · 1 gap, 3 missing bars \(70\.0% coverage\)/);
 * ```
 */
export function qualityTimelineFigure(input: QualityTimelineFigureInput): Figure {
  const { width, height } = dimensions("qualityTimelineFigure", input);
  const ts = toF64("qualityTimelineFigure: ts", input.ts);
  const { first, last } = input;
  assertFinite("qualityTimelineFigure: first", first);
  assertFinite("qualityTimelineFigure: last", last);
  if (last < first) throw new RangeError(`qualityTimelineFigure: last (${last}) is before first (${first})`);
  if (!Array.isArray(input.gaps)) {
    throw new TypeError(`qualityTimelineFigure: gaps must be an array, got ${describe(input.gaps)}`);
  }
  for (const [i, g] of input.gaps.entries()) {
    assertFinite(`qualityTimelineFigure: gaps[${i}].start`, g?.start);
    assertFinite(`qualityTimelineFigure: gaps[${i}].end`, g.end);
    assertFinite(`qualityTimelineFigure: gaps[${i}].missing`, g.missing);
    if (g.end < g.start) {
      throw new RangeError(`qualityTimelineFigure: gaps[${i}] ends (${g.end}) before it starts (${g.start})`);
    }
  }
  const gaps = input.gaps;
  const interval = input.timeframeMs ?? smallestStep(ts);
  if (interval !== undefined && !(interval > 0)) {
    throw new RangeError(`qualityTimelineFigure: timeframeMs must be positive, got ${interval}`);
  }
  const end = last + (interval ?? 0);
  const buckets = coverageBuckets(ts, gaps, first, end, interval, Math.max(1, Math.floor(innerWidth(width) / 2)));
  const last0 = buckets.at(-1)!;
  const steps = [...buckets.map((b) => ({ x: b.x1, share: b.share })), { x: last0.x2, share: last0.share }];
  // Gaps under 2 px wide also get a 1 px rule, so they stay visible in a long history.
  const msPerPx = (end - first) / innerWidth(width);
  const thin = gaps.filter((g) => g.end - g.start < 2 * msPerPx);
  // Gaps and holidays are counted apart, as in the quality report: a holiday is not a gap.
  const missing = input.missing ?? gaps.reduce((a, g) => a + (g.kind === "holiday" ? 0 : g.missing), 0);
  const gapCount = input.gapCount ?? gaps.filter((g) => g.kind !== "holiday").length;
  const holidays = input.holidayCount ?? gaps.filter((g) => g.kind === "holiday").length;
  const coverage = ts.length + missing > 0 ? ts.length / (ts.length + missing) : NaN;
  // Label the largest real gaps first; holidays are expected.
  const top = [...gaps]
    .sort((a, b) => Number(a.kind === "holiday") - Number(b.kind === "holiday") || b.missing - a.missing)
    .slice(0, input.labelGaps ?? 5);
  const shade = (g: QualityGap): string => g.kind === "holiday" ? COLORS.muted : COLORS.loss;
  const count = (n: number): string => n.toLocaleString("en-US");
  const subtitle = `${count(ts.length)} bars present · ${count(gapCount)} gap${gapCount === 1 ? "" : "s"}` +
    (holidays > 0 ? `, ${count(holidays)} holiday${holidays === 1 ? "" : "s"}` : "") +
    `, ${count(missing)} missing bars ` +
    `(${Number.isFinite(coverage) ? (coverage * 100).toFixed(1) : "n/a"}% coverage) · ${formatDate(first)} → ${
      formatDate(last)
    }`;
  const legend: LegendEntry[] = [
    { label: "Bars present", color: COLORS.primary, kind: "area" },
    { label: "Gap", color: COLORS.loss, kind: "area" },
  ];
  if (holidays > 0) legend.push({ label: "Holiday", color: COLORS.muted, kind: "area" });
  return compose({
    title: input.title ?? "Data quality: bars present and gaps",
    subtitle,
    width,
    legend,
    panels: [{
      height,
      marginLeft: MARGIN_LEFT,
      marginRight: MARGIN_RIGHT,
      marginTop: 24,
      grid: true,
      x: { type: "utc", domain: [first, end], label: null },
      y: { domain: [0, TOP], label: "Coverage", ticks: [0, 0.25, 0.5, 0.75, 1], tickFormat: ".0%" },
      marks: [
        // One stepped area rather than a rect per bucket: no anti-aliasing seams between buckets.
        // y1/y2 rather than y, which would stack and turn the NaN of closed-market buckets into 0.
        Plot.areaY(steps, { x: "x", y1: 0, y2: "share", curve: "step-after", fill: COLORS.primary, fillOpacity: 0.55 }),
        Plot.rect(gaps, { x1: "start", x2: "end", y1: 0, y2: TOP, fill: shade, fillOpacity: 0.25 }),
        Plot.ruleX(thin, { x: (g: QualityGap) => (g.start + g.end) / 2, stroke: shade, strokeOpacity: 0.8 }),
        Plot.text(top, {
          x: (g: QualityGap) => (g.start + g.end) / 2,
          y: TOP,
          text: (g: QualityGap) => `${g.missing.toLocaleString("en-US")} missing`,
          dy: -6,
          fontSize: 10,
          fill: shade,
          stroke: "white",
          strokeWidth: 3,
          lineAnchor: "bottom",
        }),
        Plot.ruleY([0]),
      ],
    }],
  });
}

/** Smallest positive step between consecutive times, or undefined for fewer than two distinct. */
function smallestStep(ts: Float64Array): number | undefined {
  let step = Infinity;
  for (let i = 1; i < ts.length; i++) {
    const d = ts[i]! - ts[i - 1]!;
    if (d > 0 && d < step) step = d;
  }
  return Number.isFinite(step) ? step : undefined;
}

/** A time bucket and the share of its expected bars that are present. */
interface CoverageBucket {
  x1: number;
  x2: number;
  share: number;
}

/**
 * Present bars and missing bars per bucket. Buckets are a whole number of bar intervals wide
 * (at least one, so a complete series has a bar in every bucket); a gap's missing bars are
 * spread over the buckets it overlaps in proportion to the overlap.
 */
function coverageBuckets(
  ts: Float64Array,
  gaps: QualityGap[],
  first: number,
  end: number,
  interval: number | undefined,
  target: number,
): CoverageBucket[] {
  const span = Math.max(1, end - first);
  const width = interval === undefined ? span / target : Math.max(1, Math.ceil(span / target / interval)) * interval;
  const nb = Math.max(1, Math.ceil(span / width));
  const present = new Float64Array(nb);
  const absent = new Float64Array(nb);
  const bucketOf = (t: number): number => Math.max(0, Math.min(nb - 1, Math.floor((t - first) / width)));
  for (let i = 0; i < ts.length; i++) {
    const t = ts[i]!;
    if (t >= first && t < end) present[bucketOf(t)]!++;
  }
  for (const g of gaps) {
    const len = g.end - g.start;
    if (!(len > 0)) {
      absent[bucketOf(g.start)]! += g.missing;
      continue;
    }
    for (let k = bucketOf(g.start); k <= bucketOf(g.end); k++) {
      const a = Math.max(g.start, first + k * width), b = Math.min(g.end, first + (k + 1) * width);
      if (b > a) absent[k]! += g.missing * (b - a) / len;
    }
  }
  // A bucket expecting nothing (the market was closed) carries the previous coverage on, so a
  // weekday market's weekends neither dip nor stripe the chart.
  let share = NaN;
  return Array.from(present, (c, k) => {
    const expected = c + absent[k]!;
    if (expected > 0) share = c / expected;
    return { x1: first + k * width, x2: Math.min(end, first + (k + 1) * width), share };
  });
}
