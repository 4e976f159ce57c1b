// The engine conventions settled in ENGINE_VERSION 0.3.0 (issue 8), in portfolio runs and
// across the single-asset and portfolio engines. Values worked by hand in the comments.
import assert from "node:assert/strict";
import { Frame } from "../frame/mod.ts";
import type { SignalSet } from "../types/mod.ts";
import { exposure } from "../metrics/mod.ts";
import type { BacktestOptionsInput } from "./backtest_options.ts";
import { simulate } from "./simulate.ts";
import { simulatePortfolio } from "./simulate_portfolio.ts";
import { runSweep } from "./sweep.ts";
import { defineStrategy, smaCross } from "../strategies/mod.ts";
import { flat, near, prng, randomFrame, sig } from "./_testing.ts";

const frame = (ts: number[], close: number[]): Frame =>
  new Frame(Float64Array.from(ts), { open: Float64Array.from(close), close: Float64Array.from(close) });
const w = (x: number[]) => ({ kind: "weights" as const, weights: Float64Array.from(x) });

Deno.test("portfolio: a missing shortExits means the long entries close shorts (short and both)", () => {
  const a = flat([100, 90, 80, 70, 60]);
  const s = sig([0, 0, 1, 0, 0], [0, 1, 0, 0, 0], [1, 0, 0, 0, 0]);
  // Short 10 at 100; bar 1's long exit leaves it; bar 2's long entry covers at 80: 2000 - 800.
  const short = simulatePortfolio({ a }, { a: s }, { fill: "close", direction: "short", cash: 1000 });
  assert.deepEqual(short.trades.map((t) => [t.entryIndex, t.exitIndex, t.exitReason]), [[0, 2, "signal"]]);
  near(short.finalEquity, 1200);
  const both = simulatePortfolio({ a }, { a: s }, { fill: "close", direction: "both", cash: 1000 });
  assert.deepEqual(both.trades.map((t) => [t.direction, t.entryIndex, t.exitIndex, t.exitReason]), [
    ["short", 0, 2, "reversal"],
    ["long", 2, 4, "end"],
  ]);
});

Deno.test("one asset without shortExits: simulate and simulatePortfolio agree (short and both, random data)", () => {
  const rnd = prng(5);
  const f = randomFrame(500, 3);
  const bits = (q: number) => Uint8Array.from({ length: f.length }, () => (rnd() < q ? 1 : 0));
  const s: SignalSet = { kind: "signals", entries: bits(0.05), exits: bits(0.05), shortEntries: bits(0.05) };
  for (const fill of ["close", "next_open"] as const) {
    for (const direction of ["short", "both"] as const) {
      const o: BacktestOptionsInput = { fill, direction, fee: 0.001, fixedFee: 0.2, cash: 1000 };
      const a = simulate(f, s, o), p = simulatePortfolio({ asset: f }, { asset: s }, o);
      assert.deepEqual(
        a.orders.map((x) => [x.index, x.side, x.reason]),
        p.orders.map((x) => [x.index, x.side, x.reason]),
      );
      for (let i = 0; i < f.length; i++) near(a.equity[i]!, p.equity[i]!, 1e-9 * Math.abs(p.equity[i]!));
    }
  }
});

Deno.test("portfolio: exposure does not count the last bar when finalize close sells at its close", () => {
  const a = frame([0, 1, 2], [10, 11, 12]), b = frame([0, 1, 2], [5, 5, 5]);
  const weights = { a: w([0.5, NaN, NaN]), b: w([0.5, NaN, NaN]) };
  // Held at the closes of bars 0 and 1; finalize sells everything at bar 2's close.
  const c = simulatePortfolio({ a, b }, weights, { fill: "close" });
  assert.equal(c.positions.a![2], 0);
  near(c.exposure, 2 / 3);
  near(c.exposure, exposure(c.positions.a!));
  const o = simulatePortfolio({ a, b }, weights, { fill: "close", finalize: "open" });
  near(o.exposure, 1);
});

Deno.test("exposure equals the share of bars with a position at the close (random runs, both engines)", () => {
  const rnd = prng(8);
  const f = randomFrame(300, 4);
  const bits = (q: number) => Uint8Array.from({ length: f.length }, () => (rnd() < q ? 1 : 0));
  const s: SignalSet = { kind: "signals", entries: bits(0.05), exits: bits(0.02), shortEntries: bits(0.05) };
  for (const fill of ["close", "next_open"] as const) {
    for (const finalize of ["close", "open"] as const) {
      for (const direction of ["long", "short", "both"] as const) {
        const o: BacktestOptionsInput = { fill, finalize, direction, stopLoss: fill === "close" ? null : 0.03 };
        const r = simulate(f, s, o);
        near(r.exposure, exposure(r.position), 1e-12);
        if (o.stopLoss !== null) continue;
        const p = simulatePortfolio({ asset: f }, { asset: s }, o);
        near(p.exposure, exposure(p.positions.asset!), 1e-12);
        near(p.exposure, r.exposure, 1e-12);
      }
    }
  }
});

Deno.test("portfolio: minNotional is checked on the fill price (after spread), as in single-asset runs", () => {
  const a = frame([0, 1], [100, 100]), b = frame([0, 1], [50, 50]);
  // Weight 0.1 of 1000 at 100 is 1 unit of a: buys fill at 101 (2% spread), short sales at 99.
  const o: BacktestOptionsInput = { fill: "close", spread: 0.02, cash: 1000 };
  const buy = simulatePortfolio({ a, b }, { a: w([0.1, NaN]), b: w([NaN, NaN]) }, { ...o, minNotional: 100.5 });
  assert.equal(buy.skipped.minNotional, 0, "fill notional 101 >= 100.5");
  assert.deepEqual(buy.orders.map((x) => [x.asset, x.side, x.size, x.price]), [["a", "buy", 1, 101], [
    "a",
    "sell",
    1,
    99,
  ]]);
  const sell = simulatePortfolio({ a, b }, { a: w([-0.1, NaN]), b: w([NaN, NaN]) }, {
    ...o,
    direction: "short",
    minNotional: 99.5,
  });
  assert.equal(sell.skipped.minNotional, 1, "fill notional 99 < 99.5");
  assert.equal(sell.orders.length, 0);
  // Buys scaled pro rata (cash short) are checked on the fill price too: weights 0.6 + 0.6 of
  // 1000 ask 6 units of a and 12 of b; with the 2% spread and no fee the cash pays for
  // s = 1000 / (6 * 101 + 12 * 50.5) = 1000 / 1212 of each: 6000 / 1212 = 4.9505 units of a
  // (500 at 101, 495.05 before costs) and 9.901 of b (500 at 50.5). minNotional 499: both pass
  // on the fill price (neither would on the pre-cost 495.05).
  const scaled = simulatePortfolio({ a, b }, { a: w([0.6, NaN]), b: w([0.6, NaN]) }, { ...o, minNotional: 499 });
  assert.equal(scaled.skipped.minNotional, 0);
  near(scaled.orders[0]!.size, 6000 / 1212);
  near(scaled.orders[1]!.size, 12000 / 1212);
  // The same entry made by a signal (entryUnits) and by a weight is checked alike: the signal
  // buys 1 unit at 101.
  const bySignal = simulatePortfolio({ a, b }, { a: sig([1, 0], [0, 0]), b: sig([0, 0], [0, 0]) }, {
    ...o,
    size: { kind: "units", value: 1 },
    minNotional: 100.5,
  });
  assert.equal(bySignal.skipped.minNotional, 0);
});

Deno.test("sweep rows follow the conventions: a strategy without shortExits, direction short, full stats", async () => {
  // sma_cross emitting no shortExits and no crossover hint (the general path, simulate per row).
  const noShortExits = defineStrategy({
    ...smaCross,
    name: "sma_cross_no_short_exits",
    crossover: undefined,
    signals(frame, p, ctx) {
      const s = smaCross.signals(frame, p, ctx) as SignalSet;
      return { kind: "signals", entries: s.entries, exits: s.exits, shortEntries: s.shortEntries! };
    },
  });
  const f = randomFrame(1500, 21);
  const options: BacktestOptionsInput = { fill: "close", direction: "short", fee: 0.001 };
  const r = await runSweep({
    frame: f,
    strategy: noShortExits,
    grid: { fast: [3, 5], slow: [10, 21] },
    options,
    stats: "full",
    workers: 0,
    timeframe: "1m",
  });
  const col = (name: string): number[] => [...(r.table.getChild(name)!.toArray() as Float64Array)];
  const fast = col("fast"), slow = col("slow"), eq = col("final_equity"), ex = col("exposure");
  assert.equal(fast.length, 4);
  for (let k = 0; k < fast.length; k++) {
    const sim = simulate(f, noShortExits.signals(f, { fast: fast[k]!, slow: slow[k]! }), options);
    // Same bars as the crossover's own shortExits (the long entries), so the same trades.
    const withExits = simulate(f, smaCross.signals(f, { fast: fast[k]!, slow: slow[k]! }), options);
    assert.equal(eq[k], sim.finalEquity);
    assert.equal(sim.finalEquity, withExits.finalEquity);
    assert.equal(ex[k], sim.exposure);
    near(sim.exposure, exposure(sim.position), 1e-12);
  }
});
