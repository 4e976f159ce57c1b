/**
 * Tax lot matching speed (issue 12): a deterministic ledger of 1,000,000 events over 50 assets and five years
 * (2021-2025; buys and sells interleaved, sizes from 0.00000001 to 50 units, prices from 0.5 to millions, a sale
 * using one to three lots in whole or in part, plus staking income and transfers). Every sale names its lots (picked
 * at random among those held), so the same ledger serves specific identification; the other methods ignore the
 * picks. Target (issue 12): matched and reported with each method in 5 s or less.
 *
 * Per method: `matchLots` over the whole history (every disposal's parts recorded), and `buildTaxReport` for
 * 2025 (the whole history matched, 2025's rows, trail, income and open lots formatted).
 *
 *   ./denow bench -A bench/tax_bench.ts
 */
import {
  buildTaxReport,
  type LedgerEvent,
  LOT_METHODS,
  matchLots,
  MONEY_DP,
  mulDiv,
  pow10,
  QTY_DP,
  taxReportCsv,
} from "../lib/tax/mod.ts";

const N = 1_000_000;
const ASSETS = 50;
const FROM = Date.UTC(2021, 0, 1);
const TO = Date.UTC(2025, 11, 31);

/** mulberry32: the same ledger every run. */
function rng(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface OpenPick {
  id: string;
  qty: bigint;
}

function ledger(): LedgerEvent[] {
  const r = rng(12);
  const ONE = pow10(QTY_DP);
  const names = Array.from({ length: ASSETS }, (_, i) => `A${String(i).padStart(2, "0")}`);
  const price = Array.from({ length: ASSETS }, (_, i) => 0.5 * 1.25 ** (i % 40)); // 0.5 to ~3,000,000
  const open: OpenPick[][] = Array.from({ length: ASSETS }, () => []);
  const events: LedgerEvent[] = [];
  const step = (TO - FROM) / N;
  for (let i = 0; i < N; i++) {
    const a = Math.floor(r() * ASSETS);
    price[a]! *= Math.exp((r() - 0.5) * 0.02);
    const px = BigInt(Math.round(price[a]! * 1e6)) * pow10(MONEY_DP - 6); // price per unit at MONEY_DP
    const time = FROM + Math.floor(i * step);
    const lots = open[a]!;
    const roll = r();
    const base = { id: `e${i}`, time, asset: names[a]!, source: { file: "bench.csv", line: i + 2 } };
    if (lots.length === 0 || roll < 0.5) {
      // Sizes spread over ten orders of magnitude.
      const qty = BigInt(1 + Math.floor(r() * 50_000_000)) * pow10(QTY_DP - 6 - Math.floor(r() * 3));
      const income = roll < 0.02;
      events.push({
        ...base,
        kind: income ? "income" : "buy",
        qty,
        value: mulDiv(qty, px, ONE),
        fee: income ? 0n : mulDiv(qty, px, ONE * 1000n),
        ...(income ? { incomeType: "staking" as const } : {}),
      });
      lots.push({ id: base.id, qty });
    } else if (roll < 0.51) {
      events.push({ ...base, kind: "transfer", qty: lots[0]!.qty, value: 0n, fee: 0n, fromWallet: "x", toWallet: "y" });
    } else {
      // One to three lots picked at random; the last one in part half of the time.
      const k = 1 + Math.floor(r() * 3);
      const picked: string[] = [];
      let qty = 0n;
      for (let j = 0; j < k && lots.length > 0; j++) {
        const at = Math.floor(r() * lots.length);
        const lot = lots[at]!;
        picked.push(lot.id);
        if (j === k - 1 && r() < 0.5 && lot.qty > 1n) {
          const part = lot.qty / 2n;
          qty += part;
          lot.qty -= part;
        } else {
          qty += lot.qty;
          lots[at] = lots[lots.length - 1]!;
          lots.pop();
        }
      }
      const value = mulDiv(qty, px, ONE);
      events.push({ ...base, kind: "sell", qty, value, fee: value / 1000n, lots: picked });
    }
  }
  return events;
}

const t0 = performance.now();
const EVENTS = ledger();
const counts = new Map<string, number>();
for (const e of EVENTS) counts.set(e.kind, (counts.get(e.kind) ?? 0) + 1);
console.log(
  `tax bench ledger: ${EVENTS.length} events (${[...counts].map(([k, n]) => `${k} ${n}`).join(", ")}) built in ` +
    `${Math.round(performance.now() - t0)} ms`,
);

for (const method of LOT_METHODS) {
  Deno.bench(`matchLots ${method}: 1M events, 50 assets, 2021-2025`, { group: "match", n: 3, warmup: 1 }, () => {
    const r = matchLots(EVENTS, { method });
    if (r.processed !== N) throw new Error(`processed ${r.processed}`);
  });
}
for (const method of LOT_METHODS) {
  Deno.bench(`buildTaxReport ${method} 2025 (whole history matched)`, { group: "report", n: 3, warmup: 1 }, () => {
    const r = buildTaxReport(EVENTS, { year: 2025, method });
    if (r.form8949.length === 0) throw new Error("no rows");
  });
}
const REPORT = buildTaxReport(EVENTS, { year: 2025, method: "fifo" });
Deno.bench(`taxReportCsv fifo 2025 (${REPORT.form8949.length} rows)`, { group: "csv", n: 3, warmup: 1 }, () => {
  taxReportCsv(REPORT);
});
