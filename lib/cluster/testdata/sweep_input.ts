// The sweep the cluster tests run, in-process and in the coordinator process alike.
import type { SweepOptions } from "../../backtest/mod.ts";
import { randomBars } from "../../testing/mod.ts";

export function testSweep(bars = 3000, seed = 13): SweepOptions<unknown> {
  return {
    frame: randomBars({ n: bars, seed }),
    strategy: "sma_cross",
    grid: { fast: [2, 4, 6, 8, 10, 12, 14], slow: [10, 20, 30, 40, 50] },
    options: { fee: 0.001 },
    stats: "full",
    workers: 0,
  };
}
