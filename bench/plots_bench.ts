// Rendering long series: M4 decimation and whole figures at 1,000,000 bars (1-minute bars, ~1.9 years).
// Run: ./denow bench -A bench/plots_bench.ts
import { decimate, drawdownFigure, equityFigure, priceFigure, qualityTimelineFigure } from "../lib/plots/mod.ts";
import { runBacktest } from "../lib/backtest/mod.ts";
import { renderRunReport, runReportViewFromBacktest } from "../lib/report/mod.ts";
import { SMA_X_990_OPTIONS, syntheticFrame } from "./_fixtures/sma_x_990.ts";

const N = 1_000_000;
const ts = Float64Array.from({ length: N }, (_, i) => Date.UTC(2023, 0, 1) + i * 60_000);
const equity = new Float64Array(N);
const benchmark = new Float64Array(N);
let s = 42;
const rand = (): number => (s = (s * 1664525 + 1013904223) >>> 0) / 2 ** 32;
equity[0] = 10_000;
benchmark[0] = 20_000;
for (let i = 1; i < N; i++) {
  equity[i] = equity[i - 1]! * (1 + (rand() - 0.4999) * 0.002);
  benchmark[i] = benchmark[i - 1]! * (1 + (rand() - 0.4999) * 0.003);
}
const drawdown = new Float64Array(N);
let peak = -Infinity;
for (let i = 0; i < N; i++) {
  peak = Math.max(peak, equity[i]!);
  drawdown[i] = equity[i]! / peak - 1;
}
const sma = (w: number): Float64Array => {
  const out = new Float64Array(N).fill(NaN);
  let sum = 0;
  for (let i = 0; i < N; i++) {
    sum += benchmark[i]! - (i >= w ? benchmark[i - w]! : 0);
    if (i >= w - 1) out[i] = sum / w;
  }
  return out;
};
const sma200 = sma(200), sma1000 = sma(1000);

Deno.bench("decimate 1M points to 812 buckets (M4)", { group: "decimate", baseline: true }, () => {
  decimate(ts, equity, { buckets: 812 });
});

Deno.bench("equityFigure 1M bars", { group: "figures", baseline: true }, () => {
  equityFigure({ ts, equity });
});

Deno.bench("equityFigure 1M bars + benchmark", { group: "figures" }, () => {
  equityFigure({ ts, equity, benchmark });
});

Deno.bench("drawdownFigure 1M bars", { group: "figures" }, () => {
  drawdownFigure({ ts, drawdown });
});

Deno.bench("priceFigure 1M bars + 2 overlays", { group: "figures" }, () => {
  priceFigure({
    ts,
    close: benchmark,
    overlays: [{ name: "SMA 200", values: sma200 }, { name: "SMA 1000", values: sma1000 }],
  });
});

Deno.bench("qualityTimelineFigure 1M bars", { group: "figures" }, () => {
  qualityTimelineFigure({ ts, gaps: [], first: ts[0]!, last: ts[N - 1]! });
});

// The whole report.html of a 1M-bar SMA cross run (15,831 trades): every figure of renderRunReport, the metrics
// behind them (monthly, rolling Sharpe and beta, exposure, histogram) and the tables; the run itself is set up once.
const runFrame = syntheticFrame(N);
const run = await runBacktest({
  frame: runFrame,
  strategy: "sma_cross",
  params: { fast: 10, slow: 40 },
  options: SMA_X_990_OPTIONS,
});
const runView = runReportViewFromBacktest(run, { frame: runFrame });

Deno.bench("renderRunReport 1M bars (report.html of an SMA cross run)", { group: "report", n: 5, warmup: 1 }, () => {
  renderRunReport(runView);
});

Deno.bench("runReportViewFromBacktest + renderRunReport 1M bars (what backtestReport does)", {
  group: "report",
  n: 5,
  warmup: 1,
}, () => {
  renderRunReport(runReportViewFromBacktest(run, { frame: runFrame }));
});
