import {
  drawdownPeriods,
  formatStat,
  type MonthlyReturns,
  monthlyReturns,
  returnsFromEquity,
  rollingBeta,
  rollingSharpe,
  STATS_BY_KEY,
  statsTable,
  yearlyReturns,
} from "../metrics/mod.ts";
import {
  monthlyHeatmapFigure,
  priceFigure,
  returnsHistogramFigure,
  rollingSharpeFigure,
  SeriesDecimator,
  seriesFigure,
  walkForwardFigure,
} from "../plots/mod.ts";
import type { Trade } from "../types/mod.ts";
import { humanParams, ppText, utcTime } from "./_format.ts";
import { esc, figureOrNote, prettyJson, table } from "./_html.ts";
import { equityFiguresHtml } from "./equity_figures_html.ts";
import type { ReportEquity, RunReportView } from "./run_report_view.ts";

/** One titled part of a run report; `html` is trusted markup. */
export interface ReportSection {
  /** Stable id (`quality`, `equity`, `stats`, `drawdowns`, `yearly`, `rolling`, `exposure`, `price`, `returns`, `walk-forward`, `trades`, `manifest`). */
  id: string;
  /** Heading; empty for the summary and the quality banner. */
  title: string;
  html: string;
}

/** Options of {@link renderRunReport}. */
export interface RunReportOptions {
  /**
   * `static` (default): inline SVG only, for `report.html` and notebooks. `interactive`: the
   * same sections with the hooks the web lab's script uses (zoom and pan of the equity figure,
   * log scale, hover read-outs); the markup stays readable without the script.
   */
  mode?: "static" | "interactive";
  /** The run's id, for the interactive hooks (`/runs/<id>/figures/equity`). */
  runId?: string;
  /** Most trades listed in the table (all are in trades.csv). Default 500. */
  maxTrades?: number;
  /** Extra lines under the summary (where the data came from, the command line). */
  notes?: string[];
  /** Draw the equity on a log scale. Default false. */
  log?: boolean;
}

/** A rendered run report: its title and sections, in display order. */
export interface RunReport {
  title: string;
  sections: ReportSection[];
}

const DAY = 86_400_000;

/**
 * The one renderer of a run's results, shared by the CLI's `report.html` ({@link backtestReport})
 * and the web lab's run page: summary, data-quality banner (results carry the report of the data
 * they ran on), equity with the buy-and-hold benchmark and drawdown, stats (with a caveat on
 * annualized stats of runs shorter than a year), the top-5 drawdown periods, yearly returns next
 * to the benchmark's, rolling Sharpe and beta, exposure over time, price as candles with volume,
 * the strategy's indicator lines and the trades (thinned evenly), monthly returns and the
 * histogram of bar returns, walk-forward folds, trades and the manifest. A section whose input
 * is missing is left out; a figure that cannot be drawn becomes a note, never an error.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { Frame } from "../frame/mod.ts";
 * import { runBacktest } from "../backtest/mod.ts";
 * import { renderRunReport, runReportViewFromBacktest } from "./mod.ts";
 * const close = Float64Array.from({ length: 400 }, (_, i) => 100 + 10 * Math.sin(i / 9) + i / 20);
 * const ts = Float64Array.from(close, (_, i) => Date.UTC(2023, 0, 1) + i * 86_400_000);
 * const frame = new Frame(ts, { open: close, high: close, low: close, close, volume: close });
 * const r = await runBacktest({ frame, strategy: "sma_cross", params: { fast: 3, slow: 10 } });
 * const report = renderRunReport(runReportViewFromBacktest(r, { frame }));
 * const ids = report.sections.map((s) => s.id);
 * for (const id of ["equity", "stats", "drawdowns", "yearly", "price", "returns", "trades", "manifest"]) {
 *   assert.ok(ids.includes(id), id);
 * }
 * ```
 */
export function renderRunReport(view: RunReportView, options: RunReportOptions = {}): RunReport {
  const maxTrades = options.maxTrades ?? 500;
  if (!Number.isSafeInteger(maxTrades) || maxTrades < 0) {
    throw new RangeError(`renderRunReport: maxTrades must be a whole number >= 0, got ${maxTrades}`);
  }
  const interactive = options.mode === "interactive";
  const m = view.manifest;
  const sections: ReportSection[] = [];
  const add = (id: string, title: string, html: string) => sections.push({ id, title, html });
  const eq = view.equity;
  const timeframe = typeof m.timeframe === "string" ? m.timeframe : "";
  const ppy = typeof m.periods_per_year === "number" && m.periods_per_year > 0 ? m.periods_per_year : undefined;

  // The lab page lists params and options in its header table; the standalone report has only this summary.
  add("summary", "", summaryHtml(view, options.notes ?? [], !interactive));
  const { warnings, computed } = qualityWarnings(m);
  if (warnings.length > 0) {
    const note = computed
      ? `<p class="note">Computed now from the stored bars of the run's range: this run did not record its data's quality report.</p>`
      : "";
    add(
      "quality",
      "",
      `<div class="warn" id="quality"><b>Data quality</b><ul>${
        warnings.map((w) => `<li>${esc(w)}</li>`).join("")
      }</ul>${note}</div>`,
    );
  }
  if (eq && eq.ts.length > 0) {
    add("equity", "Equity and drawdown", equitySectionHtml(view, eq, options));
  } else {
    add("equity", "Equity and drawdown", `<p class="note">This run recorded no equity curve.</p>`);
  }
  add("stats", "Statistics", statsHtml(view.stats, eq));
  if (view.walkForward && view.walkForward.folds.length > 0) {
    add("walk-forward", "Walk-forward folds", walkForwardHtml(view));
  }
  // Bar returns feed the rolling figures and the histogram, each computed from the equity where
  // it is needed (in chunks, or on the fly): no 8 MB returns array at 1M bars.
  const returns = eq !== undefined && eq.ts.length > 1;
  let monthly: MonthlyReturns | undefined;
  if (eq && returns) {
    add("drawdowns", "Worst drawdowns", drawdownsHtml(eq));
    // One pass gives both: the months of the heatmap and the years (`annual`, yearlyReturns' figures).
    monthly = monthlyReturns(eq.ts, eq.equity);
    add("yearly", "Yearly returns", yearlyHtml(eq, monthly));
    const rolling = rollingHtml(eq, ppy);
    if (rolling) add("rolling", "Rolling Sharpe and beta", rolling);
    const exposure = exposureHtml(view, eq);
    if (exposure) add("exposure", "Exposure over time", exposure);
  }
  if (view.price && view.price.frame.length > 0) {
    add("price", "Price and trades", priceHtml(view, interactive));
  }
  if (eq && monthly) {
    add("returns", "Returns", returnsHtml(eq, monthly, timeframe));
  }
  if (view.kind === "single" || view.kind === "portfolio" || view.trades.length > 0) {
    add("trades", "Trades", tradesTable(view.trades, maxTrades));
  }
  add("manifest", "Manifest", manifestHtml(m));
  return { title: view.title, sections };
}

/** The quality warnings of every data entry; `computed` when one was not recorded with the run. */
function qualityWarnings(m: Record<string, unknown>): { warnings: string[]; computed: boolean } {
  const data = Array.isArray(m.data)
    ? m.data as { series?: unknown; quality?: { warnings?: unknown; recorded?: unknown } }[]
    : [];
  const warnings = data.flatMap((d) => {
    const w = d?.quality?.warnings;
    return Array.isArray(w) ? w.map(String) : [];
  });
  return { warnings, computed: data.some((d) => d?.quality?.recorded === false) };
}

function summaryHtml(view: RunReportView, notes: string[], withOptions: boolean): string {
  const m = view.manifest;
  const d0 = (Array.isArray(m.data) ? m.data[0] : undefined) as
    | { first?: number | null; last?: number | null; bars?: number }
    | undefined;
  const s = view.stats;
  const facts = [
    `Strategy <code>${esc(view.strategy)}</code> with <code>${esc(humanParams(view.params))}</code>`,
    ` on <code>${esc(view.series.join(", "))}</code>`,
    d0 ? `, ${esc(utcTime(d0.first))} to ${esc(utcTime(d0.last))}` : "",
    d0?.bars !== undefined
      ? ` (${d0.bars.toLocaleString("en-US")} bars${typeof m.timeframe === "string" ? `, ${esc(m.timeframe)}` : ""}${
        typeof m.calendar === "string" ? `, ${esc(m.calendar)}` : ""
      })`
      : "",
    ". ",
    s.final_equity !== undefined ? `Final equity <b>${esc(formatStat("final_equity", s.final_equity))}</b>, ` : "",
    s.total_return !== undefined ? `total return <b>${esc(formatStat("total_return", s.total_return))}</b>, ` : "",
    `${view.trades.length.toLocaleString("en-US")} trades.`,
  ].join("");
  const opts = withOptions && Object.keys(view.options).length > 0
    ? `<p class="meta">Options: ${esc(humanParams(view.options))}</p>`
    : "";
  return `<p class="meta">${facts}</p>${opts}${notes.map((n) => `<p class="meta">${esc(n)}</p>`).join("")}`;
}

function equitySectionHtml(view: RunReportView, eq: ReportEquity, options: RunReportOptions): string {
  const figs = equityFiguresHtml(eq, { log: options.log ?? false, label: view.strategy });
  if (options.mode !== "interactive" || options.runId === undefined) return figs;
  const from = eq.ts[0]!, to = eq.ts[eq.ts.length - 1]!;
  // Hooks for the lab's script: the range shown, where to fetch a zoomed render, the controls.
  return `<div class="zoomable" id="equity-zoom" data-src="/runs/${esc(options.runId)}/figures/equity" ` +
    `data-api="/api/runs/${esc(options.runId)}/equity" data-from="${from}" data-to="${to}" ` +
    `data-full-from="${from}" data-full-to="${to}" data-log="${options.log ? 1 : 0}">` +
    `<div class="zoom-controls"><button type="button" data-zoom="out" class="secondary">zoom out</button>` +
    `<button type="button" data-zoom="left" class="secondary">◀ pan</button>` +
    `<button type="button" data-zoom="right" class="secondary">pan ▶</button>` +
    `<button type="button" data-zoom="reset" class="secondary">full run</button>` +
    `<label class="check"><input type="checkbox" data-zoom="log"${options.log ? " checked" : ""}> log scale</label>` +
    `<span class="muted"> drag across the equity figure to zoom in; hover for values</span></div>` +
    `<div class="zoom-figures">${figs}</div><div class="zoom-band" hidden></div><div class="zoom-tip" hidden></div></div>`;
}

function statsHtml(stats: Record<string, number>, eq: ReportEquity | undefined): string {
  const rows = statsTable(stats).rows;
  const span = eq && eq.ts.length > 1 ? eq.ts[eq.ts.length - 1]! - eq.ts[0]! : NaN;
  const short = Number.isFinite(span) && span < 365 * DAY;
  const mark = (key: string) => short && STATS_BY_KEY.get(key)?.annualized === true ? " †" : "";
  const half = Math.ceil(rows.length / 2);
  const statTable = (rs: typeof rows) =>
    table(
      ["Stat", "Value"],
      rs.map((r) => [`<span title="${esc(r.key)}">${esc(r.title)}</span>`, esc(r.text + mark(r.key))]),
      "stats",
    );
  const caveat = short
    ? `<p class="note" id="short-run">† Annualized: this run spans ${
      Math.max(1, Math.round(span / DAY))
    } days, less than a year, so these stats extrapolate a short sample to a year; read them with care.</p>`
    : "";
  return `<div class="grid">${statTable(rows.slice(0, half))}${statTable(rows.slice(half))}</div>${caveat}`;
}

function drawdownsHtml(eq: ReportEquity): string {
  const periods = drawdownPeriods(eq.equity, eq.ts, { top: 5 });
  if (periods.length === 0) return `<p class="note">The equity never fell below a previous peak.</p>`;
  const rows = periods.map((p, i) => [
    String(i + 1),
    esc(utcTime(p.start)),
    esc(utcTime(p.valley)),
    Number.isFinite(p.recovery) ? esc(utcTime(p.recovery)) : "not recovered",
    `<span class="neg">${esc(formatStat("max_drawdown", p.depth))}</span>`,
    p.length.toLocaleString("en-US"),
    Math.round(p.days).toLocaleString("en-US"),
  ]);
  return table(["#", "Start (peak)", "Valley", "Recovery", "Depth", "Length (bars)", "Days"], rows, "drawdowns") +
    `<p class="note">The ${periods.length} deepest drawdowns, from the peak to the first bar back at or above it.</p>`;
}

function yearlyHtml(eq: ReportEquity, monthly: MonthlyReturns): string {
  const ys = monthly.years.map((year, k) => ({ year, ret: monthly.annual[k]! }));
  const bench = eq.benchmark ? new Map(yearlyReturns(eq.benchmark, eq.ts).map((y) => [y.year, y.ret])) : undefined;
  const signed = (v: number) =>
    `<span class="${v > 0 ? "pos" : v < 0 ? "neg" : ""}">${esc(formatStat("total_return", v))}</span>`;
  const rows = ys.map((y) => {
    const b = bench?.get(y.year) ?? NaN;
    return [
      String(y.year),
      signed(y.ret),
      ...(bench ? [signed(b), esc(ppText(y.ret - b))] : []),
    ];
  });
  return table(
    ["Year (UTC)", "Strategy", ...(bench ? ["Buy and hold", "Difference"] : [])],
    rows,
    "yearly",
  ) + (ys.length > 0 && (ys[0]!.year === new Date(eq.ts[0]!).getUTCFullYear())
    ? `<p class="note">A partial first or last year counts from the first bar or to the last bar.</p>`
    : "");
}

function rollingHtml(eq: ReportEquity, ppy: number | undefined): string | undefined {
  const n = eq.ts.length;
  const window = Math.min(126, Math.floor(n / 4));
  if (window < 10) return undefined;
  // Returns have one fewer value than bars: align each to the bar it ends on.
  const ts = eq.ts.subarray(1);
  const m = n - 1;
  // One chunk of bar returns (of the strategy, then of the benchmark), reused chunk after chunk.
  const rs = new Float64Array(Math.min(m, CHUNK_WINDOWS * window + window));
  const rb = eq.benchmark ? new Float64Array(rs.length) : undefined;
  const parts: string[] = [];
  parts.push(figureOrNote("Rolling Sharpe", () => {
    const line = new SeriesDecimator(ts);
    let latest = NaN;
    forEachWindowChunk(m, window, (from, start, end, out) => {
      const r = returnsFromEquity(eq.equity.subarray(from, end + 1), rs.subarray(0, end - from));
      rollingSharpe(r, { window, periodsPerYear: ppy ?? 252, out });
      for (let i = start - from; i < out.length; i++) {
        const v = out[i]!;
        if (Number.isFinite(v)) latest = v;
        line.push(v);
      }
    });
    const s = line.finish();
    return rollingSharpeFigure({ ts: s.x, values: s.y, latest, window, height: 180 });
  }));
  const benchmark = eq.benchmark;
  if (benchmark && rb) {
    parts.push(figureOrNote("Rolling beta", () => {
      const line = new SeriesDecimator(ts);
      forEachWindowChunk(m, window, (from, start, end, out) => {
        const r = returnsFromEquity(eq.equity.subarray(from, end + 1), rs.subarray(0, end - from));
        const b = returnsFromEquity(benchmark.subarray(from, end + 1), rb.subarray(0, end - from));
        rollingBeta(r, b, window, out);
        for (let i = start - from; i < out.length; i++) line.push(out[i]!);
      });
      const s = line.finish();
      return seriesFigure({
        ts: s.x,
        lines: [{ label: "Beta to buy and hold", values: s.y }],
        rules: [0, 1],
        yLabel: "Beta",
        title: `Rolling beta (${window} bars)`,
        height: 180,
      });
    }));
  }
  return parts.join("");
}

/** Windows per chunk of a rolling metric: ~8k bars (64 KB buffers), so the chunk buffers stay small and warm. */
const CHUNK_WINDOWS = 64;

/**
 * Walks `0..n` in chunks of whole windows, so a rolling metric (whose running sums restart at
 * every multiple of the window) is computed per chunk into one reused buffer with the same bits
 * as over the whole series: chunk `[start, end)` is computed from `from = start - window` (the
 * window before it; 0 for the first chunk), and `out` (length `end - from`) holds its values from
 * `start - from` on.
 */
function forEachWindowChunk(
  n: number,
  window: number,
  each: (from: number, start: number, end: number, out: Float64Array) => void,
): void {
  const size = CHUNK_WINDOWS * window;
  const buf = new Float64Array(Math.min(n, size + window));
  for (let start = 0; start < n; start += size) {
    const from = start === 0 ? 0 : start - window;
    const end = Math.min(n, start + size);
    each(from, start, end, buf.subarray(0, end - from));
  }
}

/**
 * Fraction of equity invested at each bar's close (negative when short), from the trades'
 * sizes and the close: `sum(signed size of open trades) * close / equity`.
 */
function exposureHtml(view: RunReportView, eq: ReportEquity): string | undefined {
  const frame = view.price?.frame;
  if (!frame || frame.length !== eq.ts.length || view.kind !== "single") return undefined;
  const n = eq.ts.length;
  // The position changes as events (bar, signed size) in trade order, sorted stably by bar: each
  // bar's change sums them in that order, as a per-bar delta array would (without its 8 MB at 1M bars).
  const at: number[] = [];
  const size: number[] = [];
  for (const t of view.trades) {
    const signed = t.direction === "short" ? -t.size : t.size;
    if (t.entryIndex < 0 || t.entryIndex >= n) continue;
    at.push(t.entryIndex);
    size.push(signed);
    at.push(t.exitIndex < 0 ? n : Math.min(n, t.exitIndex));
    size.push(-signed);
  }
  const order = stableOrder(at, n);
  return figureOrNote("Exposure", () => {
    const close = frame.close;
    const line = new SeriesDecimator(eq.ts);
    let pos = 0;
    let k = 0;
    for (let i = 0; i < n; i++) {
      let delta = 0;
      while (k < order.length && at[order[k]!] === i) delta += size[order[k++]!]!;
      pos += delta;
      const e = eq.equity[i]!;
      line.push(e > 0 ? (pos * close[i]!) / e : NaN);
    }
    const s = line.finish();
    return seriesFigure({
      ts: s.x,
      lines: [{ label: "Invested share of equity", values: s.y }],
      rules: [0],
      percent: true,
      yLabel: "Exposure",
      title: "Exposure over time",
      subtitle: "Position value at the close over equity; above 100 % is leverage, below 0 is short",
      height: 160,
    });
  });
}

/**
 * The positions of `at` (integers in `0..n`) sorted by value, ties in position order: a native
 * numeric sort of `value * m + position` (exact below 2^53), ~10x faster than a comparator sort.
 */
function stableOrder(at: readonly number[], n: number): Uint32Array {
  const m = at.length;
  if ((n + 1) * m >= 2 ** 53) return Uint32Array.from(at, (_, k) => k).sort((a, b) => at[a]! - at[b]! || a - b);
  const keys = new Float64Array(m);
  for (let k = 0; k < m; k++) keys[k] = at[k]! * m + k;
  keys.sort();
  const order = new Uint32Array(m);
  for (let j = 0; j < m; j++) order[j] = keys[j]! % m;
  return order;
}

function priceHtml(view: RunReportView, interactive: boolean): string {
  const { frame, overlays } = view.price!;
  const ohlc = frame.has("open") && frame.has("high") && frame.has("low");
  return figureOrNote("Price", () =>
    priceFigure({
      ts: frame.ts,
      close: frame.close,
      ...(ohlc ? { open: frame.open, high: frame.high, low: frame.low, style: "candles" as const } : {}),
      ...(frame.has("volume") ? { volume: frame.col("volume") } : {}),
      trades: view.trades.map(priceTrade),
      overlays,
      title: `${view.series[0] ?? "Price"} with trades (▲ entry, ● exit)`,
      candleLimit: interactive ? 300 : 250,
    }));
}

function returnsHtml(eq: ReportEquity, mr: MonthlyReturns, timeframe: string): string {
  const monthly = figureOrNote("Monthly returns", () => {
    const rows = mr.years.flatMap((year, y) =>
      Array.from(mr.months[y]!, (value, k) => ({ year, month: k + 1, value })).filter((r) => !Number.isNaN(r.value))
    );
    if (rows.length === 0) throw new RangeError("less than a month of data");
    return monthlyHeatmapFigure({ rows, title: "Monthly returns (UTC months)" });
  });
  const hist = figureOrNote(
    "Returns histogram",
    () =>
      returnsHistogramFigure({
        equity: eq.equity,
        title: `Bar returns${timeframe ? ` (${timeframe})` : ""}`,
      }),
  );
  return monthly + hist;
}

function walkForwardHtml(view: RunReportView): string {
  const { folds, metric } = view.walkForward!;
  const stitched = view.stats[metric];
  const fig = figureOrNote("Walk-forward", () =>
    walkForwardFigure({
      folds,
      metric,
      ...(stitched !== undefined ? { stitched } : {}),
      title: `Walk-forward: ${metric} in and out of sample`,
    }));
  const rows = folds.map((f) => [
    String(f.fold),
    `${esc(utcTime(f.trainStart))} – ${esc(utcTime(f.trainEnd))}`,
    `${esc(utcTime(f.testStart))} – ${esc(utcTime(f.testEnd))}`,
    `<code>${esc(humanParams(f.params))}</code>`,
    esc(formatStat(metric, f.inSample)),
    esc(formatStat(metric, f.outOfSample)) +
    (f.oosTrades === 0 ? ` <span class="note">(no trades)</span>` : ""),
    esc(formatStat("total_return", f.oosReturn)),
    Number.isFinite(f.oosTrades) ? String(f.oosTrades) : "n/a",
  ]);
  const undefinedFolds = folds.filter((f) => !Number.isFinite(f.outOfSample)).map((f) => f.fold);
  const note = undefinedFolds.length > 0
    ? `<p class="note">n/a: the ${metric} of a test window without trades (or with flat equity) is undefined; ` +
      `the mean over folds leaves fold${undefinedFolds.length > 1 ? "s" : ""} ${
        undefinedFolds.join(", ")
      } out, the stitched out-of-sample curve (the stats above) includes ${
        undefinedFolds.length > 1 ? "them" : "it"
      }.</p>`
    : "";
  const header = ["Fold", "Train", "Test", "Best params in-sample", `${esc(metric)} in`, `${esc(metric)} out`];
  return fig + table([...header, "OOS return", "OOS trades"], rows).replace("<table>", '<table id="folds">') + note;
}

function priceTrade(t: Trade) {
  return {
    entryTs: t.entryTs,
    entryPrice: t.entryPrice,
    exitTs: t.exitIndex < 0 ? NaN : t.exitTs,
    exitPrice: t.exitPrice,
    direction: t.direction,
    pnl: t.pnl,
  };
}

function tradesTable(trades: readonly Trade[], max: number): string {
  if (trades.length === 0) return `<p class="note">No trades.</p>`;
  const shown = trades.slice(0, max);
  const num = (v: number, digits = 4) => Number.isFinite(v) ? esc(Number(v.toPrecision(digits + 3))) : "-";
  const signed = (v: number, text: string) => `<span class="${v > 0 ? "pos" : v < 0 ? "neg" : ""}">${text}</span>`;
  const rows = shown.map((t, i) => [
    String(i + 1),
    esc(t.direction),
    esc(utcTime(t.entryTs)),
    num(t.entryPrice),
    esc(t.exitIndex < 0 ? "open" : utcTime(t.exitTs)),
    num(t.exitPrice),
    num(t.size),
    signed(t.pnl, esc(formatStat("final_equity", t.pnl))),
    signed(t.return, esc(formatStat("total_return", t.return))),
    esc(String(t.bars)),
    esc(t.exitReason),
  ]);
  const more = trades.length > max
    ? `<p class="note">Showing the first ${max} of ${trades.length} trades; trades.csv has all of them.</p>`
    : "";
  return `<div class="scroll">${
    table(
      ["#", "Side", "Entry", "Entry price", "Exit", "Exit price", "Size", "P&amp;L", "Return", "Bars", "Reason"],
      rows,
    )
  }</div>${more}`;
}

function manifestHtml(m: Record<string, unknown>): string {
  const id = typeof m.id === "string" ? m.id : "";
  const engine = typeof m.engine_version === "string" ? m.engine_version : "";
  const strat = m.strategy as { code_hash?: unknown } | undefined;
  const code = typeof strat?.code_hash === "string" ? strat.code_hash.slice(0, 16) : "";
  const facts = [
    id ? `Manifest id <code>${esc(id)}</code>` : "",
    engine ? `engine ${esc(engine)}` : "",
    code ? `strategy code <code>${esc(code)}</code>` : "",
  ].filter(Boolean).join(", ");
  return `<p class="meta">${facts}${facts ? ". " : ""}The same manifest reproduces this result exactly.</p>` +
    `<details><summary>Full manifest (JSON)</summary><pre>${esc(prettyJson(m))}</pre></details>`;
}
