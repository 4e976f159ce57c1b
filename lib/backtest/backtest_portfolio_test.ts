import assert from "node:assert/strict";
import { Frame } from "../frame/mod.ts";
import { runPortfolioBacktest } from "./backtest_portfolio.ts";

const m5 = 300_000;

/** A frame with bars at the given 5-minute slots (open = high = low = close). */
function frame(slots: number[], closes: number[]): Frame {
  const close = Float64Array.from(closes);
  const ts = Float64Array.from(slots, (s) => s * m5);
  return new Frame(ts, { open: close, high: close, low: close, close, volume: new Float64Array(close.length).fill(1) });
}

Deno.test("runPortfolioBacktest: frames with different bars are expanded onto the union timeline", async () => {
  // b lacks slot 2 and starts one slot late. On the union timeline [0..5]:
  // a: 10 11 12 13 12 11        b: NaN 20 NaN 22 26 28
  // lookback 1, every 1, k 1, fill close:
  //  bar 1: a +10%, b undefined (no bar 0)      -> a
  //  bar 2: a +9.1%, b undefined (missing now)  -> a
  //  bar 3: a +8.3%, b undefined (missing then) -> a
  //  bar 4: a -7.7%, b +18.2%                   -> b (sell a at 12, buy b at 26)
  //  bar 5: a -8.3%, b +7.7%                    -> b
  const a = frame([0, 1, 2, 3, 4, 5], [10, 11, 12, 13, 12, 11]);
  const b = frame([1, 3, 4, 5], [20, 22, 26, 28]);
  const r = await runPortfolioBacktest({
    frames: { a, b },
    strategy: "momentum_rotation",
    params: { lookback: 1, every: 1, k: 1 },
    options: { fill: "close" },
    series: {
      a: { exchange: "samples", symbol: "A/BTC", timeframe: "5m" },
      b: { exchange: "samples", symbol: "B/BTC", timeframe: "5m" },
    },
  });
  assert.deepEqual([...r.sim.ts], [0, 1, 2, 3, 4, 5].map((s) => s * m5));
  assert.equal(r.sim.missing.b!.count, 1);
  assert.deepEqual(r.sim.missing.b!.first, [2 * m5]);
  assert.equal(r.sim.missing.b!.before, 1);
  // 10,000 / 11 units of a, sold at 12, then b bought at 26 and marked/closed at 28.
  const final = 10_000 / 11 * 12 / 26 * 28;
  assert.ok(Math.abs(r.stats.final_equity! - final) < 1e-9, `${r.stats.final_equity} vs ${final}`);
  assert.deepEqual(r.orders.map((o) => [o.asset, o.side, o.index]), [
    ["a", "buy", 1],
    ["a", "sell", 4],
    ["b", "buy", 4],
    ["b", "sell", 5],
  ]);
  const m = r.manifest;
  assert.deepEqual(m.data.map((d) => d.series), ["samples:A/BTC:5m", "samples:B/BTC:5m"]);
  assert.equal(m.data[1]!.quality.gapCount, 1);
  assert.equal(m.timeframe, "5m");
  assert.equal(m.periods_per_year, 105_120);
  // Equal-weight buy and hold starts when both have a price (bar 1): (11/11 + 20/20) / 2.
  assert.ok(Number.isNaN(r.benchmark![0]));
  assert.equal(r.benchmark![1], 10_000);
  assert.equal(r.benchmark![2], 10_000 * (12 / 11 + 1) / 2);
});

Deno.test("runPortfolioBacktest: same manifest, same result; single-asset strategies are refused", async () => {
  const a = frame([0, 1, 2, 3, 4, 5, 6, 7], [10, 11, 12, 13, 12, 11, 12, 14]);
  const b = frame([0, 1, 2, 3, 4, 5, 6, 7], [20, 19, 22, 24, 26, 28, 27, 26]);
  const run = () =>
    runPortfolioBacktest({ frames: { a, b }, strategy: "momentum_rotation", params: { lookback: 2, every: 2 } });
  const x = await run(), y = await run();
  assert.equal(x.manifest.id, y.manifest.id);
  assert.deepEqual(x.stats, y.stats);
  await assert.rejects(() => runPortfolioBacktest({ frames: { a }, strategy: "sma_cross" }), /use runBacktest/);
  await assert.rejects(() => runPortfolioBacktest({ frames: {}, strategy: "momentum_rotation" }), /at least one frame/);
});
