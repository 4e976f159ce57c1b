// One-off measurement (not a deno bench: a single run takes about a minute): SMA-X-990 on (b),
// 1,000,000 synthetic closes, with the full stats table per combo. Run:
//   ./denow run -A bench/_fixtures/sma_x_990_full_b.ts [workers]
import { runSweep } from "../../lib/backtest/mod.ts";
import { SMA_X_990_GRID, SMA_X_990_OPTIONS, syntheticFrame } from "./sma_x_990.ts";

const workers = Number(Deno.args[0] ?? 2);
const frame = syntheticFrame();
const t0 = performance.now();
const r = await runSweep({
  frame,
  strategy: "sma_cross",
  grid: SMA_X_990_GRID,
  options: SMA_X_990_OPTIONS,
  stats: "full",
  workers,
  timeframe: "1m",
  calendar: "24/7",
});
const ms = performance.now() - t0;
console.log(
  `SMA-X-990 (b) full stats, ${workers} workers: ${r.combos} combos in ${(ms / 1000).toFixed(1)} s = ` +
    `${(ms * 1e6 / (r.combos * frame.length)).toFixed(1)} ns per bar x combo; ${r.table.numCols} columns`,
);
