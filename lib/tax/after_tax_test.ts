import assert from "node:assert/strict";
import type { Trade } from "../types/mod.ts";
import { afterTax, type AfterTaxOptions } from "./after_tax.ts";

// Noon in New York (16:00Z in summer, 17:00Z in winter): the local date is the UTC date, so dates read plainly.
const noon = (date: string): number => Date.parse(`${date}T16:30:00Z`);

function trade(entry: number, exit: number, pnl: number, direction: "long" | "short" = "long"): Trade {
  return {
    asset: "BTC",
    direction,
    entryIndex: 0,
    exitIndex: Number.isNaN(exit) ? -1 : 1,
    entryTs: entry,
    exitTs: exit,
    entryPrice: 100,
    exitPrice: 100,
    size: 1,
    pnl,
    return: 0,
    fees: 0,
    bars: 1,
    durationMs: Number.isNaN(exit) ? 0 : exit - entry,
    exitReason: Number.isNaN(exit) ? "open" : "signal",
  };
}

const RATES: AfterTaxOptions = { shortRate: 0.37, longRate: 0.2, initialCash: 10_000, finalEquity: 10_000 };

Deno.test("a long sold on the anniversary (365 days) is short-term; a day later (366 days) long-term", () => {
  const onAnniversary = afterTax([trade(noon("2022-06-15"), noon("2023-06-15"), 1000)], RATES);
  assert.equal(onAnniversary.byYear[0]!.shortGain, "1000.00");
  assert.equal(onAnniversary.byYear[0]!.longGain, "0.00");
  assert.equal(onAnniversary.totalTax, "370.00");
  const dayAfter = afterTax([trade(noon("2022-06-15"), noon("2023-06-16"), 1000)], RATES);
  assert.equal(dayAfter.byYear[0]!.longGain, "1000.00");
  assert.equal(dayAfter.byYear[0]!.taxedLong, "1000.00");
  assert.equal(dayAfter.totalTax, "200.00");
});

Deno.test("the term and the year are counted by local date in the time zone", () => {
  // 2023-06-16T02:00Z is the evening of June 15 in New York: held one year there, more than one in UTC.
  const t = [trade(noon("2022-06-15"), Date.parse("2023-06-16T02:00:00Z"), 1000)];
  assert.equal(afterTax(t, RATES).totalTax, "370.00");
  assert.equal(afterTax(t, { ...RATES, timeZone: "UTC" }).totalTax, "200.00");
  // New Year's Eve in New York is already January 1 in UTC.
  const eve = [trade(noon("2024-06-01"), Date.parse("2025-01-01T03:00:00Z"), 50)];
  assert.equal(afterTax(eve, RATES).byYear[0]!.year, 2024);
  assert.equal(afterTax(eve, { ...RATES, timeZone: "UTC" }).byYear[0]!.year, 2025);
});

Deno.test("a short sale's gain is short-term however long it was held", () => {
  const r = afterTax([trade(noon("2021-01-04"), noon("2023-02-01"), 500, "short")], RATES);
  assert.equal(r.byYear[0]!.shortGain, "500.00");
  assert.equal(r.byYear[0]!.longGain, "0.00");
  assert.equal(r.totalTax, "185.00");
});

Deno.test("a net loss is carried forward to the gain years, keeping its term", () => {
  const trades = [
    trade(noon("2021-01-04"), noon("2023-03-01"), -3000), // long-term loss in 2023
    trade(noon("2024-01-02"), noon("2024-02-01"), 1000), // short-term gain in 2024: all absorbed
    trade(noon("2025-01-02"), noon("2025-02-03"), 2500), // short-term gain in 2025: 500 left after the carry
  ];
  const r = afterTax(trades, RATES);
  assert.deepEqual(r.byYear.map((y) => [y.year, y.net, y.lossCarriedIn.long, y.lossCarriedOut.long, y.tax]), [
    [2023, "-3000.00", "0.00", "3000.00", "0.00"],
    [2024, "-2000.00", "3000.00", "2000.00", "0.00"],
    [2025, "500.00", "2000.00", "0.00", "185.00"],
  ]);
  // A long-term carry offsets a short-term gain: what is taxed is short-term.
  assert.equal(r.byYear[2]!.taxedShort, "500.00");
  assert.equal(r.byYear[2]!.taxedLong, "0.00");
  assert.equal(r.totalTax, "185.00");
  assert.equal(r.lossCarriedForward, "0.00");
  assert.equal(r.realizedGain, "500.00");

  const noCarry = afterTax(trades, { ...RATES, lossCarryforward: false });
  assert.deepEqual(noCarry.byYear.map((y) => y.tax), ["0.00", "370.00", "925.00"]);
  assert.equal(noCarry.totalTax, "1295.00");
});

Deno.test("a loss left at the end is reported as still carried", () => {
  const r = afterTax([
    trade(noon("2024-01-02"), noon("2024-03-01"), -700),
    trade(noon("2023-01-03"), noon("2024-03-01"), -300), // long-term
  ], RATES);
  const y = r.byYear[0]!;
  assert.deepEqual(y.lossCarriedOut, { short: "700.00", long: "300.00", total: "1000.00" });
  assert.equal(r.lossCarriedForward, "1000.00");
  assert.equal(r.totalTax, "0.00");
});

Deno.test("Schedule D netting: a short-term loss against a long-term gain, and the reverse", () => {
  const shortLoss = afterTax([
    trade(noon("2024-05-01"), noon("2024-06-03"), -400),
    trade(noon("2023-01-03"), noon("2024-06-03"), 1000),
  ], RATES);
  const y = shortLoss.byYear[0]!;
  assert.deepEqual([y.shortGain, y.longGain, y.net, y.taxedShort, y.taxedLong], [
    "-400.00",
    "1000.00",
    "600.00",
    "0.00",
    "600.00",
  ]);
  assert.equal(shortLoss.totalTax, "120.00"); // 0.20 x 600, not 0.20 x 1000

  const longLoss = afterTax([
    trade(noon("2024-05-01"), noon("2024-06-03"), 1000),
    trade(noon("2023-01-03"), noon("2024-06-03"), -1500),
  ], RATES);
  assert.equal(longLoss.totalTax, "0.00");
  assert.deepEqual(longLoss.byYear[0]!.lossCarriedOut, { short: "0.00", long: "500.00", total: "500.00" });

  const longLossSmaller = afterTax([
    trade(noon("2024-05-01"), noon("2024-06-03"), 1000),
    trade(noon("2023-01-03"), noon("2024-06-03"), -250),
  ], RATES);
  assert.equal(longLossSmaller.byYear[0]!.taxedShort, "750.00");
  assert.equal(longLossSmaller.totalTax, "277.50");
});

Deno.test("amounts are exact decimals and the tax is rounded once to cents, half to even", () => {
  // 5.35 x 0.5 = 2.675 exactly: half to even gives 2.68 (binary floating point has 2.67499... and says 2.67).
  assert.equal((5.35 * 0.5).toFixed(2), "2.67");
  const one = afterTax([trade(noon("2024-01-02"), noon("2024-02-01"), 5.35)], { ...RATES, shortRate: 0.5 });
  assert.equal(one.totalTax, "2.68");
  // 0.05 x 0.5 = 0.025: the even cent, 0.02.
  const half = afterTax([trade(noon("2024-01-02"), noon("2024-02-01"), 0.05)], { ...RATES, shortRate: 0.5 });
  assert.equal(half.totalTax, "0.02");
  // Ten trades of 0.1 sum to exactly 1 (in floating point 0.9999999999999999).
  const tenth = Array.from({ length: 10 }, () => trade(noon("2024-01-02"), noon("2024-02-01"), 0.1));
  const r = afterTax(tenth, { ...RATES, shortRate: 1 });
  assert.equal(r.realizedGain, "1.00");
  assert.equal(r.totalTax, "1.00");
  // The year is rounded, not each trade: 3 x 0.01 x 0.5 = 0.015 -> 0.02, where per trade it would be 3 x 0.00.
  const small = Array.from({ length: 3 }, () => trade(noon("2024-01-02"), noon("2024-02-01"), 0.01));
  assert.equal(afterTax(small, { ...RATES, shortRate: 0.5 }).totalTax, "0.02");
});

Deno.test("after-tax equity, returns, CAGR and tax drag; open trades are not taxed", () => {
  const r = afterTax([
    trade(noon("2024-01-02"), noon("2024-02-01"), 270.27), // 0.37 x 270.27 = 99.9999 -> 100.00
    trade(noon("2025-01-02"), NaN, 5000), // still open at the end
  ], { ...RATES, initialCash: 10_000, finalEquity: 12_100, years: 2 });
  assert.equal(r.totalTax, "100.00");
  assert.equal(r.openTrades, 1);
  assert.equal(r.closedTrades, 1);
  assert.equal(r.byYear.length, 1);
  assert.equal(r.afterTaxFinalEquity, 12_000);
  assert.ok(Math.abs(r.totalReturn - 0.21) < 1e-12);
  assert.ok(Math.abs(r.afterTaxTotalReturn - 0.2) < 1e-12);
  assert.ok(Math.abs(r.taxDrag - 0.01) < 1e-12);
  assert.ok(Math.abs(r.cagr! - 0.1) < 1e-12);
  assert.ok(Math.abs(r.afterTaxCagr! - (Math.sqrt(1.2) - 1)) < 1e-12);
  assert.ok(Math.abs(r.cagrDrag! - (1.1 - Math.sqrt(1.2))) < 1e-12);
  assert.equal(afterTax([], RATES).cagr, null);
  assert.equal(afterTax([], RATES).totalTax, "0.00");
});

Deno.test("bad options and trades are errors naming the value", () => {
  assert.throws(() => afterTax([], { ...RATES, shortRate: 37 }), /shortRate 37 is not a tax rate from 0 to 1/);
  assert.throws(() => afterTax([], { ...RATES, longRate: -0.1 }), /longRate -0.1 is not a tax rate/);
  assert.throws(() => afterTax([], { ...RATES, longRate: NaN }), /longRate NaN/);
  assert.throws(() => afterTax([], { ...RATES, initialCash: 0 }), /initialCash 0 is not a starting cash/);
  assert.throws(() => afterTax([], { ...RATES, finalEquity: Infinity }), /finalEquity Infinity/);
  assert.throws(() => afterTax([], { ...RATES, years: 0 }), /years 0 is not a run length/);
  assert.throws(() => afterTax([], { ...RATES, timeZone: "Mars/Base" }), /unknown time zone "Mars\/Base"/);
  assert.throws(
    () => afterTax([trade(noon("2024-01-02"), noon("2024-02-01"), NaN)], RATES),
    /trade 0 \(BTC\) pnl NaN is not a finite number/,
  );
});
