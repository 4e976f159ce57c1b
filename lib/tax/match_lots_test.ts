import assert from "node:assert/strict";
import { type LotMatching, matchLots } from "./match_lots.ts";
import { TaxMatchError } from "./tax_match_error.ts";
import type { LedgerEvent } from "./ledger_event.ts";
import type { LotMethod } from "./tax_report.ts";
import { MONEY_DP, QTY_DP } from "./fixed.ts";
import { ev, m, q } from "./_test_ledger.ts";

// Four lots of 1 BTC at different costs, then one sale of 1.5 BTC for 75,000 (net): every method differs.
const LEDGER: LedgerEvent[] = [
  ev("b1", "buy", "2023-01-10", "1", "20000"),
  ev("b2", "buy", "2024-03-01", "1", "60000"),
  ev("b3", "buy", "2024-06-01", "1", "30000"),
  ev("b4", "buy", "2024-09-01", "1", "45000"),
  ev("s1", "sell", "2024-12-01", "1.5", "75000", { lots: ["b3", "b1"] }),
];

/** [lotId, qty, basis, proceeds, term] of the first step's parts. */
function parts(r: LotMatching, step = 0): [string, bigint, bigint, bigint, string][] {
  return r.steps[step]!.parts.map((p) => [p.lotId, p.qty, p.basis, p.proceeds, p.term]);
}

Deno.test("matchLots: each method on one ledger, worked by hand", () => {
  const want: Record<LotMethod, [string, bigint, bigint, bigint, string][]> = {
    // The earliest: all of b1 (held 2023-01-10 to 2024-12-01: long) and half of b2 (60,000 x 0.5 = 30,000).
    // Proceeds 75,000 by quantity: 75,000 x 1 / 1.5 = 50,000, the last part the rest 25,000.
    fifo: [["b1", q("1"), m("20000"), m("50000"), "long"], ["b2", q("0.5"), m("30000"), m("25000"), "short"]],
    // The latest: b4, then half of b3 (30,000 x 0.5 = 15,000).
    lifo: [["b4", q("1"), m("45000"), m("50000"), "short"], ["b3", q("0.5"), m("15000"), m("25000"), "short"]],
    // Highest unit cost: b2 (60,000), then half of b4 (45,000 x 0.5 = 22,500).
    hifo: [["b2", q("1"), m("60000"), m("50000"), "short"], ["b4", q("0.5"), m("22500"), m("25000"), "short"]],
    // Lowest: b1 (20,000, long), then half of b3 (15,000).
    lofo: [["b1", q("1"), m("20000"), m("50000"), "long"], ["b3", q("0.5"), m("15000"), m("25000"), "short"]],
    // Named: b3 whole, then half of b1 (20,000 x 0.5 = 10,000, long).
    specific: [["b3", q("1"), m("30000"), m("50000"), "short"], ["b1", q("0.5"), m("10000"), m("25000"), "long"]],
    // Pool 155,000 for 4 BTC (38,750/BTC); 1.5 BTC take 155,000 x 1.5 / 4 = 58,125, shared over the FIFO lots by
    // quantity: b1 58,125 x 1 / 1.5 = 38,750, b2 the rest 19,375.
    average: [["b1", q("1"), m("38750"), m("50000"), "long"], ["b2", q("0.5"), m("19375"), m("25000"), "short"]],
  };
  for (const [method, rows] of Object.entries(want)) {
    const r = matchLots(LEDGER, { method: method as LotMethod });
    assert.deepEqual(parts(r), rows, method);
    assert.equal(r.steps[0]!.proceeds, m("75000"));
  }
  // Open lots after FIFO: half of b2 (30,000), b3, b4.
  const fifo = matchLots(LEDGER, { method: "fifo" });
  assert.deepEqual(fifo.openLots.map((l) => [l.lotId, l.qty, l.basis]), [
    ["b2", q("0.5"), m("30000")],
    ["b3", q("1"), m("30000")],
    ["b4", q("1"), m("45000")],
  ]);
  // Average: the pool left, 155,000 - 58,125 = 96,875 for 2.5 BTC, shared by quantity: 19,375 + 38,750 + 38,750.
  const avg = matchLots(LEDGER, { method: "average" });
  assert.deepEqual(avg.openLots.map((l) => [l.lotId, l.qty, l.basis]), [
    ["b2", q("0.5"), m("19375")],
    ["b3", q("1"), m("38750")],
    ["b4", q("1"), m("38750")],
  ]);
});

Deno.test("matchLots: a sale uses only lots acquired at or before it; ties keep input order", () => {
  const ledger = [
    ev("b1", "buy", "2024-01-01", "1", "100"),
    ev("s1", "sell", "2024-02-01", "1", "150"),
    ev("b2", "buy", "2024-02-01", "1", "50"), // same instant, listed after: not available to s1
  ];
  const r = matchLots(ledger, { method: "lofo" });
  assert.equal(r.steps[0]!.parts[0]!.lotId, "b1");
  // Out of order input is sorted: the buy of 2023 comes first.
  const r2 = matchLots([ledger[1]!, ledger[0]!], { method: "fifo" });
  assert.equal(r2.steps[0]!.parts[0]!.lotId, "b1");
});

Deno.test("matchLots: holding period edges in New York (day before, on, after the anniversary; Feb 29)", () => {
  const term = (buy: string, sell: string, timeZone?: string): string => {
    const r = matchLots([ev("b1", "buy", buy, "1", "1"), ev("s1", "sell", sell, "1", "2")], {
      method: "fifo",
      timeZone,
    });
    return r.steps[0]!.parts[0]!.term;
  };
  assert.equal(term("2024-03-15", "2025-03-14"), "short"); // the day before the anniversary
  assert.equal(term("2024-03-15", "2025-03-15"), "short"); // on it: exactly one year, not more
  assert.equal(term("2024-03-15", "2025-03-16"), "long"); // the day after
  assert.equal(term("2024-02-29", "2025-02-28"), "short");
  assert.equal(term("2024-02-29", "2025-03-01"), "long");
  // 23:30 in New York on 2024-03-15 is 03:30Z on 2024-03-16: the New York date counts.
  assert.equal(term("2024-03-16T03:30:00Z", "2025-03-16"), "long");
  assert.equal(term("2024-03-16T03:30:00Z", "2025-03-16", "UTC"), "short"); // in UTC it is the anniversary
});

Deno.test("matchLots: fees add to a buy's basis and reduce a sale's proceeds", () => {
  const r = matchLots([
    ev("b1", "buy", "2024-01-02", "1", "10000", { fee: "10" }),
    ev("s1", "sell", "2024-05-02", "0.4", "5000", { fee: "5" }),
  ], { method: "fifo" });
  // Basis 10,010 x 0.4 = 4,004; proceeds 5,000 - 5 = 4,995.
  assert.deepEqual(parts(r), [["b1", q("0.4"), m("4004"), m("4995"), "short"]]);
  assert.equal(r.openLots[0]!.basis, m("6006"));
});

Deno.test("matchLots: one sale gives a short and a long part", () => {
  const r = matchLots([
    ev("b1", "buy", "2023-05-01", "1", "100"),
    ev("b2", "buy", "2024-05-01", "1", "200"),
    ev("s1", "sell", "2024-06-01", "2", "500"),
  ], { method: "fifo" });
  assert.deepEqual(r.steps[0]!.parts.map((p) => p.term), ["long", "short"]);
});

Deno.test("matchLots: a split basis rounds half to even at MONEY_DP and loses nothing", () => {
  // 3 units for 10.00; selling 1 takes 10 / 3 = 3.333333333333|33 -> 3.333333333333, leaving 6.666666666667;
  // the next 1 of 2 takes 6.666666666667 / 2 = 3.3333333333335 -> 3.333333333334 (to even), leaving
  // 3.333333333333. Sum 3.333333333333 + 3.333333333334 + 3.333333333333 = 10.
  const r = matchLots([
    ev("b1", "buy", "2024-01-02", "3", "10"),
    ev("s1", "sell", "2024-02-02", "1", "5"),
    ev("s2", "sell", "2024-03-02", "1", "5"),
  ], { method: "fifo" });
  assert.equal(r.steps[0]!.parts[0]!.basis, m("3.333333333333"));
  assert.equal(r.steps[1]!.parts[0]!.basis, m("3.333333333334"));
  assert.equal(r.openLots[0]!.basis, m("3.333333333333"));
});

Deno.test("matchLots: sale proceeds are shared by quantity, the last part taking the rest", () => {
  // 10.00 over 1/3 and 2/3 of a unit: 10 x (1/3) = 3.333333333333(3) -> 3.333333333333; the rest 6.666666666667.
  const r = matchLots([
    ev("b1", "buy", "2024-01-02", "0.333333333333333333", "1"),
    ev("b2", "buy", "2024-01-03", "0.666666666666666667", "1"),
    ev("s1", "sell", "2024-02-02", "1", "10"),
  ], { method: "fifo" });
  assert.deepEqual(r.steps[0]!.parts.map((p) => p.proceeds), [m("3.333333333333"), m("6.666666666667")]);
});

Deno.test("matchLots: oversell is an error naming the event, its source, the asset and the quantity short", () => {
  const ledger = [ev("b1", "buy", "2024-01-02", "1", "100"), ev("s9", "sell", "2024-02-02", "1.25", "200")];
  assert.throws(() => matchLots(ledger, { method: "fifo" }), (e: unknown) => {
    assert.ok(e instanceof TaxMatchError);
    assert.equal(e.eventId, "s9");
    assert.equal(e.source, "t.csv:9");
    assert.match(e.message, /sell s9 \(t\.csv:9\): sells 1\.25 BTC on 2024-02-02 but holds 1 BTC: 0\.25 BTC short/);
    assert.match(e.message, /zero-basis/);
    return true;
  });
});

Deno.test("matchLots: zero-basis oversell gives a flagged part acquired on the sale date, short-term", () => {
  const ledger = [ev("b1", "buy", "2024-01-02", "1", "100"), ev("s9", "sell", "2025-02-02", "1.25", "250")];
  const r = matchLots(ledger, { method: "fifo", oversell: "zero-basis" });
  // 250 by quantity: b1 250 x 1 / 1.25 = 200 (long), the zero-basis 0.25 the rest 50.
  assert.deepEqual(parts(r), [["b1", q("1"), m("100"), m("200"), "long"], [
    "(zero basis)",
    q("0.25"),
    0n,
    m("50"),
    "short",
  ]]);
  const zb = r.steps[0]!.parts[1]!;
  assert.equal(zb.zeroBasis, true);
  assert.equal(zb.acquiredAt, ledger[1]!.time);
  assert.equal(r.warnings.length, 1);
  assert.match(r.warnings[0]!.text, /0\.25 BTC more than held on 2025-02-02: given a zero basis/);
  assert.equal(r.openLots.length, 0);
});

Deno.test("matchLots: specific identification errors name the sale and the lot", () => {
  const base = [ev("b1", "buy", "2024-01-02", "1", "100"), ev("b2", "buy", "2024-03-02", "1", "100")];
  const sell = (lots: string[] | undefined, qty = "1") => ev("s5", "sell", "2024-02-02", qty, "150", { lots });
  const run = (ledger: LedgerEvent[]) => () => matchLots(ledger, { method: "specific" });
  assert.throws(run([...base, sell(undefined)]), /sell s5 \(t\.csv:5\): names no lots/);
  assert.throws(run([...base, sell(["b7"])]), /lot b7 is unknown/);
  assert.throws(run([...base, sell(["b2"])]), /lot b2 was acquired at 2024-03-02T15:00:00\.000Z, after this sell/);
  assert.throws(
    run([
      ...base,
      ev("b3", "buy", "2024-01-03", "1", "1"),
      sell(["b1"]),
      ev("s6", "sell", "2024-02-03", "0.5", "1", { lots: ["b1"] }),
    ]),
    /s6.*lot b1 is used up/,
  );
  assert.throws(
    run([...base, ev("e3", "buy", "2024-01-03", "1", "1", { asset: "ETH" }), sell(["e3"])]),
    /lot e3 is a lot of ETH, not BTC/,
  );
  assert.throws(
    run([...base, ev("b3", "buy", "2024-01-03", "1", "1"), sell(["b1"], "1.5")]),
    /the lots named \(b1\) cover 1 of the 1\.5 BTC/,
  );
  // A fee event naming no lot uses FIFO order.
  const r = matchLots([...base, ev("f4", "fee", "2024-04-02", "0.1", "10")], { method: "specific" });
  assert.equal(r.steps[0]!.parts[0]!.lotId, "b1");
  assert.equal(r.steps[0]!.parts[0]!.named, false);
});

Deno.test("matchLots: a transfer is not a disposal; lots keep their dates and basis", () => {
  const r = matchLots([
    ev("b1", "buy", "2024-01-02", "1", "100"),
    ev("t2", "transfer", "2024-03-02", "1", "0", { fromWallet: "binance", toWallet: "ledger" }),
    ev("s3", "sell", "2025-02-02", "1", "300"),
  ], { method: "fifo" });
  assert.equal(r.steps[0]!.event.kind, "transfer");
  assert.deepEqual(parts(r, 0), [["b1", q("1"), m("100"), 0n, "short"]]);
  // The sale a year later still uses b1's date (2024-01-02): long-term.
  assert.deepEqual(parts(r, 1), [["b1", q("1"), m("100"), m("300"), "long"]]);
  const before = matchLots(r.events.slice(0, 2), { method: "fifo" });
  assert.equal(before.openLots[0]!.origin, "transfer");
  assert.equal(before.openLots[0]!.wallet, "ledger");
  assert.throws(
    () => matchLots([ev("t1", "transfer", "2024-01-02", "1", "0")], { method: "fifo" }),
    /transfer t1 .*moves 1 BTC but holds 0/,
  );
});

Deno.test("matchLots: income makes a lot of basis value + fee; a fee event is a disposal", () => {
  const r = matchLots([
    ev("i1", "income", "2024-01-02", "0.1", "4000", { incomeType: "staking", asset: "ETH" }),
    ev("f2", "fee", "2024-02-02", "0.01", "30", { asset: "ETH" }),
  ], { method: "fifo" });
  // 4,000 x 0.01 / 0.1 = 400 of basis for 30 of proceeds.
  assert.deepEqual(parts(r), [["i1", q("0.01"), m("400"), m("30"), "short"]]);
  assert.equal(r.openLots[0]!.origin, "income");
});

Deno.test("matchLots: until stops after that instant", () => {
  const r = matchLots(LEDGER, { method: "fifo", until: Date.UTC(2024, 10, 30) });
  assert.equal(r.processed, 4);
  assert.equal(r.steps.length, 0);
  assert.equal(r.openLots.length, 4);
});

Deno.test("matchLots: bad options and events are RangeErrors and TaxMatchErrors", () => {
  assert.throws(() => matchLots(LEDGER, { method: "best" as LotMethod }), /lot method "best" is not one of fifo/);
  assert.throws(() => matchLots(LEDGER, { method: "fifo", timeZone: "Nowhere" }), /unknown time zone "Nowhere"/);
  assert.throws(() => matchLots([{ ...LEDGER[0]!, qty: 0n }], { method: "fifo" }), /quantity 0 is not positive/);
  assert.throws(
    () => matchLots([{ ...LEDGER[0]!, kind: "swap" as "buy" }], { method: "fifo" }),
    /kind "swap" is not one of/,
  );
});

/** A deterministic PRNG (mulberry32). */
function rng(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

Deno.test("matchLots: Σ basis in = Σ basis out + Σ basis left, and parts' proceeds sum to the sale's, over random ledgers", () => {
  for (let seed = 1; seed <= 40; seed++) {
    const r0 = rng(seed);
    const events: LedgerEvent[] = [];
    const held = new Map<string, bigint>();
    let t = Date.UTC(2022, 0, 1);
    for (let i = 0; i < 300; i++) {
      t += Math.floor(r0() * 5 * 86_400_000);
      const asset = ["BTC", "ETH", "SOL"][Math.floor(r0() * 3)]!;
      const h = held.get(asset) ?? 0n;
      const qty = BigInt(1 + Math.floor(r0() * 1e9)) * 10n ** 9n + BigInt(Math.floor(r0() * 1000));
      const value = BigInt(Math.floor(r0() * 1e15)) + 1n;
      const fee = BigInt(Math.floor(r0() * 1e11));
      const roll = r0();
      const base = { id: `e${i}`, time: t, asset, value, fee, source: { line: i + 2 } };
      if (roll < 0.5 || h === 0n) {
        events.push({ ...base, kind: roll < 0.1 ? "income" : "buy", qty });
        held.set(asset, h + qty);
      } else if (roll < 0.55) {
        events.push({ ...base, kind: "transfer", qty: h / 2n + 1n, value: 0n, fee: 0n });
      } else {
        // Some sales oversell, to exercise zero-basis parts.
        const sq = roll > 0.97 ? h + qty : (h * BigInt(1 + Math.floor(r0() * 100))) / 100n || 1n;
        events.push({ ...base, kind: roll > 0.9 ? "fee" : "sell", qty: sq });
        held.set(asset, sq >= h ? 0n : h - sq);
      }
    }
    const basisIn = events.reduce((s, e) => (e.kind === "buy" || e.kind === "income" ? s + e.value + e.fee : s), 0n);
    for (const method of ["fifo", "lifo", "hifo", "lofo", "average"] as const) {
      const r = matchLots(events, { method, oversell: "zero-basis", timeZone: "UTC" });
      let out = 0n;
      for (const s of r.steps) {
        if (s.event.kind === "transfer") continue;
        let p = 0n, qq = 0n;
        for (const part of s.parts) {
          out += part.basis;
          p += part.proceeds;
          qq += part.qty;
        }
        assert.equal(p, s.proceeds, `${method} seed ${seed} ${s.event.id} proceeds`);
        assert.equal(qq, s.event.qty, `${method} seed ${seed} ${s.event.id} qty`);
      }
      const left = r.openLots.reduce((s, l) => s + l.basis, 0n);
      assert.equal(out + left, basisIn, `${method} seed ${seed}`);
    }
  }
});

Deno.test("matchLots: scales are the contract's", () => {
  assert.equal(QTY_DP, 18);
  assert.equal(MONEY_DP, 12);
});

Deno.test("matchLots: specific identification: fee events in FIFO order between named sales", () => {
  const r = matchLots([
    ev("b1", "buy", "2024-01-02", "1", "100"),
    ev("b2", "buy", "2024-01-03", "1", "200"),
    ev("b3", "buy", "2024-01-04", "1", "300"),
    ev("f4", "fee", "2024-02-02", "1", "1"), // all of b1, FIFO
    ev("s5", "sell", "2024-02-03", "0.5", "150", { lots: ["b3"] }),
    ev("f6", "fee", "2024-02-04", "1.5", "1"), // b2, then what is left of b3
  ], { method: "specific" });
  assert.deepEqual(r.steps.map((s) => s.parts.map((p) => [p.lotId, p.qty, p.basis])), [
    [["b1", q("1"), m("100")]],
    [["b3", q("0.5"), m("150")]],
    [["b2", q("1"), m("200")], ["b3", q("0.5"), m("150")]],
  ]);
  assert.equal(r.openLots.length, 0);
  assert.throws(
    () =>
      matchLots([
        ...r.events,
        ev("b7", "buy", "2024-03-01", "1", "1"),
        ev("s8", "sell", "2024-03-02", "1", "1", { lots: ["b1"] }),
      ], {
        method: "specific",
      }),
    /lot b1 is used up/,
  );
});
