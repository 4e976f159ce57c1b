// Union-timeline helpers shared by portfolio backtests, sweeps and walk-forwards, so a sweep row
// and a single portfolio backtest see the same aligned frames and the same benchmark.
import { Frame } from "../frame/mod.ts";

/** The frame's columns on the union timeline: row u is the asset's row index[u], or NaN. */
export function expand(frame: Frame, ts: Float64Array, index: Int32Array): Frame {
  const cols: Record<string, Float64Array> = {};
  for (const [name, src] of Object.entries(frame.columns)) {
    const out = new Float64Array(ts.length);
    for (let u = 0; u < ts.length; u++) {
      const j = index[u]!;
      out[u] = j >= 0 ? src[j]! : NaN;
    }
    cols[name] = out;
  }
  return new Frame(ts, cols);
}

/** Equal-weight buy and hold from the first bar where every asset has a price. */
export function equalWeightHold(closes: Float64Array[], cash: number): Float64Array {
  const n = closes[0]!.length, m = closes.length;
  const out = new Float64Array(n).fill(NaN);
  const last = new Float64Array(m).fill(NaN);
  const base = new Float64Array(m);
  let started = false;
  for (let i = 0; i < n; i++) {
    let all = true;
    for (let j = 0; j < m; j++) {
      const c = closes[j]![i]!;
      if (c > 0 && c < Infinity) last[j] = c;
      if (!(last[j]! > 0)) all = false;
    }
    if (!started && all) {
      started = true;
      base.set(last);
    }
    if (!started) continue;
    let v = 0;
    for (let j = 0; j < m; j++) v += last[j]! / base[j]!;
    out[i] = cash * v / m;
  }
  return out;
}
