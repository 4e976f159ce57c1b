import assert from "node:assert/strict";
import { Frame } from "../frame/mod.ts";
import { simulate } from "./simulate.ts";
import { simulatePortfolio } from "./simulate_portfolio.ts";
import type { BacktestOptionsInput } from "./backtest_options.ts";
import { near, prng, randomFrame } from "./_testing.ts";

type Bar = readonly [number, number, number, number];
const bars = (rows: readonly Bar[], ts?: readonly number[]): Frame =>
  Frame.fromBars(rows.map(([open, high, low, close], i) => ({ ts: ts?.[i] ?? i, open, high, low, close, volume: 1 })));
const flat = (c: number, n: number, ts?: readonly number[]): Frame =>
  bars(Array.from({ length: n }, () => [c, c, c, c] as const), ts);
const w = (x: number[]) => ({ kind: "weights" as const, weights: Float64Array.from(x) });
const fills = (r: ReturnType<typeof simulatePortfolio>) =>
  r.orders.map((o) => [o.index, o.asset, o.side, o.size, o.price, o.reason]);

// Half the account in a, half in b (10 units at 50, flat), closes fills, no costs: cash 0 after bar 0.
const half = { b: w([0.5, NaN, NaN]) };

Deno.test("stop-loss hit inside the bar fills at the level; the other asset is untouched", () => {
  const a = bars([[100, 100, 100, 100], [100, 102, 95, 97], [97, 99, 96, 98]]);
  const r = simulatePortfolio({ a, b: flat(50, 3) }, { a: w([0.5, NaN, NaN]), ...half }, {
    fill: "close",
    cash: 1000,
    stopLoss: 0.04,
  });
  // a: 5 units at 100; level 100 * 0.96 = 96; bar 1's low 95 crosses it: sold at 96.
  assert.deepEqual(fills(r), [
    [0, "a", "buy", 5, 100, "entry"],
    [0, "b", "buy", 10, 50, "entry"],
    [1, "a", "sell", 5, 96, "stop_loss"],
    [2, "b", "sell", 10, 50, "end"],
  ]);
  // 5 * 96 + 10 * 50 = 980 from bar 1 on: a stays flat (its weights are NaN, "keep what is held").
  assert.deepEqual([...r.equity], [1000, 980, 980]);
  assert.equal(r.trades[0]!.exitReason, "stop_loss");
  assert.equal(r.trades[0]!.pnl, -20);
});

Deno.test("a gap through the stop at the open fills at the open, with the sell costs", () => {
  const a = bars([[100, 100, 100, 100], [90, 92, 88, 91], [91, 91, 91, 91]]);
  const r = simulatePortfolio({ a, b: flat(50, 3) }, { a: w([0.5, NaN, NaN]), ...half }, {
    fill: "close",
    cash: 1000,
    stopLoss: 0.04,
  });
  assert.deepEqual(fills(r)[2], [1, "a", "sell", 5, 90, "stop_loss"]);
  // With a 1% slippage the stop's sell gets 90 * 0.99 (the level is from the entry fill 100 * 1.01 = 101).
  const s = simulatePortfolio({ a, b: flat(50, 3) }, { a: w([0.5, NaN, NaN]), ...half }, {
    fill: "close",
    cash: 1000,
    stopLoss: 0.04,
    slippage: 0.01,
  });
  const stop = s.orders.find((o) => o.reason === "stop_loss")!;
  assert.equal(stop.index, 1);
  assert.equal(stop.price, 90 * 0.99);
});

Deno.test("take-profit: at the target inside the bar, at the open on a gap over it, stop first when both touch", () => {
  const run = (bar1: Bar, o: BacktestOptionsInput) =>
    simulatePortfolio({ a: bars([[100, 100, 100, 100], bar1, [100, 100, 100, 100]]), b: flat(50, 3) }, {
      a: w([0.5, NaN, NaN]),
      ...half,
    }, { fill: "close", cash: 1000, ...o }).orders.filter((x) => x.asset === "a").map((x) => [x.price, x.reason]);
  // Fractions exact in binary, so the levels are exact: target 112.5, stop 96.875.
  assert.deepEqual(run([100, 113, 99, 105], { takeProfit: 0.125 }), [[100, "entry"], [112.5, "take_profit"]]);
  assert.deepEqual(run([115, 116, 112, 113], { takeProfit: 0.125 }), [[100, "entry"], [115, "take_profit"]]);
  // The low reaches the stop and the high the target in one bar: the stop is assumed first.
  assert.deepEqual(run([100, 113, 96, 105], { takeProfit: 0.125, stopLoss: 0.03125 }), [[100, "entry"], [
    96.875,
    "stop_loss",
  ]]);
});

Deno.test("trailing stop follows the best high since entry; a short's stop sits above the entry", () => {
  const a = bars([[100, 100, 100, 100], [100, 110, 100, 108], [108, 109, 104, 105], [105, 105, 105, 105]]);
  const r = simulatePortfolio({ a, b: flat(50, 4) }, { a: w([0.5, NaN, NaN, NaN]), b: w([0.5, NaN, NaN, NaN]) }, {
    fill: "close",
    cash: 1000,
    trailingStop: 0.05,
  });
  // Bar 1: level 95, not hit; best becomes 110. Bar 2: level 110 * 0.95 = 104.5, low 104: out at 104.5.
  assert.deepEqual(fills(r)[2], [2, "a", "sell", 5, 104.5, "trailing_stop"]);

  const s = simulatePortfolio({ a: bars([[100, 100, 100, 100], [100, 105, 99, 103], [103, 103, 103, 103]]) }, {
    a: w([-0.5, NaN, NaN]),
  }, { fill: "close", cash: 1000, direction: "both", stopLoss: 0.04 });
  // Short 5 at 100; level 104; bar 1's high 105: bought back at 104.
  assert.deepEqual(fills(s), [[0, "a", "sell", 5, 100, "entry"], [1, "a", "buy", 5, 104, "stop_loss"]]);
});

Deno.test("next_open: stops are checked from the entry bar; a missing bar defers the check to the asset's next open", () => {
  // Decided at bar 0, bought at bar 1's open (100); bar 1's low 95 is under the level 96 already.
  const a = bars([[100, 100, 100, 100], [100, 101, 95, 99], [99, 99, 99, 99]]);
  const r = simulatePortfolio({ a }, { a: w([1, NaN, NaN]) }, { cash: 1000, stopLoss: 0.04 });
  assert.deepEqual(fills(r), [[1, "a", "buy", 10, 100, "entry"], [1, "a", "sell", 10, 96, "stop_loss"]]);

  // a has no bar at union bar 2 (b has); at union bar 3 a opens at 90, through its level 96: out at 90.
  const g = bars([[100, 100, 100, 100], [100, 100, 97, 98], [90, 91, 89, 90]], [0, 1, 3]);
  const m = simulatePortfolio({ a: g, b: flat(50, 4) }, { a: w([0.5, NaN, NaN]), b: w([0.5, NaN, NaN, NaN]) }, {
    fill: "close",
    cash: 1000,
    stopLoss: 0.04,
  });
  assert.deepEqual(fills(m).filter((x) => x[1] === "a"), [[0, "a", "buy", 5, 100, "entry"], [
    3,
    "a",
    "sell",
    5,
    90,
    "stop_loss",
  ]]);
  assert.equal(m.missing.a!.count, 1);
});

Deno.test("one asset with signals and stops gives what simulate gives (random data, many options)", () => {
  const rnd = prng(23);
  const f = randomFrame(1500, 9);
  const n = f.length;
  const bits = (p: number) => Uint8Array.from({ length: n }, () => (rnd() < p ? 1 : 0));
  const s = {
    kind: "signals" as const,
    entries: bits(0.05),
    exits: bits(0.02),
    shortEntries: bits(0.05),
    shortExits: bits(0.02),
  };
  const stops = [
    { stopLoss: 0.01 },
    { takeProfit: 0.015 },
    { trailingStop: 0.012 },
    { stopLoss: 0.02, takeProfit: 0.01, trailingStop: 0.008 },
  ];
  let stopped = 0;
  for (const fill of ["close", "next_open"] as const) {
    for (const direction of ["long", "short", "both"] as const) {
      for (const stop of stops) {
        for (const finalize of ["open", "close"] as const) {
          const o: BacktestOptionsInput = {
            fill,
            direction,
            finalize,
            ...stop,
            fee: 0.001,
            fixedFee: 0.3,
            spread: 0.0005,
            slippage: 0.0002,
            lot: 0.01,
            cash: 1000,
          };
          const a = simulate(f, s, o);
          const p = simulatePortfolio({ asset: f }, { asset: s }, o);
          const tag = JSON.stringify(o);
          assert.deepEqual([...p.equity], [...a.equity], tag);
          // exitPrice is not compared bit for bit: the portfolio book derives it from notional / size.
          assert.deepEqual(
            p.trades.map((t) => [t.entryIndex, t.exitIndex, t.pnl, t.exitReason]),
            a.trades.map((t) => [t.entryIndex, t.exitIndex, t.pnl, t.exitReason]),
            tag,
          );
          p.trades.forEach((t, i) => near(t.exitPrice, a.trades[i]!.exitPrice));
          assert.deepEqual(p.skipped, a.skipped, tag);
          stopped += a.trades.filter((t) => t.exitReason !== "signal" && t.exitReason !== "reversal").length;
        }
      }
    }
  }
  assert.ok(stopped > 500, `the cases must exercise stops (${stopped} stop exits)`);
});

Deno.test("causal: a run on a prefix of the bars has the same fills and equity up to its last bar", () => {
  const rnd = prng(5);
  const frames = { a: randomFrame(400, 1), b: randomFrame(400, 2), c: randomFrame(400, 3) };
  const weights = Object.fromEntries(
    Object.keys(frames).map((k) => [k, w(Array.from({ length: 400 }, () => (rnd() < 0.08 ? rnd() * 0.6 - 0.1 : NaN)))]),
  );
  for (const fill of ["close", "next_open"] as const) {
    const o: BacktestOptionsInput = {
      fill,
      direction: "both",
      finalize: "open",
      stopLoss: 0.012,
      takeProfit: 0.02,
      trailingStop: 0.01,
      fee: 0.001,
    };
    const full = simulatePortfolio(frames, weights, o);
    assert.ok(full.trades.some((t) => t.exitReason === "trailing_stop"));
    for (const t of [37, 120, 251, 399]) {
      const cut = Object.fromEntries(Object.entries(frames).map(([k, f]) => [k, f.slice(0, t)]));
      const cw = Object.fromEntries(Object.entries(weights).map(([k, x]) => [k, w([...x.weights.subarray(0, t)])]));
      const part = simulatePortfolio(cut, cw, o);
      assert.deepEqual([...part.equity], [...full.equity.subarray(0, t)], `${fill} t=${t}`);
      assert.deepEqual(fills(part), fills(full).filter((x) => (x[0] as number) < t), `${fill} t=${t}`);
    }
  }
});
