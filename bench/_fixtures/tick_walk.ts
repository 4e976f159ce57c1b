/**
 * One-minute OHLCV columns of a deterministic random walk on a 0.01 tick grid (LCG, seed 12345, from 30,000): runs
 * compare, and the data compresses like prices. Shared by bench/store_bench.ts and bench/parquet_readers_bench.ts.
 */
export function tickWalkColumns(n: number, start = Date.UTC(2005, 0, 1)): {
  ts: Float64Array;
  open: Float64Array;
  high: Float64Array;
  low: Float64Array;
  close: Float64Array;
  volume: Float64Array;
} {
  const ts = new Float64Array(n), open = new Float64Array(n), high = new Float64Array(n);
  const low = new Float64Array(n), close = new Float64Array(n), volume = new Float64Array(n);
  let seed = 12345, price = 30_000;
  const rnd = (): number => {
    seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0;
    return seed / 4294967296;
  };
  for (let i = 0; i < n; i++) {
    ts[i] = start + i * 60_000;
    const o = price;
    price = Math.max(0.01, Math.round(price * (1 + (rnd() - 0.5) * 0.002) * 100) / 100);
    open[i] = o;
    close[i] = price;
    high[i] = Math.round((Math.max(o, price) + rnd() * 5) * 100) / 100;
    low[i] = Math.round((Math.min(o, price) - rnd() * 5) * 100) / 100;
    volume[i] = Math.round(rnd() * 1e6) / 1e3;
  }
  return { ts, open, high, low, close, volume };
}
