import assert from "node:assert/strict";
import { buildTaxReport } from "./build_tax_report.ts";
import type { LedgerEvent } from "./ledger_event.ts";
import type { Form8949Row, LotMethod } from "./tax_report.ts";
import { ev } from "./_test_ledger.ts";

type Row = [string, string, string, string, string, string, string];
/** [lotId, dateAcquired, dateSold, proceeds, costBasis, gain, term] */
function rows(rs: Form8949Row[]): Row[] {
  return rs.map((r) => [r.lotId, r.dateAcquired, r.dateSold, r.proceeds, r.costBasis, r.gain, r.term]);
}

const LEDGER: LedgerEvent[] = [
  ev("b1", "buy", "2023-01-10", "1", "20000"),
  ev("b2", "buy", "2024-03-01", "1", "61000"),
  ev("b3", "buy", "2024-06-01", "1", "30000"),
  ev("b4", "buy", "2024-09-01", "1", "45000"),
  ev("s1", "sell", "2025-02-01", "1.5", "75000", { lots: ["b3", "b1"] }),
];

Deno.test("buildTaxReport: each method's rows, totals and trail reasons, worked by hand", () => {
  // Sale 2025-02-01 of 1.5 BTC for 75,000: proceeds 50,000 for the first whole lot, 25,000 for the half lot.
  // b1 (2023-01-10) is long-term; b2 (2024-03-01), b3 (2024-06-01), b4 (2024-09-01) are short-term.
  const want: Record<LotMethod, { rows: Row[]; reason: string; short: string; long: string }> = {
    // b1 20,000 -> gain 30,000 long; half of b2 30,500 -> 25,000 - 30,500 = -5,500 short.
    fifo: {
      rows: [
        ["b1", "2023-01-10", "2025-02-01", "50000.00", "20000.00", "30000.00", "long"],
        ["b2", "2024-03-01", "2025-02-01", "25000.00", "30500.00", "-5500.00", "short"],
      ],
      reason: "FIFO: the earliest lot held (acquired 2023-01-10)",
      short: "-5500.00",
      long: "30000.00",
    },
    // b4 45,000 -> 5,000; half of b3 15,000 -> 10,000; both short: 15,000.
    lifo: {
      rows: [
        ["b4", "2024-09-01", "2025-02-01", "50000.00", "45000.00", "5000.00", "short"],
        ["b3", "2024-06-01", "2025-02-01", "25000.00", "15000.00", "10000.00", "short"],
      ],
      reason: "LIFO: the latest lot held (acquired 2024-09-01)",
      short: "15000.00",
      long: "0.00",
    },
    // b2 61,000 -> -11,000; half of b4 22,500 -> 2,500; short -8,500.
    hifo: {
      rows: [
        ["b2", "2024-03-01", "2025-02-01", "50000.00", "61000.00", "-11000.00", "short"],
        ["b4", "2024-09-01", "2025-02-01", "25000.00", "22500.00", "2500.00", "short"],
      ],
      reason: "HIFO: the highest unit cost held, 61,000.00/BTC",
      short: "-8500.00",
      long: "0.00",
    },
    // b1 20,000 -> 30,000 long; half of b3 15,000 -> 10,000 short.
    lofo: {
      rows: [
        ["b1", "2023-01-10", "2025-02-01", "50000.00", "20000.00", "30000.00", "long"],
        ["b3", "2024-06-01", "2025-02-01", "25000.00", "15000.00", "10000.00", "short"],
      ],
      reason: "LOFO: the lowest unit cost held, 20,000.00/BTC",
      short: "10000.00",
      long: "30000.00",
    },
    // b3 30,000 -> 20,000 short; half of b1 10,000 -> 15,000 long.
    specific: {
      rows: [
        ["b3", "2024-06-01", "2025-02-01", "50000.00", "30000.00", "20000.00", "short"],
        ["b1", "2023-01-10", "2025-02-01", "25000.00", "10000.00", "15000.00", "long"],
      ],
      reason: "specific identification: lot b3 named by the disposal",
      short: "20000.00",
      long: "15000.00",
    },
    // Pool 156,000 / 4 = 39,000/BTC; 1.5 BTC = 58,500: b1 39,000 (gain 11,000 long), b2 half 19,500 (5,500 short).
    average: {
      rows: [
        ["b1", "2023-01-10", "2025-02-01", "50000.00", "39000.00", "11000.00", "long"],
        ["b2", "2024-03-01", "2025-02-01", "25000.00", "19500.00", "5500.00", "short"],
      ],
      reason: "average cost: pooled basis 39,000.00/BTC; dates in FIFO order (acquired 2023-01-10)",
      short: "5500.00",
      long: "11000.00",
    },
  };
  for (const [method, w] of Object.entries(want)) {
    const r = buildTaxReport(LEDGER, { year: 2025, method: method as LotMethod });
    assert.deepEqual(rows(r.form8949), w.rows, method);
    assert.equal(r.trail[0]!.matches[0]!.reason, w.reason, method);
    assert.equal(r.scheduleD.short.gain, w.short, method);
    assert.equal(r.scheduleD.long.gain, w.long, method);
    assert.equal(r.scheduleD.total.proceeds, "75000.00");
    assert.equal(r.scheduleD.total.rows, 2);
    assert.equal(r.gainsByMonth[1]!.short, w.short);
    assert.equal(r.gainsByMonth[1]!.long, w.long);
  }
});

Deno.test("buildTaxReport: carry-over: lots bought in 2023 are matched in 2025; only 2025 is reported", () => {
  const ledger = [
    ev("b1", "buy", "2023-04-01", "2", "20000"),
    ev("s1", "sell", "2024-02-01", "0.5", "15000"),
    ev("s2", "sell", "2025-07-01", "1", "50000"),
    ev("b2", "buy", "2026-01-05", "1", "90000"),
  ];
  const r = buildTaxReport(ledger, { year: 2025, method: "fifo" });
  // b1 cost 10,000/BTC: 2024 took 0.5 (5,000), 2025 takes 1 (10,000) -> gain 40,000, long.
  assert.deepEqual(rows(r.form8949), [["b1", "2023-04-01", "2025-07-01", "50000.00", "10000.00", "40000.00", "long"]]);
  assert.equal(r.trail.length, 1);
  // Held at the end of 2025: 0.5 of b1 (5,000); b2 of 2026 is not.
  assert.deepEqual(r.openLots.map((l) => [l.lotId, l.qty, l.costBasis, l.unitCost]), [
    ["b1", "0.5", "5000.00", "10000.00000000"],
  ]);
  assert.equal(r.gainsByMonth.length, 12);
  assert.deepEqual(r.gainsByMonth[6], { month: "2025-07", short: "0.00", long: "40000.00" });
  assert.deepEqual(r.inputs, { events: 4, sources: ["t.csv: 4 events"], from: "2023-04-01", to: "2026-01-05" });
  const r24 = buildTaxReport(ledger, { year: 2024, method: "fifo" });
  assert.deepEqual(rows(r24.form8949), [[
    "b1",
    "2023-04-01",
    "2024-02-01",
    "15000.00",
    "5000.00",
    "10000.00",
    "short",
  ]]);
});

Deno.test("buildTaxReport: the year is the calendar year in the report's zone", () => {
  const ledger = [
    ev("b1", "buy", "2025-06-01", "1", "100"),
    ev("s1", "sell", "2026-01-01T03:00:00Z", "1", "150"), // 22:00 on 2025-12-31 in New York
  ];
  assert.equal(buildTaxReport(ledger, { year: 2025, method: "fifo" }).form8949[0]!.dateSold, "2025-12-31");
  assert.equal(buildTaxReport(ledger, { year: 2026, method: "fifo" }).form8949.length, 0);
  assert.equal(buildTaxReport(ledger, { year: 2026, method: "fifo", timeZone: "UTC" }).form8949.length, 1);
});

Deno.test("buildTaxReport: fees on a buy and a sale, and the trail's sentence", () => {
  const r = buildTaxReport([
    ev("b1", "buy", "2025-01-02", "1", "10000", { fee: "10" }),
    ev("s1", "sell", "2025-05-02", "0.4", "5000", { fee: "5" }),
  ], { year: 2025, method: "fifo" });
  // Basis 10,010 x 0.4 = 4,004; proceeds 5,000 - 5 = 4,995; gain 991.
  assert.deepEqual(rows(r.form8949), [["b1", "2025-01-02", "2025-05-02", "4995.00", "4004.00", "991.00", "short"]]);
  assert.equal(r.trail[0]!.text, "sold 0.4 BTC for 4,995.00 net of a 5.00 fee: 1 lot, FIFO");
  assert.equal(r.trail[0]!.source, "t.csv:1");
  assert.equal(
    r.trail[0]!.matches[0]!.holding,
    "held 2025-01-02 to 2025-05-02: short-term, long-term only from 2026-01-03",
  );
  assert.equal(r.openLots[0]!.costBasis, "6006.00");
});

Deno.test("buildTaxReport: cents per event, half to even; rows add up to the event", () => {
  const r = buildTaxReport([
    // Basis 10.005 -> 10.00 (1000.5 cents to even: 1000); proceeds 20.125 -> 20.12; gain 10.12.
    ev("b1", "buy", "2025-01-02", "1", "10.005"),
    ev("s1", "sell", "2025-02-02", "1", "20.125"),
    // Basis 10.015 -> 10.02 (1001.5 to even: 1002); proceeds 20.135 -> 20.14; gain 10.12.
    ev("b2", "buy", "2025-01-03", "1", "10.015"),
    ev("s2", "sell", "2025-02-03", "1", "20.135"),
    // 100.01 over three lots of 1: 10,001 cents x 1/3 = 3,333.67 -> 3,334, again 3,334, the last the rest 3,333.
    ev("b3", "buy", "2025-01-04", "1", "1"),
    ev("b4", "buy", "2025-01-05", "1", "1"),
    ev("b5", "buy", "2025-01-06", "1", "1"),
    ev("s3", "sell", "2025-03-02", "3", "100.01"),
  ], { year: 2025, method: "fifo" });
  assert.deepEqual(r.form8949.map((x) => [x.proceeds, x.costBasis, x.gain]), [
    ["20.12", "10.00", "10.12"],
    ["20.14", "10.02", "10.12"],
    ["33.34", "1.00", "32.34"],
    ["33.34", "1.00", "32.34"],
    ["33.33", "1.00", "32.33"],
  ]);
  assert.equal(r.trail[2]!.proceeds, "100.01");
  // Totals are sums of the rounded rows: 20.12 + 20.14 + 100.01 = 140.27; basis 23.02; gain 117.25.
  assert.deepEqual(r.scheduleD.total, { proceeds: "140.27", costBasis: "23.02", gain: "117.25", rows: 5 });
});

Deno.test("buildTaxReport: income (staking) then its sale, a fee paid in an asset, a transfer", () => {
  const r = buildTaxReport([
    ev("i1", "income", "2025-01-05", "0.1", "350", { asset: "ETH", incomeType: "staking" }),
    ev("i2", "income", "2025-02-05", "0.05", "150", { asset: "ETH", incomeType: "airdrop" }),
    ev("t3", "transfer", "2025-03-05", "0.15", "0", { asset: "ETH", fromWallet: "kraken", toWallet: "ledger" }),
    ev("f4", "fee", "2025-04-05", "0.01", "30", { asset: "ETH" }),
    ev("s5", "sell", "2025-06-01", "0.09", "400", { asset: "ETH" }),
  ], { year: 2025, method: "fifo" });
  assert.deepEqual(r.income.rows.map((x) => [x.eventId, x.date, x.qty, x.value, x.incomeType]), [
    ["i1", "2025-01-05", "0.1", "350.00", "staking"],
    ["i2", "2025-02-05", "0.05", "150.00", "airdrop"],
  ]);
  assert.deepEqual(r.income.byType, { staking: "350.00", airdrop: "150.00" });
  assert.equal(r.income.total, "500.00");
  // Transfer: in the trail, not in the 8949 rows; the lots keep their basis.
  assert.equal(
    r.trail[0]!.text,
    "moved 0.15 ETH from kraken to ledger: not a disposal; 2 lots, FIFO, keep their dates and basis",
  );
  assert.equal(r.trail[0]!.proceeds, "0.00");
  // Fee: 0.01 ETH of i1 (350 x 0.01 / 0.1 = 35) for 30: a loss of 5. Sale: the other 0.09 of i1 (315) for 400: 85.
  assert.deepEqual(rows(r.form8949), [
    ["i1", "2025-01-05", "2025-04-05", "30.00", "35.00", "-5.00", "short"],
    ["i1", "2025-01-05", "2025-06-01", "400.00", "315.00", "85.00", "short"],
  ]);
  assert.equal(r.form8949[0]!.kind, "fee");
  assert.equal(r.trail[1]!.text, "paid a fee of 0.01 ETH worth 30.00: 1 lot, FIFO");
  assert.deepEqual(r.openLots.map((l) => [l.lotId, l.qty, l.costBasis, l.origin]), [[
    "i2",
    "0.05",
    "150.00",
    "transfer",
  ]]);
});

Deno.test("buildTaxReport: zero-basis oversells are flagged in the rows and the warnings", () => {
  const ledger = [ev("b1", "buy", "2025-01-02", "1", "100"), ev("s2", "sell", "2025-03-02", "1.5", "300")];
  assert.throws(() => buildTaxReport(ledger, { year: 2025, method: "fifo" }), /0\.5 BTC short/);
  const r = buildTaxReport(ledger, { year: 2025, method: "fifo", oversell: "zero-basis" });
  // 300 by quantity: b1 200, the oversold 0.5 the rest 100 with basis 0, acquired on the sale's date.
  assert.deepEqual(rows(r.form8949), [
    ["b1", "2025-01-02", "2025-03-02", "200.00", "100.00", "100.00", "short"],
    ["(zero basis)", "2025-03-02", "2025-03-02", "100.00", "0.00", "100.00", "short"],
  ]);
  assert.equal(r.form8949[1]!.zeroBasis, true);
  assert.equal(r.form8949[0]!.zeroBasis, undefined);
  assert.equal(r.trail[0]!.text, "sold 1.5 BTC for 300.00: 1 lot, FIFO; 0.5 BTC oversold at zero basis");
  assert.equal(r.oversell, "zero-basis");
  assert.equal(r.warnings.length, 1);
  assert.match(r.warnings[0]!, /s2 disposed of 0\.5 BTC more than held on 2025-03-02/);
  const next = buildTaxReport([...ledger, ev("b3", "buy", "2026-01-02", "1", "1")], {
    year: 2026,
    method: "fifo",
    oversell: "zero-basis",
  });
  assert.match(next.warnings[0]!, /^1 disposal or transfer before 2026 exceeded the lots held/);
});

Deno.test("buildTaxReport: events valued from price data are listed in the warnings", () => {
  const r = buildTaxReport([
    ev("b1", "buy", "2025-01-02", "1", "100", { note: "ETH/BTC buy valued at ETH/USDT close of the 1h bar" }),
  ], { year: 2025, method: "fifo" });
  assert.deepEqual(r.warnings, ["buy b1 (t.csv:1): ETH/BTC buy valued at ETH/USDT close of the 1h bar"]);
});

Deno.test("buildTaxReport: bad options are RangeErrors naming the value", () => {
  assert.throws(() => buildTaxReport(LEDGER, { year: 25, method: "fifo" }), /tax year 25 is not a year/);
  assert.throws(() => buildTaxReport(LEDGER, { year: 2025, method: "FIFO" as LotMethod }), /lot method "FIFO"/);
  assert.throws(
    () => buildTaxReport(LEDGER, { year: 2025, method: "fifo", oversell: "ignore" as "error" }),
    /oversell policy "ignore"/,
  );
  const r = buildTaxReport([], { year: 2025, method: "fifo" });
  assert.deepEqual(r.scheduleD.total, { proceeds: "0.00", costBasis: "0.00", gain: "0.00", rows: 0 });
  assert.deepEqual(r.inputs, { events: 0, sources: [], from: null, to: null });
  assert.equal(r.currency, "USD");
  assert.equal(r.timeZone, "America/New_York");
});
