import assert from "node:assert/strict";
import { Frame } from "../frame/mod.ts";
import { simulate } from "./simulate.ts";
import { simulatePortfolio } from "./simulate_portfolio.ts";
import type { BacktestOptionsInput } from "./backtest_options.ts";
import { near, prng, randomFrame } from "./_testing.ts";

const frame = (ts: number[], close: number[]): Frame =>
  new Frame(Float64Array.from(ts), { open: Float64Array.from(close), close: Float64Array.from(close) });
const w = (x: number[]) => ({ kind: "weights" as const, weights: Float64Array.from(x) });

Deno.test("weights rebalance: sells first, then buys scaled pro rata to the cash left; fees and lots applied", () => {
  const r = simulatePortfolio(
    { a: frame([0, 1], [10, 20]), b: frame([0, 1], [20, 10]) },
    { a: w([0.5, 0.25]), b: w([0.5, 0.75]) },
    { fill: "close", fee: 0.01, lot: 1, cash: 1000, finalize: "open" },
  );
  // Bar 0, E = 1000. a wants 0.5 * 1000 / 10 = 50 units, b 0.5 * 1000 / 20 = 25: 1010 with fees.
  //   One factor s = 1000 / 1010 for both: a 49.50 -> 49, b 24.75 -> 24; cash 1000 - 970 * 1.01 = 20.3.
  // Bar 1, E = 20.3 + 49 * 20 + 24 * 10 = 1240.3.
  //   Sell first: a target 0.25 * 1240.3 / 20 = 15.50 -> sell 33.50 -> 33 lots; +660 - 6.6 -> cash 673.7.
  //   Then b: target 0.75 * 1240.3 / 10 = 93.02 -> buy 69.02 -> 69 lots (696.9 with fees); s = 673.7 / 696.9
  //   -> 66.70 -> 66; 660 + 6.6 -> cash 7.1. Equity 7.1 + 16 * 20 + 90 * 10 = 1227.1.
  assert.deepEqual(r.orders.map((o) => [o.index, o.asset, o.side, o.size, o.reason]), [
    [0, "a", "buy", 49, "entry"],
    [0, "b", "buy", 24, "entry"],
    [1, "a", "sell", 33, "rebalance"],
    [1, "b", "buy", 66, "entry"],
  ]);
  near(r.cash[0]!, 20.3);
  near(r.cash[1]!, 7.1);
  assert.deepEqual([r.positions.a![1], r.positions.b![1]], [16, 90]);
  near(r.finalEquity, 1227.1);
  near(r.feesPaid, 4.9 + 4.8 + 6.6 + 6.6);
  assert.equal(r.trades.length, 2);
  assert.ok(r.trades.every((t) => t.exitReason === "open"));
});

Deno.test("a missing bar is reported, not traded, and the asset is marked at its last close", () => {
  const a = frame([0, 1, 2, 3], [10, 10, 10, 10]);
  const b = frame([0, 2, 3], [50, 60, 70]);
  const r = simulatePortfolio(
    { a, b },
    // Weights on the union timeline: b has a weight on bar 1, where it has no bar.
    { a: w([0.5, NaN, NaN, NaN]), b: w([0.5, 0.2, NaN, NaN]) },
    { fill: "close", cash: 1000, finalize: "open" },
  );
  assert.deepEqual([...r.ts], [0, 1, 2, 3]);
  assert.deepEqual(r.missing.b, { count: 1, first: [1], before: 0, after: 0 });
  assert.deepEqual(r.missing.a, { count: 0, first: [], before: 0, after: 0 });
  assert.equal(r.skipped.missingBar, 1);
  // 50 a and 10 b at bar 0, nothing at bar 1. Bar 1 marks b at its last close 50: 500 + 500 = 1000.
  // Bar 2: 500 + 10 * 60 = 1100; bar 3: 500 + 700 = 1200.
  assert.deepEqual([...r.equity], [1000, 1000, 1100, 1200]);
  assert.deepEqual([...r.positions.b!], [10, 10, 10, 10]);
});

Deno.test("next_open: an order due on an asset's missing bar waits for its next bar (pending)", () => {
  const a = frame([0, 1, 2], [10, 10, 10]);
  const b = frame([0, 2], [50, 50]);
  const r = simulatePortfolio({ a, b }, { a: w([0.5, NaN, NaN]), b: w([0.5, NaN]) }, { cash: 1000 });
  // Decided on bar 0, due at bar 1's open: a fills (50 units), b has no bar 1 and fills at bar 2's
  // open; finalize then closes both.
  assert.deepEqual(r.orders.map((o) => [o.index, o.asset, o.reason]), [
    [1, "a", "entry"],
    [2, "b", "entry"],
    [2, "a", "end"],
    [2, "b", "end"],
  ]);
  assert.equal(r.skipped.missingBar, 0);
});

Deno.test("signals per asset share the cash: fraction sizing, exits before entries", () => {
  const s = (e: number[], x: number[]) => ({
    kind: "signals" as const,
    entries: Uint8Array.from(e),
    exits: Uint8Array.from(x),
  });
  const r = simulatePortfolio(
    { a: frame([0, 1, 2], [10, 20, 20]), b: frame([0, 1, 2], [10, 10, 5]) },
    { a: s([1, 0, 0], [0, 1, 0]), b: s([0, 1, 0], [0, 0, 0]) },
    { fill: "close", size: { kind: "fraction", value: 0.5 }, cash: 1000, finalize: "open" },
  );
  // Bar 0: a buys 0.5 * 1000 / 10 = 50. Bar 1: a exits at 20 first (cash 500 + 1000 = 1500), equity 1500,
  // then b buys 0.5 * 1500 / 10 = 75. Bar 2: 750 + 75 * 5 = 1125.
  assert.deepEqual(r.orders.map((o) => [o.index, o.asset, o.side, o.size, o.reason]), [
    [0, "a", "buy", 50, "entry"],
    [1, "a", "sell", 50, "signal"],
    [1, "b", "buy", 75, "entry"],
  ]);
  assert.deepEqual([...r.equity], [1000, 1500, 1125]);
  assert.equal(r.trades[0]!.pnl, 500);
});

Deno.test("weights through zero split into a close and an opening order", () => {
  const r = simulatePortfolio({ a: frame([0, 1], [10, 10]) }, { a: w([1, -0.5]) }, {
    fill: "close",
    direction: "both",
    cash: 100,
  });
  // 10 long, then target -5: sell 10 (close, rebalance) and sell 5 (entry); finalize buys 5 back.
  assert.deepEqual(r.orders.map((o) => [o.side, o.size, o.reason]), [
    ["buy", 10, "entry"],
    ["sell", 10, "rebalance"],
    ["sell", 5, "entry"],
    ["buy", 5, "end"],
  ]);
  assert.deepEqual(r.trades.map((t) => t.direction), ["long", "short"]);
  // direction long clamps the negative weight to 0: just the close.
  const l = simulatePortfolio({ a: frame([0, 1], [10, 10]) }, { a: w([1, -0.5]) }, { fill: "close", cash: 100 });
  assert.deepEqual(l.orders.map((o) => [o.side, o.size]), [["buy", 10], ["sell", 10]]);
});

Deno.test("one asset with signals gives the same equity as simulate (random data, many options)", () => {
  const rnd = prng(11);
  const f = randomFrame(800, 5);
  const n = f.length;
  const bits = (p: number) => Uint8Array.from({ length: n }, () => (rnd() < p ? 1 : 0));
  const s = {
    kind: "signals" as const,
    entries: bits(0.04),
    exits: bits(0.04),
    shortEntries: bits(0.04),
    shortExits: bits(0.04),
  };
  const sizes = [{ kind: "all" }, { kind: "fraction", value: 0.3 }, { kind: "cash", value: 400 }, {
    kind: "units",
    value: 7,
  }] as const;
  for (const fill of ["close", "next_open"] as const) {
    for (const direction of ["long", "short", "both"] as const) {
      for (const size of sizes) {
        for (const finalize of ["open", "close"] as const) {
          const o: BacktestOptionsInput = {
            fill,
            direction,
            size,
            finalize,
            fee: 0.002,
            fixedFee: 0.5,
            spread: 0.001,
            lot: 0.01,
            cash: 1000,
          };
          const a = simulate(f, s, o);
          const p = simulatePortfolio({ asset: f }, { asset: s }, o);
          assert.deepEqual([...p.equity], [...a.equity], JSON.stringify(o));
          assert.deepEqual(p.trades.map((t) => t.pnl), a.trades.map((t) => t.pnl));
          assert.deepEqual(p.skipped, a.skipped);
        }
      }
    }
  }
});

Deno.test("portfolio rejects stops without high/low, mismatched assets and misaligned signals", () => {
  const a = frame([0, 1], [1, 1]);
  assert.throws(() => simulatePortfolio({ a }, { a: w([1, 1]) }, { stopLoss: 0.1 }), /"a" has no high column/);
  assert.throws(() => simulatePortfolio({ a }, { b: w([1, 1]) }), /exactly the frames' assets/);
  assert.throws(() => simulatePortfolio({ a }, { a: w([1, 1, 1]) }), /expected 2 \(its frame\)/);
});

// ---- Review: edge cases, worked by hand ----

Deno.test("a NaN close is not a price: no order there, the asset stays marked at its last known close", () => {
  const r = simulatePortfolio(
    { a: frame([0, 1, 2], [10, NaN, 12]) },
    { a: w([1, 0.5, NaN]) },
    { fill: "close", cash: 100, finalize: "open" },
  );
  // Bar 0: 10 units at 10. Bar 1: the close is NaN, so the 0.5 rebalance is dropped (missingBar)
  // and equity is 10 * 10 = 100, not NaN. Bar 2: 10 * 12 = 120.
  assert.deepEqual([...r.equity], [100, 100, 120]);
  assert.equal(r.skipped.missingBar, 1);
  assert.equal(r.orders.length, 1);
});

Deno.test("an infinite weight is rejected with the asset, bar and value", () => {
  assert.throws(
    () => simulatePortfolio({ a: frame([0, 1], [10, 10]) }, { a: w([0.5, Infinity]) }, { fill: "close" }),
    (e: Error) => e instanceof RangeError && /"a".*\[1\] is Infinity/.test(e.message),
  );
});

Deno.test("signals per asset: values other than 0/1 are rejected", () => {
  const s = { kind: "signals" as const, entries: Uint8Array.from([0, 3]), exits: new Uint8Array(2) };
  assert.throws(() => simulatePortfolio({ a: frame([0, 1], [10, 10]) }, { a: s }), /entries of "a"\[1\] is 3/);
});

Deno.test("weights from short to long with fixedFee: the second order's fee is paid for, cash never negative", () => {
  const r = simulatePortfolio({ a: frame([0, 1], [10, 10]) }, { a: w([-1, 1]) }, {
    fill: "close",
    direction: "both",
    fixedFee: 1,
    cash: 100,
    finalize: "open",
  });
  // Bar 0: E = 100, target -10: sell 10 at 10, cash 100 + 100 - 1 = 199.
  // Bar 1: E = 199 - 100 = 99, target 9.9 units: buy 19.9. Cover 10 first: 199 - 100 - 1 = 98;
  // the opening buy pays its own fixed fee: (98 - 1) / 10 = 9.7 units, cash 98 - 97 - 1 = 0.
  assert.deepEqual(r.orders.map((o) => [o.side, o.size, o.reason]), [
    ["sell", 10, "entry"],
    ["buy", 10, "rebalance"],
    ["buy", 9.7, "entry"],
  ]);
  near(r.cash[1]!, 0);
  near(r.equity[1]!, 97);
});

// ---- Issue 7, item 18: buys when cash runs short, and fees larger than a sell's proceeds ----

Deno.test("cash short at a rebalance: buys are scaled pro rata, so the --data order does not matter", () => {
  const px = { a: [10, 10, 10], b: [20, 20, 20], c: [40, 40, 40] } as const;
  const ws = { a: [1 / 3, NaN, 1 / 3], b: [1 / 3, NaN, 1 / 3], c: [1 / 3, NaN, 1 / 3] } as const;
  const o: BacktestOptionsInput = { fill: "close", fee: 0.01, fixedFee: 1, cash: 3000, finalize: "open" };
  const run = (order: ("a" | "b" | "c")[]) => {
    const frames: Record<string, Frame> = {}, sig: Record<string, ReturnType<typeof w>> = {};
    for (const n of order) (frames[n] = frame([0, 1, 2], [...px[n]])), (sig[n] = w([...ws[n]]));
    return simulatePortfolio(frames, sig, o);
  };
  const r = run(["a", "b", "c"]);
  // Bar 0: each wants 1000 of value; with 1% fees and 1 fixed fee each that is 3033 > 3000 cash.
  // One factor s for all: s * 3000 * 1.01 + 3 = 3000 -> s = 2997 / 3030; each buys 1000 * s of value.
  const s = 2997 / 3030;
  near(r.positions.a![0]! * 10, 1000 * s);
  near(r.positions.b![0]! * 20, 1000 * s);
  near(r.positions.c![0]! * 40, 1000 * s);
  near(r.cash[0]!, 0);
  for (const order of [["c", "b", "a"], ["b", "c", "a"]] as ("a" | "b" | "c")[][]) {
    const p = run(order);
    for (const n of ["a", "b", "c"]) {
      for (let u = 0; u < 3; u++) near(p.positions[n]![u]!, r.positions[n]![u]!);
    }
    for (let u = 0; u < 3; u++) near(p.equity[u]!, r.equity[u]!);
  }
});

Deno.test("pro rata buys with lots: scaled first, then each rounded down to the lot", () => {
  const r = simulatePortfolio(
    { a: frame([0], [10]), b: frame([0], [10]) },
    { a: w([0.5]), b: w([0.5]) },
    { fill: "close", fee: 0.01, lot: 1, cash: 1000, finalize: "open" },
  );
  // Each wants 50 units (505 with fees); s = 1000 / 1010; 49.50 -> 49 units each, not 50 and 49.
  assert.deepEqual([r.positions.a![0], r.positions.b![0]], [49, 49]);
  near(r.cash[0]!, 1000 - 2 * 490 * 1.01);
});

Deno.test("a rebalance sell whose fixed fee exceeds its proceeds is skipped (minNotional), never ruins", () => {
  const r = simulatePortfolio({ a: frame([0, 1, 2], [1, 0.5, 0.5]) }, { a: w([1, 0, NaN]) }, {
    fill: "close",
    fixedFee: 1,
    cash: 2,
    finalize: "open",
  });
  // Bar 0: (2 - 1) / 1 = 1 unit, cash 0. Bar 1: selling it brings 0.5 and costs a fee of 1, which
  // would leave cash -0.5 and equity -0.5 (ruin). It is skipped and counted; the unit is kept.
  assert.equal(r.orders.length, 1);
  assert.equal(r.skipped.minNotional, 1);
  assert.equal(r.ruinedAt, -1);
  assert.deepEqual([...r.equity], [1, 0.5, 0.5]);
  assert.deepEqual([...r.positions.a!], [1, 1, 1]);
});

Deno.test("the same frames record simulated twice: same result; a frame swapped in the record is re-aligned", () => {
  const frames: Record<string, Frame> = { a: frame([0, 1, 2], [10, 11, 12]), b: frame([0, 2], [5, 6]) };
  const sig = { a: w([0.5, NaN, NaN]), b: w([0.5, NaN]) };
  const r1 = simulatePortfolio(frames, sig, { fill: "close" });
  r1.missing.b!.count = 99; // a caller editing its result must not reach the next run's
  const r2 = simulatePortfolio(frames, sig, { fill: "close" });
  assert.equal(r2.missing.b!.count, 1);
  assert.deepEqual([...r2.equity], [...r1.equity]);
  frames.b = frame([0, 1, 2], [5, 5, 6]);
  const r3 = simulatePortfolio(frames, { a: sig.a, b: w([0.5, NaN, NaN]) }, { fill: "close" });
  assert.equal(r3.missing.b!.count, 0);
  assert.deepEqual([...r3.positions.b!], [1000, 1000, 0]); // sold at the last close (finalize)
});
