import { formatStat, STATS_BY_KEY } from "../metrics/mod.ts";
import { sweepHeatmapFigure } from "../plots/mod.ts";
import { esc, figureOrNote, page, table } from "./_html.ts";
import { humanParams, utcTime } from "./_format.ts";

/** One series of a batch, as {@link batchReport} shows it. */
export interface BatchReportSeries {
  /** `samples:ETH/BTC:5m`. */
  label: string;
  bars: number;
  /** First and last bar open time (epoch ms). */
  first: number | null;
  last: number | null;
  /** Combinations evaluated and skipped on this series. */
  combos: number;
  skipped: number;
  /** The best combination by the metric, or null when none had a finite value. */
  best: { params: Record<string, unknown>; value: number; stats: Record<string, number> } | null;
  /** Every evaluated combination: param values and stats by name (the heatmap's cells). */
  rows: Record<string, number>[];
}

/** Input of {@link batchReport}. */
export interface BatchReportInput {
  /** Page title. Default `Batch: <strategy> over <n> series`. */
  title?: string;
  strategy: string;
  /** The stat that ranks combinations. */
  metric: string;
  /** The params that vary across the grid, slowest first; a heatmap needs exactly two. */
  varying: string[];
  series: BatchReportSeries[];
  /** Extra lines under the title (the grid, the options, the run id). */
  notes?: string[];
}

/** Stats of the best combination shown beside the metric in the summary, when the metric is not one of them. */
const SUMMARY_STATS = ["total_return", "sharpe", "max_drawdown", "trades"] as const;

/**
 * The self-contained HTML report of a batch (one strategy swept over many series, `deno task backtest` with several
 * `--data` or a pattern): a summary table with the best combination of each series, then one sweep heatmap per series
 * (metric by the two varying params, best cell outlined). Inline SVG and CSS only: no scripts, no external resources.
 * A grid that does not vary exactly two params gets a note instead of heatmaps.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { batchReport } from "./batch_report.ts";
 * const rows = (k: number) => [
 *   { fast: 5, slow: 20, sharpe: 0.4 * k },
 *   { fast: 5, slow: 50, sharpe: 1.1 * k },
 *   { fast: 10, slow: 20, sharpe: -0.2 * k },
 *   { fast: 10, slow: 50, sharpe: 0.7 * k },
 * ];
 * const series = [1, 2].map((k) => ({
 *   label: `samples:S${k}/BTC:5m`,
 *   bars: 100,
 *   first: 0,
 *   last: 99 * 300_000,
 *   combos: 4,
 *   skipped: 0,
 *   best: { params: { fast: 5, slow: 50 }, value: 1.1 * k, stats: { sharpe: 1.1 * k, trades: 3 } },
 *   rows: rows(k),
 * }));
 * const html = batchReport({ strategy: "sma_cross", metric: "sharpe", varying: ["fast", "slow"], series });
 * assert.equal(html.match(/<figure class="sentinel-figure"/g)?.length, 2);
 * assert.match(html, /samples:S2\/BTC:5m/);
 * assert.ok(!/<script/.test(html));
 * ```
 */
export function batchReport(input: BatchReportInput): string {
  const { metric, series } = input;
  const title = input.title ?? `Batch: ${input.strategy} over ${series.length} series`;
  const metricTitle = STATS_BY_KEY.get(metric)?.title ?? metric;
  const lowerBetter = STATS_BY_KEY.get(metric)?.higherIsBetter === false;
  const parts = [`<h1>${esc(title)}</h1>`];
  for (const note of input.notes ?? []) parts.push(`<p class="meta">${esc(note)}</p>`);

  const shown = SUMMARY_STATS.filter((k) => k !== metric);
  const header = [
    "Series",
    "Bars",
    "From",
    "To",
    "Combos",
    "Skipped",
    "Best params",
    esc(metricTitle),
    ...shown.map((k) => esc(STATS_BY_KEY.get(k)?.title ?? k)),
  ];
  const rows = series.map((s) => [
    `<a href="#series-${anchor(s.label)}">${esc(s.label)}</a>`,
    String(s.bars),
    esc(utcTime(s.first)),
    esc(utcTime(s.last)),
    String(s.combos),
    String(s.skipped),
    s.best ? esc(humanParams(s.best.params)) : "—",
    s.best ? esc(formatStat(metric, s.best.value)) : "—",
    ...shown.map((k) => (s.best && k in s.best.stats ? esc(formatStat(k, s.best.stats[k]!)) : "—")),
  ]);
  parts.push(`<h2 id="section-summary">Best per series</h2>`);
  parts.push(`<p class="meta">Ranked by ${esc(metricTitle)} (${lowerBetter ? "lower" : "higher"} is better).</p>`);
  parts.push(`<div class="scroll">${table(header, rows)}</div>`);

  parts.push(`<h2 id="section-heatmaps">Sweep heatmaps</h2>`);
  if (input.varying.length !== 2) {
    parts.push(
      `<p class="note">No heatmaps: the grid varies ${input.varying.length} param${
        input.varying.length === 1 ? "" : "s"
      }${input.varying.length ? ` (${esc(input.varying.join(", "))})` : ""}; a heatmap needs two.</p>`,
    );
  } else {
    const [y, x] = input.varying as [string, string];
    for (const s of series) {
      parts.push(`<h3 id="series-${anchor(s.label)}">${esc(s.label)}</h3>`);
      if (s.rows.length === 0) {
        parts.push(`<p class="note">No valid combination on this series (${s.skipped} skipped).</p>`);
        continue;
      }
      parts.push(figureOrNote(`heatmap of ${s.label}`, () =>
        sweepHeatmapFigure({
          rows: s.rows,
          x,
          y,
          metric,
          best: lowerBetter ? "min" : "max",
          // A diverging scale centred on 0 reads returns and ratios; final equity has no such centre.
          pivot: metric === "final_equity" || metric === "trades" ? null : 0,
          title: `${s.label}: ${metricTitle} by ${y} and ${x}`,
        })));
    }
  }
  parts.push(`<footer>Sentinel batch report.</footer>`);
  return page(title, parts.join("\n"));
}

/** An id-safe form of a series label (`samples:ETH/BTC:5m` -> `samples-eth-btc-5m`). */
function anchor(label: string): string {
  return label.toLowerCase().replace(/[^a-z0-9]+/g, "-").replace(/^-|-$/g, "");
}
