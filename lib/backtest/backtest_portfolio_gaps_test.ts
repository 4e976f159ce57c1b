// Issue 7, item 17: with next_open fills, an order decided on a bar where an asset has no bar
// is not dropped; it fills at the next open where the asset trades (the order is pending).
import assert from "node:assert/strict";
import { Frame } from "../frame/mod.ts";
import { runPortfolioBacktest } from "./backtest_portfolio.ts";
import { simulatePortfolio } from "./simulate_portfolio.ts";

const DAY = 86_400_000;

/** Daily frame with open = high = low = close; `skip` rows left out (gaps). */
function daily(close: number[], skip: number[] = []): Frame {
  const rows = close.map((c, i) => [i * DAY, c] as const).filter((_, i) => !skip.includes(i));
  const c = Float64Array.from(rows, (r) => r[1]);
  return new Frame(Float64Array.from(rows, (r) => r[0]), {
    open: c,
    high: c,
    low: c,
    close: c,
    volume: new Float64Array(c.length).fill(1),
  });
}

// a flat at 10 for 6 days; b 10, 12, 13, (day 3 missing), 14, 7.
const A = () => daily([10, 10, 10, 10, 10, 10]);
const B = () => daily([10, 12, 13, NaN, 14, 7], [3]);
const run = (fill: "next_open" | "close") =>
  runPortfolioBacktest({
    frames: { a: A(), b: B() },
    strategy: "momentum_rotation",
    params: { lookback: 1, k: 1, every: 1 },
    options: { fill, finalize: "open" },
  });

Deno.test("next_open: an order decided where b has no bar fills at b's next open (item 17 reproduction)", async () => {
  const r = await run("next_open");
  // Day 1 picks b (+20%): buys 10,000 / 13 at day 2's open. Day 3 (b missing) picks a: b is sold at
  // day 4's open, 14, and a bought with the proceeds; a stays flat: 10,000 * 14 / 13.
  const sells = r.sim.orders.filter((o) => o.asset === "b" && o.side === "sell");
  assert.deepEqual(sells.map((o) => [o.index, o.price]), [[4, 14]]);
  assert.equal(Math.round(r.sim.finalEquity * 100) / 100, 10_769.23);
  assert.ok(Math.abs(r.sim.finalEquity - 10_000 * 14 / 13) < 1e-6);
  assert.equal(r.sim.skipped.missingBar, 0);
});

Deno.test("fill close: an order decided where b has no bar cannot fill there (item 17, unchanged)", async () => {
  const r = await run("close");
  // Day 1 buys b at 12 (833.33 units); day 3's decision cannot trade b (no close); day 4 sells at 14.
  assert.equal(Math.round(r.sim.finalEquity * 100) / 100, 11_666.67);
  assert.equal(r.sim.skipped.missingBar, 1);
});

Deno.test("next_open: when the fill bar is missing, the order waits for the asset's next bar and fills at its open", () => {
  const a = daily([10, 10, 10, 10]);
  const b = daily([50, NaN, 60, 70], [1]);
  const w = (x: number[]) => ({ kind: "weights" as const, weights: Float64Array.from(x) });
  // Decided on bar 0 (union timeline), due at bar 1's open: a fills there, b has no bar 1 and
  // fills at bar 2's open (60), sized with the equity of that moment.
  const r = simulatePortfolio({ a, b }, { a: w([0.5, NaN, NaN, NaN]), b: w([0.5, NaN, NaN, NaN]) }, {
    cash: 1000,
    finalize: "open",
  });
  assert.deepEqual(r.orders.map((o) => [o.index, o.asset, o.side, o.price]), [
    [1, "a", "buy", 10],
    [2, "b", "buy", 60],
  ]);
  // Bar 2: E = 500 cash + 50 a * 10 = 1000; b target 0.5 * 1000 / 60 = 8.33 units.
  assert.ok(Math.abs(r.orders[1]!.size - 500 / 60) < 1e-9);
  assert.equal(r.skipped.missingBar, 0);
  // A newer decision for b replaces a pending one: the 0.2 of bar 1 wins over the 0.5 of bar 0.
  const s = simulatePortfolio({ a, b }, { a: w([0.5, NaN, NaN, NaN]), b: w([0.5, 0.2, NaN, NaN]) }, {
    cash: 1000,
    finalize: "open",
  });
  assert.deepEqual(s.orders.map((o) => [o.index, o.asset]), [[1, "a"], [2, "b"]]);
  assert.ok(Math.abs(s.orders[1]!.size - 200 / 60) < 1e-9);
  // An order still pending when the data ends (b never trades again) is counted as missingBar.
  const c = daily([50, 50], []);
  const e = simulatePortfolio({ a, c }, { a: w([0.5, NaN, NaN, NaN]), c: w([NaN, 0.5, NaN, NaN]) }, {
    cash: 1000,
    finalize: "open",
  });
  assert.deepEqual(e.orders.map((o) => o.asset), ["a"]);
  assert.equal(e.skipped.missingBar, 1);
});

Deno.test("next_open with per-asset signals: an exit decided where the asset has no bar fills at its next open", () => {
  const a = daily([10, 10, 10, 10]);
  const b = daily([50, 55, NaN, 70], [2]);
  const u8 = (x: number[]) => Uint8Array.from(x);
  // Union-aligned signals: b enters on bar 0 (fills at bar 1's open, 55) and exits on bar 2, where b
  // has no bar; the exit fills at bar 3's open (70).
  const r = simulatePortfolio(
    { a, b },
    {
      a: { kind: "signals", entries: u8([0, 0, 0, 0]), exits: u8([0, 0, 0, 0]) },
      b: { kind: "signals", entries: u8([1, 0, 0, 0]), exits: u8([0, 0, 1, 0]) },
    },
    { cash: 1000, size: { kind: "fraction", value: 0.5 } },
  );
  assert.deepEqual(r.orders.map((o) => [o.index, o.asset, o.side, o.price]), [
    [1, "b", "buy", 55],
    [3, "b", "sell", 70],
  ]);
  assert.equal(r.skipped.missingBar, 0);
});
