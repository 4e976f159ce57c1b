import assert from "node:assert/strict";
import { runBacktest } from "../backtest/mod.ts";
import { Frame } from "../frame/mod.ts";
import { backtestReport } from "./backtest_report.ts";

const DAY = 86_400_000;

function frameOf(close: number[], start = Date.UTC(2024, 0, 1)): Frame {
  const c = Float64Array.from(close);
  return new Frame(Float64Array.from(c, (_, i) => start + i * DAY), { open: c, high: c, low: c, close: c, volume: c });
}

Deno.test("report: stats from the registry, every trade, quality warnings, manifest, all escaped", async () => {
  // A zig-zag: SMA(1) over SMA(2) crosses every few bars, so there are several trades.
  const close = Array.from({ length: 90 }, (_, i) => 100 + 10 * Math.sin(i));
  const frame = frameOf(close);
  const gappy = new Frame(
    Float64Array.from(frame.ts).map((t, i) => (i >= 45 ? t + 5 * DAY : t)),
    frame.columns as Record<string, Float64Array>,
  );
  const r = await runBacktest({
    frame: gappy,
    strategy: "sma_cross",
    params: { fast: 1, slow: 2 },
    options: { fill: "close" },
    timeframe: "1d",
    calendar: "24/7",
  });
  assert.ok(r.trades.length > 5);
  const html = backtestReport(r, { frame: gappy, title: "<b>x</b> & y", maxTrades: 3, notes: ["from <file>"] });
  assert.match(html, /<title>&lt;b&gt;x&lt;\/b&gt; &amp; y<\/title>/);
  assert.match(html, /from &lt;file&gt;/);
  assert.ok(!html.includes("<b>x</b>"));
  assert.match(html, /Sharpe ratio|Sharpe/);
  assert.match(html, /Max drawdown/);
  // The gap of 5 days is reported, not hidden.
  assert.match(html, /<div class="warn" id="quality"><b>Data quality<\/b><ul><li>1 gap/);
  // maxTrades: 3 rows and a note pointing at trades.csv.
  const tradeRows = html.split('<div class="scroll">')[1]!.split("</table>")[0]!.match(/<tr>/g)!.length - 1;
  assert.equal(tradeRows, 3);
  assert.match(html, new RegExp(`Showing the first 3 of ${r.trades.length} trades`));
  assert.ok(html.includes(r.manifest.id));
  assert.ok(!html.includes("not drawn"));
});

Deno.test("report without trades or a frame still renders, and a figure that cannot be drawn becomes a note", async () => {
  const r = await runBacktest({ frame: frameOf([1, 1, 1, 1, 1]), strategy: "sma_cross", params: { fast: 1, slow: 2 } });
  assert.equal(r.trades.length, 0);
  const html = backtestReport(r);
  assert.match(html, /No trades\./);
  // Flat equity: no monthly or return variation, but figures still come out (or notes, never a throw).
  assert.equal(
    (html.match(/<figure class="sentinel-figure"/g) ?? []).length + (html.match(/not drawn/g) ?? []).length,
    4,
  );
  assert.throws(() => backtestReport(r, { maxTrades: -1 }), /maxTrades must be a whole number >= 0, got -1/);
});
