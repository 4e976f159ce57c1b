import assert from "node:assert/strict";
import { batchReport, type BatchReportSeries } from "./batch_report.ts";

const rows = [
  { fast: 5, slow: 20, final_equity: 10_100 },
  { fast: 5, slow: 50, final_equity: 10_900 },
  { fast: 10, slow: 50, final_equity: 9_800 },
];
const series = (label: string, n = rows.length): BatchReportSeries => ({
  label,
  bars: 500,
  first: Date.UTC(2024, 0, 1),
  last: Date.UTC(2024, 0, 2, 17, 35),
  combos: n,
  skipped: 3 - n,
  best: n ? { params: { fast: 5, slow: 50 }, value: 10_900, stats: { total_return: 0.09, trades: 4 } } : null,
  rows: rows.slice(0, n),
});

Deno.test("batchReport: the best per series, one heatmap per series with rows, a note for one without", () => {
  const html = batchReport({
    strategy: "sma_cross",
    metric: "final_equity",
    varying: ["fast", "slow"],
    series: [series("samples:A/B:5m"), series("samples:<C>:5m", 0), series("csv:D:5m")],
    notes: ["grid: fast=5,10 slow=20,50"],
  });
  assert.match(html, /<title>Batch: sma_cross over 3 series<\/title>/);
  assert.equal(html.match(/<figure class="sentinel-figure"/g)?.length, 2);
  assert.match(html, /<h3 id="series-samples-c-5m">samples:&lt;C&gt;:5m<\/h3>\n<p class="note">No valid combination/);
  assert.match(html, /fast=5 · slow=50/);
  assert.match(html, /2024-01-02 17:35 UTC/);
  assert.match(html, /grid: fast=5,10 slow=20,50/);
  assert.ok(!/<script|src="http/.test(html));
});

Deno.test("batchReport: a grid that does not vary two params gets a note instead of heatmaps", () => {
  for (const varying of [[], ["fast"], ["fast", "slow", "stop"]]) {
    const html = batchReport({ strategy: "sma_cross", metric: "final_equity", varying, series: [series("x:Y:1h")] });
    assert.equal(html.match(/<figure/g)?.length ?? 0, 0);
    assert.match(html, new RegExp(`No heatmaps: the grid varies ${varying.length} param`));
  }
});
