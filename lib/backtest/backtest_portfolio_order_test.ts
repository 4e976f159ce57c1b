// Issue 7, item 18: the order of the assets (the order of --data) does not change a portfolio
// run: when cash is short at a rebalance, the buys are scaled pro rata instead of being filled
// in asset order (which left the last-listed asset underweighted at every rebalance).
import assert from "node:assert/strict";
import { readCsv } from "../data/mod.ts";
import type { Frame } from "../frame/mod.ts";
import { runPortfolioBacktest } from "./backtest_portfolio.ts";

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
