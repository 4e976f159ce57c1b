import assert from "node:assert/strict";
import { Frame } from "../frame/mod.ts";
import { defineStrategy, momentumRotation, smaCross } from "../strategies/mod.ts";
import { JUPYTER_DISPLAY } from "../types/mod.ts";
import { runBacktest } from "./backtest.ts";
import { randomFrame } from "./_testing.ts";

const day = 86_400_000;

function daily(closes: number[]): Frame {
  const close = Float64Array.from(closes);
  const ts = Float64Array.from(closes, (_, i) => Date.UTC(2024, 0, 1) + i * day);
  return new Frame(ts, {
    open: close,
    high: close,
    low: close,
    close,
    volume: new Float64Array(closes.length).fill(1),
  });
}

Deno.test("runBacktest: same manifest, identical result (stats, trades, orders, id)", async () => {
  const frame = randomFrame(2000, 7);
  const run = () =>
    runBacktest({
      frame,
      strategy: "sma_cross",
      params: { fast: 5, slow: 20 },
      options: { fee: 0.001, spread: 0.0005 },
      timeframe: "1m",
      calendar: "24/7",
    });
  const a = await run(), b = await run();
  assert.equal(a.manifest.id, b.manifest.id);
  assert.deepEqual(a.stats, b.stats);
  assert.deepEqual(a.trades, b.trades);
  assert.deepEqual(a.orders, b.orders);
  assert.ok(a.trades.length > 5);
  // Anything in the manifest changes the id; created_at does not count.
  const c = await runBacktest({
    frame,
    strategy: "sma_cross",
    params: { fast: 5, slow: 20 },
    options: { fee: 0.001, spread: 0.0005, slippage: 0.0001 },
    timeframe: "1m",
    calendar: "24/7",
  });
  assert.notEqual(c.manifest.id, a.manifest.id);
});

Deno.test("runBacktest: hand-worked sma_cross run, manifest and JSON", async () => {
  // SMA3 from bar 2: 4, 3.67, 4, 5, 5.33, 5, 4; the close crosses above it on bar 3 (4 > 3.67)
  // and below on bar 6 (5 < 5.33). fill close, fee 0.1%: buy 10,000 / (4 * 1.001) units at 4,
  // sell them at 5 less 0.1%.
  const frame = daily([5, 4, 3, 4, 5, 6, 5, 4, 3]);
  const r = await runBacktest({
    frame,
    strategy: smaCross,
    params: { fast: 1, slow: 3 },
    options: { fill: "close", fee: 0.001 },
  });
  const units = 10_000 / (4 * 1.001);
  const final = units * 5 * 0.999;
  assert.ok(Math.abs(r.stats.final_equity! - final) < 1e-9);
  assert.ok(Math.abs(r.stats.total_return! - (final / 10_000 - 1)) < 1e-12);
  assert.equal(r.stats.trades, 1);
  assert.equal(r.stats.entries, 1);
  assert.equal(r.trades[0]!.entryIndex, 3);
  assert.equal(r.trades[0]!.exitIndex, 6);
  const m = r.manifest;
  assert.equal(m.strategy.name, "sma_cross");
  assert.match(m.strategy.code_hash, /^[0-9a-f]{64}$/);
  assert.deepEqual(m.params, { fast: 1, slow: 3 });
  assert.equal(m.options.fill, "close");
  assert.equal(m.options.stopLoss, null);
  assert.equal(m.data.length, 1);
  assert.equal(m.data[0]!.bars, 9);
  assert.equal(m.data[0]!.first, frame.ts[0]);
  assert.equal(m.data[0]!.quality.rows, 9);
  // Every day present (weekends too): a 24/7 calendar, 365 periods.
  assert.equal(m.calendar, "24/7");
  assert.equal(m.periods_per_year, 365);
  assert.equal(m.annualization, "timeframe");
  assert.equal(m.benchmark, "buy_and_hold");
  assert.equal(typeof m.created_at, "string");
  const json = JSON.parse(JSON.stringify(r));
  assert.deepEqual(Object.keys(json).sort(), ["final_equity", "manifest", "stats", "trades"]);
  assert.equal(json.trades, 1);
  assert.equal(json.manifest.id, m.id);
  const t = r.equityTable();
  assert.deepEqual(t.schema.fields.map((f) => f.name), ["ts", "equity", "drawdown", "benchmark"]);
  // Buy and hold of the close scaled to the cash: 10,000 * 3 / 5 at the end.
  assert.equal(t.getChild("benchmark")!.get(8), 6000);
  const shown = await r[JUPYTER_DISPLAY]();
  assert.match(shown["text/html"]!, /<table class="sentinel-stats">/);
  assert.match(shown["text/html"]!, /<svg/);
});

Deno.test("runBacktest: explicit periodsPerYear, riskFree and no benchmark are recorded", async () => {
  const frame = daily([5, 4, 3, 4, 5, 6, 5, 4, 3]);
  const r = await runBacktest({
    frame,
    strategy: "sma_cross",
    params: { fast: 1, slow: 3 },
    periodsPerYear: 252,
    riskFree: 0.02,
    benchmark: false,
    series: { exchange: "samples", symbol: "X", timeframe: "1d" },
  });
  assert.equal(r.manifest.periods_per_year, 252);
  assert.equal(r.manifest.annualization, "option");
  assert.equal(r.manifest.risk_free, 0.02);
  assert.equal(r.manifest.benchmark, null);
  assert.equal(r.manifest.data[0]!.series, "samples:X:1d");
  assert.ok(Number.isNaN(r.stats.beta));
  assert.deepEqual(r.equityTable().schema.fields.map((f) => f.name), ["ts", "equity", "drawdown"]);
});

Deno.test("runBacktest: bad inputs throw with the fix in the message", async () => {
  const frame = daily([5, 4, 3, 4, 5]);
  await assert.rejects(() => runBacktest({ frame, strategy: "nope" }), /unknown strategy "nope"/);
  await assert.rejects(
    () => runBacktest({ frame, strategy: momentumRotation as never }),
    /portfolio strategy .*use runPortfolioBacktest/,
  );
  await assert.rejects(() => runBacktest({ frame, strategy: "sma_cross", params: { fast: 5, slow: 3 } }), /fast/);
  await assert.rejects(() => runBacktest({ frame, strategy: "sma_cross", options: { stoploss: 0.1 } as never }));
  await assert.rejects(
    () => runBacktest({ frame, strategy: "sma_cross", benchmark: new Float64Array(2) }),
    /Float64Array of the frame's length 5/,
  );
  const one = new Frame(Float64Array.of(0), { close: Float64Array.of(1) });
  await assert.rejects(() => runBacktest({ frame: one, strategy: "sma_cross" }), /pass timeframe/);
});

Deno.test("runBacktest: a custom strategy object runs and its code hash differs from the built-in", async () => {
  const mine = defineStrategy({ ...smaCross, name: "my_cross" });
  const frame = randomFrame(300, 3);
  const a = await runBacktest({ frame, strategy: mine, params: { fast: 3, slow: 9 }, timeframe: "1m" });
  const b = await runBacktest({ frame, strategy: "sma_cross", params: { fast: 3, slow: 9 }, timeframe: "1m" });
  assert.deepEqual(a.stats, b.stats);
  assert.notEqual(a.manifest.strategy.code_hash, b.manifest.strategy.code_hash);
});
