/**
 * CSV import speed: 1,000,000 OHLCV rows (epoch-ms and ISO variants) read from a temp file,
 * parsed and validated. Target: <= 2 s per million rows; readCsv of the 76 MB epoch-ms file as
 * `cli/backtest.ts` reads it (sort, volume optional) <= 0.35 s in a fresh process.
 *
 * Run: `./denow bench -A bench/csv_bench.ts`
 */
import { parseCsv, readCsv } from "../lib/data/mod.ts";

const ROWS = 1_000_000;

/** Deterministic prices with 8 decimals, like exchange data (mulberry32 PRNG). */
function generate(rows: number, iso: boolean): string {
  let seed = 42;
  const rand = (): number => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = seed;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const parts: string[] = [iso ? "date,open,high,low,close,volume\n" : "timestamp,open,high,low,close,volume\n"];
  let price = 0.0984;
  let ts = Date.UTC(2018, 0, 10);
  for (let i = 0; i < rows; i++) {
    const open = price;
    const close = price * (1 + (rand() - 0.5) * 0.01);
    const high = Math.max(open, close) * (1 + rand() * 0.002);
    const low = Math.min(open, close) * (1 - rand() * 0.002);
    const vol = rand() * 5000;
    const t = iso ? new Date(ts).toISOString().slice(0, 19).replace("T", " ") : String(ts);
    parts.push(`${t},${open.toFixed(8)},${high.toFixed(8)},${low.toFixed(8)},${close.toFixed(8)},${vol.toFixed(8)}\n`);
    price = close;
    ts += 60_000;
  }
  return parts.join("");
}

const epochPath = await Deno.makeTempFile({ suffix: ".csv" });
const isoPath = await Deno.makeTempFile({ suffix: ".csv" });
await Deno.writeTextFile(epochPath, generate(ROWS, false));
await Deno.writeTextFile(isoPath, generate(ROWS, true));
const epochBytes = await Deno.readFile(epochPath);

globalThis.addEventListener("unload", () => {
  Deno.removeSync(epochPath);
  Deno.removeSync(isoPath);
});

Deno.bench({ name: "readCsv 1M rows, epoch ms (file -> validated Frame)", group: "csv", baseline: true }, async () => {
  const r = await readCsv(epochPath);
  if (r.rows !== ROWS) throw new Error(`expected ${ROWS} rows, got ${r.rows}`);
});

Deno.bench(
  { name: "readCsv 1M rows, epoch ms, as cli/backtest.ts reads it (sort, volume optional)", group: "csv" },
  async () => {
    const r = await readCsv(epochPath, { sort: true, volume: "optional" });
    if (r.rows !== ROWS) throw new Error(`expected ${ROWS} rows, got ${r.rows}`);
  },
);

Deno.bench({ name: "readCsv 1M rows, ISO date-times", group: "csv" }, async () => {
  const r = await readCsv(isoPath);
  if (r.rows !== ROWS) throw new Error(`expected ${ROWS} rows, got ${r.rows}`);
});

Deno.bench({ name: "parseCsv 1M rows, epoch ms (bytes already in memory)", group: "csv" }, () => {
  const r = parseCsv(epochBytes);
  if (r.rows !== ROWS) throw new Error(`expected ${ROWS} rows, got ${r.rows}`);
});
