// Fixtures of the SMA-X-990 reference sweep: sma_cross long-only, fill "close", fee 0.001,
// all-in, cash 10,000, over all 990 (fast, slow) pairs with 2 <= fast < slow <= 46.
import { Frame } from "../../lib/frame/mod.ts";
import { readCsv } from "../../lib/data/mod.ts";
import { syntheticCloses } from "../../lib/testing/mod.ts";
import type { BacktestOptionsInput } from "../../lib/backtest/mod.ts";

/** fast 2..45 and slow 3..46: the grid's 44 x 44 cells of which 990 have fast < slow. */
export const SMA_X_990_GRID: { fast: number[]; slow: number[] } = {
  fast: Array.from({ length: 44 }, (_, i) => i + 2),
  slow: Array.from({ length: 44 }, (_, i) => i + 3),
};

/** The options of the reference sweep; an open position is marked at the last close. */
export const SMA_X_990_OPTIONS: BacktestOptionsInput = {
  fill: "close",
  fee: 0.001,
  cash: 10_000,
  size: { kind: "all" },
  direction: "long",
  finalize: "open",
};

/** (a) The close column of data/samples/SP500-2000.csv (5,105 daily bars). */
export async function sp500Frame(): Promise<Frame> {
  const { frame } = await readCsv(new URL("../../data/samples/SP500-2000.csv", import.meta.url));
  return frame;
}

/** (b) 1,000,000 synthetic closes (lib/testing syntheticCloses, seed 20240101), one minute apart. */
export function syntheticFrame(n = 1_000_000): Frame {
  const close = syntheticCloses(n);
  const ts = new Float64Array(n);
  for (let i = 0; i < n; i++) ts[i] = 1_704_067_200_000 + i * 60_000;
  return new Frame(ts, { close });
}
