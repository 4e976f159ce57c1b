import assert from "node:assert/strict";
import { Frame } from "../frame/mod.ts";
import { returnsFromEquity, rollingBeta, rollingSharpe } from "../metrics/mod.ts";
import { drawdownFigure, returnsHistogramFigure, rollingSharpeFigure, seriesFigure } from "../plots/mod.ts";
import type { Trade } from "../types/mod.ts";
import { renderRunReport } from "./render_run_report.ts";
import type { RunReportView } from "./run_report_view.ts";
import { walkForwardFolds } from "./walk_forward_folds.ts";

const DAY = 86_400_000;

function view(days: number, extra: Partial<RunReportView> = {}): RunReportView {
  const ts = Float64Array.from({ length: days }, (_, i) => Date.UTC(2022, 0, 1) + i * DAY);
  // Up, a 20 % fall, back up: one clear drawdown period.
  const equity = Float64Array.from(ts, (_, i) => 100 * (1 + 0.001 * i) * (i > days / 3 && i < days / 2 ? 0.8 : 1));
  let peak = -Infinity;
  const drawdown = Float64Array.from(equity, (e) => (peak = Math.max(peak, e), e / peak - 1));
  const benchmark = Float64Array.from(ts, (_, i) => 50 + i * 0.01);
  return {
    title: "t",
    kind: "single",
    strategy: "sma_cross",
    series: ["samples:X:1d"],
    params: { fast: 10, slow: 50 },
    options: { stopLoss: null, size: { kind: "fraction", value: 0.5 }, fee: 0.001 },
    stats: { total_return: equity[days - 1]! / 100 - 1, sharpe: 1.2, cagr: 0.1 },
    manifest: {
      timeframe: "1d",
      periods_per_year: 365,
      data: [{ series: "samples:X:1d", first: ts[0], last: ts[days - 1] }],
    },
    equity: { ts, equity, drawdown, benchmark },
    trades: [],
    ...extra,
  };
}

Deno.test("renderRunReport: drawdown periods, yearly returns next to buy and hold in pp, human options, UTC", () => {
  const r = renderRunReport(view(800));
  const html = r.sections.map((s) => s.html).join("\n");
  const dd = r.sections.find((s) => s.id === "drawdowns")!.html;
  assert.match(dd, /<th>Start \(peak\)<\/th><th>Valley<\/th><th>Recovery<\/th><th>Depth<\/th>/);
  assert.match(dd, /2022-\d\d-\d\d UTC/);
  assert.match(dd, /[−-]19\.94%/);
  const yearly = r.sections.find((s) => s.id === "yearly")!.html;
  assert.equal(yearly.match(/<tr><td>20\d\d<\/td>/g)?.length, 3, "2022, 2023, 2024");
  assert.match(yearly, /[+−-]\d+\.\d\d pp/);
  assert.match(html, /stopLoss off · size=fraction 0\.5 · fee=0\.001/);
  assert.doesNotMatch(html, /null/);
  // A run over two years: no short-run caveat.
  assert.doesNotMatch(html, /short-run/);
  assert.deepEqual(r.sections.map((s) => s.id), [
    "summary",
    "equity",
    "stats",
    "drawdowns",
    "yearly",
    "rolling",
    "returns",
    "trades",
    "manifest",
  ]);
});

Deno.test("renderRunReport: annualized stats of a run shorter than a year carry a caveat", () => {
  const stats = renderRunReport(view(120)).sections.find((s) => s.id === "stats")!.html;
  assert.match(stats, /id="short-run">† Annualized: this run spans 119 days, less than a year/);
  assert.match(stats, /<td>1\.20 †<\/td>/); // Sharpe is annualized
});

Deno.test("renderRunReport: walk-forward folds with an undefined out-of-sample metric show n/a, never throw", () => {
  const folds = walkForwardFolds({
    metric: "sharpe",
    folds: [1, 2].map((k) => ({
      fold: k - 1,
      trainStart: Date.UTC(2022, 0, k),
      trainEnd: Date.UTC(2022, 5, k),
      testStart: Date.UTC(2022, 5, k + 1),
      testEnd: Date.UTC(2022, 8, k),
      params: { fast: 5 * k },
      inSample: 1,
      outOfSample: k === 2 ? null : 0.5,
      oosStats: { trades: k === 2 ? 0 : 3, total_return: 0.01 },
    })),
  });
  const r = renderRunReport(view(400, { kind: "walk_forward", walkForward: { folds, metric: "sharpe" } }));
  const wf = r.sections.find((s) => s.id === "walk-forward")!.html;
  assert.match(wf, /<table id="folds">/);
  assert.match(wf, /n\/a <span class="note">\(no trades\)<\/span>/);
  assert.match(wf, /leaves out fold 2: n\/a/);
  assert.match(wf, /stitched out-of-sample 1\.20/);
  assert.throws(() => renderRunReport(view(10), { maxTrades: -1 }), /maxTrades must be a whole number >= 0, got -1/);
});

/** Points drawn by one SVG path: each M or L command is one vertex. */
function pathPoints(d: string): number {
  return (d.match(/[ML]/g) ?? []).length;
}

Deno.test("renderRunReport: a 1M-bar run draws every figure from a decimated series, extremes exact", () => {
  const n = 1_000_000, MIN = 60_000;
  const ts = Float64Array.from({ length: n }, (_, i) => Date.UTC(2023, 0, 1) + i * MIN);
  const close = Float64Array.from(ts, (_, i) => 100 + 10 * Math.sin(i / 20_000) + i / 50_000);
  const equity = Float64Array.from(close, (c) => c * 100);
  equity[654_321] = 30_000; // a one-bar peak, then the deepest trough one bar later
  equity[654_322] = 4_000;
  let peak = -Infinity;
  const drawdown = Float64Array.from(equity, (e) => (peak = Math.max(peak, e), e / peak - 1));
  const volume = Float64Array.from(close, (_, i) => 1 + (i % 7));
  const frame = new Frame(ts, { close, volume });
  const v = view(3, {
    equity: { ts, equity, drawdown, benchmark: Float64Array.from(close, (c) => c * 90) },
    price: { frame, overlays: [{ name: "SMA", values: close }] },
    manifest: { timeframe: "1m", periods_per_year: 525_600 },
  });
  const html = renderRunReport(v).sections.map((s) => s.html).join("");
  const svgs = html.match(/<svg[\s\S]*?<\/svg>/g) ?? [];
  assert.ok(svgs.length >= 7, `${svgs.length} figures`);
  // The budget: 4 points per pixel column per line (M4), 812 columns in a 900 px figure; an area draws two edges.
  const line = 4 * (900 - 64 - 24);
  for (const svg of svgs) {
    const title = /<text[^>]*>([^<]*)<\/text>/.exec(svg)?.[1] ?? "?";
    let total = 0;
    for (const m of svg.matchAll(/ d="([^"]*)"/g)) {
      const k = pathPoints(m[1]!);
      assert.ok(k <= 2 * line, `${title}: a path of ${k} points`);
      total += k;
    }
    assert.ok(total <= 5 * line, `${title}: ${total} points in all`);
    // Volume is one rule per pixel column, not one per bar.
    assert.ok((svg.match(/<line/g) ?? []).length <= 2 * line, `${title}: too many rules`);
  }
  // The trough is computed on the full series, and the equity axis reaches the one-bar peak.
  assert.match(html, /Max drawdown −86\.7% on 2024-03-30 09:22 UTC/);
  assert.ok(html.includes("30,000"), "equity axis reaches the one-bar peak");
});

Deno.test("renderRunReport: the figures computed as they draw (rolling, exposure, drawdown, histogram) are those of the full series", () => {
  const n = 200_000, MIN = 60_000;
  const ts = Float64Array.from({ length: n }, (_, i) => Date.UTC(2023, 0, 1) + i * MIN);
  let s = 9;
  const rand = () => (s = (s * 1664525 + 1013904223) >>> 0) / 2 ** 32;
  const close = new Float64Array(n);
  const equity = new Float64Array(n);
  close[0] = 100, equity[0] = 10_000;
  for (let i = 1; i < n; i++) {
    close[i] = close[i - 1]! * (1 + (rand() - 0.5) * 0.004);
    // Flat stretches (no position) give zero-variance windows: NaN rolling values.
    equity[i] = i % 50_000 < 3_000 ? equity[i - 1]! : equity[i - 1]! * (1 + (rand() - 0.5) * 0.003);
  }
  const benchmark = Float64Array.from(close, (c) => c * 100);
  // Overlapping long and short trades, one still open, one entering outside the bars.
  const trades = [
    [10, 5_000, 1.5, "long"],
    [2_000, 9_000, 0.7, "short"],
    [5_000, 5_000, 0.3, "long"],
    [
      120_000,
      -1,
      2,
      "long",
    ],
    [n + 5, -1, 1, "short"],
    [60_000, 190_000, 0.25, "short"],
  ].map(([entryIndex, exitIndex, size, direction]) => ({
    entryIndex,
    exitIndex,
    size,
    direction,
    entryTs: ts[entryIndex as number] ?? NaN,
    exitTs: ts[exitIndex as number] ?? NaN,
    entryPrice: 100,
    exitPrice: 101,
    pnl: 1,
    return: 0.01,
    bars: 1,
    exitReason: "signal",
  })) as unknown as Trade[];
  const frame = new Frame(ts, { close });
  const v = view(3, {
    equity: { ts, equity, benchmark },
    price: { frame, overlays: [] },
    trades,
    manifest: { timeframe: "1m", periods_per_year: 525_600 },
  });
  const html = renderRunReport(v).sections.map((x) => x.html).join("");
  const window = 126;
  const r = returnsFromEquity(equity), rb = returnsFromEquity(benchmark);
  const rts = ts.subarray(1);
  let peak = -Infinity;
  const drawdown = Float64Array.from(equity, (e) => (peak = Math.max(peak, e), peak > 0 ? e / peak - 1 : NaN));
  // Exposure as a per-bar delta array.
  const delta = new Float64Array(n + 1);
  for (const t of trades) {
    const signed = t.direction === "short" ? -t.size : t.size;
    if (t.entryIndex < 0 || t.entryIndex >= n) continue;
    delta[t.entryIndex]! += signed;
    delta[t.exitIndex < 0 ? n : Math.min(n, t.exitIndex)]! -= signed;
  }
  const exposure = new Float64Array(n);
  let pos = 0;
  for (let i = 0; i < n; i++) {
    pos += delta[i]!;
    exposure[i] = equity[i]! > 0 ? (pos * close[i]!) / equity[i]! : NaN;
  }
  const expected = {
    drawdown: drawdownFigure({ ts, drawdown, height: 160 }),
    sharpe: rollingSharpeFigure({
      ts: rts,
      values: rollingSharpe(r, { window, periodsPerYear: 525_600 }),
      window,
      height: 180,
    }),
    beta: seriesFigure({
      ts: rts,
      lines: [{ label: "Beta to buy and hold", values: rollingBeta(r, rb, window) }],
      rules: [0, 1],
      yLabel: "Beta",
      title: `Rolling beta (${window} bars)`,
      height: 180,
    }),
    exposure: seriesFigure({
      ts,
      lines: [{ label: "Invested share of equity", values: exposure }],
      rules: [0],
      percent: true,
      yLabel: "Exposure",
      title: "Exposure over time",
      subtitle: "Position value at the close over equity; above 100 % is leverage, below 0 is short",
      height: 160,
    }),
    histogram: returnsHistogramFigure({ returns: r, title: "Bar returns (1m)" }),
  };
  for (const [name, fig] of Object.entries(expected)) assert.ok(html.includes(fig.toHtml()), name);
});
