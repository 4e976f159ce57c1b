/**
 * lib/store speed: append N synthetic 1-minute bars to an empty series, read them back into a Frame and
 * an Arrow table, resample to 1h, and append one 1000-bar page onto the N-bar series.
 *
 *   deno bench -A bench/store_bench.ts                  # N = 10,000,000 (targets: append <= 5 s,
 *   BENCH_BARS=1000000 deno bench -A bench/store_bench.ts   read <= 1.5 s, resample <= 0.6 s, RSS < 2 GB)
 *
 * Env: BENCH_BARS (default 10,000,000), BENCH_COMPRESSION (none | zstd, default none like the store).
 * Peak RSS (sampled every 20 ms) is printed when the run ends.
 * @module
 */
import { Frame } from "../lib/frame/mod.ts";
import { Store } from "../lib/store/mod.ts";
import { tickWalkColumns } from "./_fixtures/tick_walk.ts";

const N = Number(Deno.env.get("BENCH_BARS") ?? 10_000_000);
const compression = (Deno.env.get("BENCH_COMPRESSION") ?? "none") as "zstd" | "none";

/** The tick-grid random walk as a Frame. */
function syntheticBars(n: number, start?: number): Frame {
  const { ts, ...columns } = tickWalkColumns(n, start);
  return new Frame(ts, columns);
}

const bars = syntheticBars(N);
const page = syntheticBars(1000, bars.ts[N - 1]! + 60_000);
const dir = await Deno.makeTempDir({ prefix: "store_bench_" });
const store = await Store.open({ dir, compression });
const id = { exchange: "bench", symbol: "BTC/USDT", timeframe: "1m" };
await store.append(id, bars); // the series the read benches use

let peak = 0;
const timer = setInterval(() => {
  peak = Math.max(peak, Deno.memoryUsage().rss);
}, 20);
let run = 0;

globalThis.addEventListener("unload", () => {
  clearInterval(timer);
  peak = Math.max(peak, Deno.memoryUsage().rss);
  console.log(`store_bench: N=${N} compression=${compression} peak RSS ${(peak / 2 ** 20).toFixed(0)} MiB`);
  store.close();
  Deno.removeSync(dir, { recursive: true });
});

Deno.bench({ name: `append ${N} bars to an empty series`, n: 3, warmup: 0 }, async () => {
  const r = await store.append({ ...id, symbol: `RUN${run++}/USDT` }, bars);
  if (r.inserted !== N) throw new Error(`inserted ${r.inserted}`);
});

Deno.bench({ name: `read ${N} bars into a Frame`, n: 5, warmup: 1 }, async () => {
  const f = await store.read(id);
  if (f.length !== N) throw new Error(`read ${f.length}`);
});

Deno.bench({ name: `readArrow ${N} bars`, n: 5, warmup: 1 }, async () => {
  const t = await store.readArrow(id);
  if (t.numRows !== N) throw new Error(`read ${t.numRows}`);
});

Deno.bench({ name: `resample ${N} 1m bars to 1h (DuckDB)`, n: 5, warmup: 1 }, async () => {
  const f = await store.resample(id, "1h");
  if (f.length !== Math.ceil(N / 60)) throw new Error(`resampled ${f.length}`);
});

Deno.bench({ name: `append a 1000-bar page onto the ${N}-bar series`, n: 20, warmup: 0 }, async () => {
  await store.append(id, page); // first call inserts, later ones are all duplicates: both must be cheap
});
