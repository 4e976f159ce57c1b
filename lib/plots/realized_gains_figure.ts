import * as Plot from "@observablehq/plot";
import type { Figure, FigureOptions } from "./figure.ts";
import { COLORS, compose, dimensions, MARGIN_LEFT, MARGIN_RIGHT } from "./_render.ts";
import { describe, fixedFormat } from "./_data.ts";

/** Realized gains of one month, split by holding term. */
export interface RealizedGainsMonth {
  /** `YYYY-MM`. */
  month: string;
  /**
   * Short-term gain (negative for a loss) in the reporting currency: a number, or a decimal text as a tax report
   * holds it (`"-12.50"`), so a report's rows can be passed as they are.
   */
  short: number | string;
  /** Long-term gain, as {@link RealizedGainsMonth.short}. */
  long: number | string;
}

/** Input of {@link realizedGainsFigure}. */
export interface RealizedGainsFigureInput extends FigureOptions {
  /** One row per month, in any order; a month may be missing (drawn empty). */
  months: readonly RealizedGainsMonth[];
  /** The reporting currency, for the axis and the subtitle. Default `USD`. */
  currency?: string;
  /**
   * A calendar year to draw all twelve months of, so a quiet month shows as an empty slot rather than vanishing;
   * without it only the months given are drawn.
   */
  year?: number;
}

const MONTH_NAMES = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
const SHORT = "Short-term";
const LONG = "Long-term";
const SHORT_COLOR = COLORS.short;
const LONG_COLOR = COLORS.primary;
const NET_COLOR = "#212529";

/**
 * Realized capital gains by month as stacked bars, short-term and long-term apart (gains stack up from zero, losses
 * down), with the month's net marked by a dark tick, since net is hard to read off bars of mixed sign. The subtitle
 * gives the totals of each term and the net.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { realizedGainsFigure } from "./realized_gains_figure.ts";
 * const fig = realizedGainsFigure({
 *   year: 2025,
 *   months: [{ month: "2025-03", short: "1200.50", long: "-200.00" }, { month: "2025-07", short: -50, long: 0 }],
 * });
 * assert.match(fig.svg, /Short-term \+1,150\.50 · long-term −200\.00 · net \+950\.50 USD/);
 * ```
 */
export function realizedGainsFigure(input: RealizedGainsFigureInput): Figure {
  const { width, height } = dimensions("realizedGainsFigure", input);
  if (!Array.isArray(input.months)) {
    throw new TypeError(`realizedGainsFigure: months must be an array, got ${describe(input.months)}`);
  }
  const currency = input.currency ?? "USD";
  const year = input.year;
  if (year !== undefined && !(Number.isInteger(year) && year >= 1000 && year <= 9999)) {
    throw new RangeError(`realizedGainsFigure: year must be a four-digit integer such as 2025, got ${describe(year)}`);
  }
  const byMonth = new Map<string, { short: number; long: number }>();
  for (const [i, m] of input.months.entries()) {
    if (typeof m?.month !== "string" || !/^\d{4}-(0[1-9]|1[0-2])$/.test(m.month)) {
      throw new RangeError(
        `realizedGainsFigure: months[${i}].month must be YYYY-MM such as 2025-03, got ${describe(m?.month)}`,
      );
    }
    if (year !== undefined && !m.month.startsWith(`${year}-`)) {
      throw new RangeError(`realizedGainsFigure: months[${i}].month ${m.month} is not in the year ${year}`);
    }
    if (byMonth.has(m.month)) {
      throw new RangeError(`realizedGainsFigure: months[${i}].month ${m.month} appears twice; give one row a month`);
    }
    byMonth.set(m.month, {
      short: amount(`months[${i}].short`, m.short),
      long: amount(`months[${i}].long`, m.long),
    });
  }
  const domain = year !== undefined
    ? MONTH_NAMES.map((_, k) => `${year}-${String(k + 1).padStart(2, "0")}`)
    : [...byMonth.keys()].sort();
  const bars: { month: string; term: string; gain: number }[] = [];
  const nets: { month: string; net: number }[] = [];
  // Totals in whole cents: a year of amounts summed as floats could print a cent off the report's Schedule D.
  let shortCents = 0, longCents = 0, maxAbs = 0;
  for (const month of domain) {
    const g = byMonth.get(month);
    if (g === undefined) continue;
    shortCents += Math.round(g.short * 100);
    longCents += Math.round(g.long * 100);
    if (g.short !== 0) bars.push({ month, term: SHORT, gain: g.short });
    if (g.long !== 0) bars.push({ month, term: LONG, gain: g.long });
    if (g.short !== 0 || g.long !== 0) nets.push({ month, net: g.short + g.long });
    maxAbs = Math.max(maxAbs, Math.max(g.short, 0) + Math.max(g.long, 0), -Math.min(g.short, 0) - Math.min(g.long, 0));
  }
  const fmt = fixedFormat(maxAbs);
  const money = (cents: number): string =>
    signed((cents / 100).toLocaleString("en-US", { minimumFractionDigits: 2, maximumFractionDigits: 2 }));
  const monthLabel = (m: string): string => {
    const name = MONTH_NAMES[Number(m.slice(5, 7)) - 1] ?? m;
    return year !== undefined ? name : `${name} ${m.slice(0, 4)}`;
  };
  return compose({
    title: input.title ?? `Realized gains by month${year !== undefined ? `, ${year}` : ""}`,
    subtitle: `Short-term ${money(shortCents)} · long-term ${money(longCents)} · net ${
      money(shortCents + longCents)
    } ${currency}${nets.length === 0 ? " · no disposals" : ""}`,
    width,
    legend: [
      { label: SHORT, color: SHORT_COLOR, kind: "area" },
      { label: LONG, color: LONG_COLOR, kind: "area" },
      { label: "Net", color: NET_COLOR, kind: "line" },
    ],
    panels: [{
      height,
      marginLeft: MARGIN_LEFT,
      marginRight: MARGIN_RIGHT,
      grid: true,
      x: { type: "band", domain, tickFormat: monthLabel, label: null, padding: 0.2 },
      y: { label: `Gain (${currency})`, tickFormat: fmt, domain: maxAbs === 0 ? [-1, 1] : undefined, nice: true },
      color: { domain: [SHORT, LONG], range: [SHORT_COLOR, LONG_COLOR] },
      marks: [
        Plot.barY(bars, { x: "month", y: "gain", fill: "term", order: [SHORT, LONG] }),
        Plot.ruleY([0], { stroke: "#495057" }),
        Plot.tickY(nets, { x: "month", y: "net", stroke: NET_COLOR, strokeWidth: 2 }),
      ],
    }],
  });
}

function amount(what: string, v: unknown): number {
  const x = typeof v === "string" && /^\s*[+-]?(\d+\.?\d*|\.\d+)\s*$/.test(v) ? Number(v) : v;
  if (typeof x !== "number" || !Number.isFinite(x)) {
    throw new TypeError(
      `realizedGainsFigure: ${what} must be a finite number or a decimal text such as "12.50", got ${describe(v)}`,
    );
  }
  return x;
}

function signed(s: string): string {
  if (/^-?0(\.0+)?$/.test(s)) return s.replace("-", "");
  return s.startsWith("-") ? `\u2212${s.slice(1)}` : `+${s}`;
}
