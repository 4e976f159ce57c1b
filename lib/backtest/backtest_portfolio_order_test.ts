// Issue 7, item 18: the order of the assets (the order of --data) does not change a portfolio
// run: when cash is short at a rebalance, the buys are scaled pro rata instead of being filled
// in asset order (which left the last-listed asset underweighted at every rebalance).
import assert from "node:assert/strict";
import { readCsv } from "../data/mod.ts";
import { Frame } from "../frame/mod.ts";
import { runPortfolioBacktest } from "./backtest_portfolio.ts";
import { simulate } from "./simulate.ts";
import { simulatePortfolio } from "./simulate_portfolio.ts";

const dir = new URL("../../data/samples/", import.meta.url);
const load = async (n: string): Promise<Frame> => (await readCsv(new URL(n, dir))).frame;

Deno.test("momentum_rotation k=2 over the three 5m samples: same equity and weights whatever the asset order", async () => {
  const f = { ada: await load("ADA_BTC-5m.csv"), eth: await load("ETH_BTC-5m.csv"), ltc: await load("LTC_BTC-5m.csv") };
  const run = (order: (keyof typeof f)[]) => {
    const frames: Record<string, Frame> = {};
    for (const n of order) frames[n] = f[n];
    return runPortfolioBacktest({
      frames,
      strategy: "momentum_rotation",
      params: { lookback: 48, every: 12, k: 2 },
      options: { fee: 0.001, fixedFee: 0.0001 },
      timeframe: "5m",
    });
  };
  const a = await run(["ada", "eth", "ltc"]);
  const b = await run(["ltc", "eth", "ada"]);
  for (let u = 0; u < a.sim.equity.length; u++) {
    assert.ok(Math.abs(a.sim.equity[u]! - b.sim.equity[u]!) <= 1e-9 * a.sim.equity[u]!, `bar ${u}`);
  }
  // The same units of each asset on every bar (checked on a sample of bars).
  for (const n of ["ada", "eth", "ltc"]) {
    for (let u = 0; u < a.sim.equity.length; u += 7) {
      const x = a.sim.positions[n]![u]!, y = b.sim.positions[n]![u]!;
      assert.ok(Math.abs(x - y) <= 1e-9 * (1 + Math.abs(x)), `${n} bar ${u}: ${x} vs ${y}`);
    }
  }
});

Deno.test("signals: entries on the same bar share the cash pro rata, whatever the asset order", () => {
  // Both assets signal an entry on bar 0 (fill at bar 1's open); `size: all` used to give all the cash to
  // the first-listed asset and nothing to the second.
  const ts = Float64Array.of(0, 1, 2);
  const mk = (px: number) => new Frame(ts, { open: Float64Array.of(px, px, px), close: Float64Array.of(px, px, px) });
  const sig = { kind: "signals" as const, entries: Uint8Array.of(1, 0, 0), exits: Uint8Array.of(0, 0, 0) };
  const cases = [
    { size: { kind: "all" as const }, each: 5_000 },
    { size: { kind: "fraction" as const, value: 0.8 }, each: 5_000 },
  ];
  for (const { size, each } of cases) {
    const opts = { fee: 0.001, fixedFee: 1, size, finalize: "open" as const };
    const ab = simulatePortfolio({ a: mk(10), b: mk(20) }, { a: sig, b: sig }, opts);
    const ba = simulatePortfolio({ b: mk(20), a: mk(10) }, { b: sig, a: sig }, opts);
    for (const r of [ab, ba]) {
      const spentA = r.positions.a![1]! * 10, spentB = r.positions.b![1]! * 20;
      assert.ok(Math.abs(spentA - spentB) < 1e-6, `${size.kind}: a ${spentA} vs b ${spentB}`);
      // Each gets its share of the cash, fees included: (5000 - 1) / 1.001 of notional.
      assert.ok(Math.abs(spentA - (each - 1) / 1.001) < 1e-6, `${size.kind}: ${spentA}`);
    }
    assert.equal(ab.positions.a![1], ba.positions.a![1]);
    assert.equal(ab.positions.b![1], ba.positions.b![1]);
  }
});

Deno.test("signals: one entry alone is sized exactly as in simulate", () => {
  const ts = Float64Array.of(0, 1, 2);
  const f = new Frame(ts, { open: Float64Array.of(10, 10, 10), close: Float64Array.of(10, 10, 10) });
  const sig = { kind: "signals" as const, entries: Uint8Array.of(1, 0, 0), exits: Uint8Array.of(0, 0, 0) };
  const opts = { fee: 0.001, fixedFee: 1, size: { kind: "fraction" as const, value: 0.5 }, finalize: "open" as const };
  const one = simulate(f, sig, opts);
  const port = simulatePortfolio({ a: f }, { a: sig }, opts);
  assert.equal(port.positions.a![1], one.position[1]);
});
