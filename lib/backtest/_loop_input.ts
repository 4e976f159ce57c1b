import type { Frame } from "../frame/mod.ts";
import type { SignalSet } from "../types/mod.ts";
import type { BacktestOptions } from "./backtest_options.ts";
import { sideArrays } from "./_side_arrays.ts";

/** Inputs of a single-asset bar loop (`simulate`, `simulateWithRisk`). */
export interface LoopInput {
  open: Float64Array;
  high: Float64Array;
  low: Float64Array;
  close: Float64Array;
  le: Uint8Array;
  lx: Uint8Array;
  se: Uint8Array;
  sx: Uint8Array;
  shorts: boolean;
  stopsOn: boolean;
  fillClose: boolean;
}

/**
 * The columns and signal arrays a single-asset bar loop reads. Close fills without stops read no open. The high and
 * low are read only for stops (`"stops"`: the close stands in otherwise), or whenever the frame has them (`"frame"`:
 * the risk run's volatility figure needs them for `atr_pct`).
 */
export function loopInput(frame: Frame, s: SignalSet, o: BacktestOptions, highLow: "stops" | "frame"): LoopInput {
  const close = frame.close;
  const stopsOn = o.stopLoss !== null || o.takeProfit !== null || o.trailingStop !== null;
  const fillClose = o.fill === "close";
  const open = fillClose && !stopsOn ? close : frame.open;
  const high = (highLow === "stops" ? stopsOn : frame.has("high")) ? frame.high : close;
  const low = (highLow === "stops" ? stopsOn : frame.has("low")) ? frame.low : close;
  const [le, lx, se, sx] = sideArrays(s, o, frame.length);
  return { open, high, low, close, le, lx, se, sx, shorts: o.direction !== "long", stopsOn, fillClose };
}
