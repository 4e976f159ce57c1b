import type { Trade } from "../types/mod.ts";
import { CENTS_DP, divRoundHalfEven, formatFixed, MONEY_DP, numberToFixed, pow10, rescale } from "./fixed.ts";
import { holdingTerm } from "./holding_period.ts";
import { civilFromDays } from "../types/mod.ts";
import { LocalCalendar } from "./local_calendar.ts";

/** Options of {@link afterTax}. */
export interface AfterTaxOptions {
  /** Tax rate on a net short-term gain, 0..1 (0.37 for 37 %). */
  shortRate: number;
  /** Tax rate on a net long-term gain, 0..1. */
  longRate: number;
  /** IANA zone the tax year and the holding period are counted in. Default `America/New_York`. */
  timeZone?: string;
  /** The run's starting cash (the base of both total returns). */
  initialCash: number;
  /** The run's final equity before tax. */
  finalEquity: number;
  /**
   * The run's length in years, as its pre-tax CAGR counts it (the backtest's `cagr` stat: the span from the first
   * to the last bar in 365-day years). Without it both CAGRs are `null`.
   */
  years?: number;
  /** Carry a net capital loss forward to later years. Default `true`; `false` drops it at its year's end. */
  lossCarryforward?: boolean;
}

/** Amounts of the two terms (decimal texts at cents, half to even) and their sum. */
export interface TermAmounts {
  short: string;
  long: string;
  total: string;
}

/** One tax year of a run: the local calendar year in which its trades closed. */
export interface AfterTaxYear {
  year: number;
  /** Closed trades whose exit falls in the year. */
  trades: number;
  /** The year's short-term realized P&L (all of a short sale's, and a long's held one year or less). */
  shortGain: string;
  /** The year's long-term realized P&L (longs held more than one year). */
  longGain: string;
  /** Capital loss carried in from earlier years, by its term. */
  lossCarriedIn: TermAmounts;
  /** `shortGain + longGain - lossCarriedIn.total`: negative when the year ends with a net capital loss. */
  net: string;
  /** The net short-term gain taxed at the short rate after netting the terms and the carried loss. */
  taxedShort: string;
  /** The net long-term gain taxed at the long rate after netting. */
  taxedLong: string;
  /** Capital loss carried out to the next year, by its term (zero without carryforward). */
  lossCarriedOut: TermAmounts;
  /** `shortRate x taxedShort + longRate x taxedLong`, rounded once to cents, half to even. */
  tax: string;
}

/** After-tax figures of a backtest; amounts are decimal texts at cents, ratios are numbers. */
export interface AfterTaxResult {
  shortRate: number;
  longRate: number;
  timeZone: string;
  lossCarryforward: boolean;
  /** One row per year in which a trade closed, oldest first. */
  byYear: AfterTaxYear[];
  /** Σ realized P&L of the closed trades. */
  realizedGain: string;
  /** Σ tax of the years. */
  totalTax: string;
  /** The net capital loss still unused after the last year (it would carry on; no ordinary-income offset). */
  lossCarriedForward: string;
  /** Round trips that closed: the taxed ones. */
  closedTrades: number;
  /** Trades still open at the end (exitIndex -1, `finalize: "open"`): unrealized, not taxed. */
  openTrades: number;
  initialCash: number;
  finalEquity: number;
  /** `finalEquity - totalTax`. */
  afterTaxFinalEquity: number;
  /** `finalEquity / initialCash - 1`. */
  totalReturn: number;
  /** `afterTaxFinalEquity / initialCash - 1`. */
  afterTaxTotalReturn: number;
  /** `(finalEquity / initialCash) ** (1 / years) - 1`, or `null` without `years` or below zero. */
  cagr: number | null;
  /** The same of the after-tax final equity. */
  afterTaxCagr: number | null;
  /** Tax drag: `totalReturn - afterTaxTotalReturn` (= totalTax / initialCash). */
  taxDrag: number;
  /** `cagr - afterTaxCagr`, or `null`. */
  cagrDrag: number | null;
}

// A rate is a decimal with up to this many places (0.37 is exact): tax = gain x rate needs no rounding until cents.
const RATE_DP = 12;

/**
 * After-tax figures of a backtest: US short- and long-term rates applied to the realized gains of the run, by tax
 * year, so a quant sees what turnover costs after tax.
 *
 * The model:
 * - Each closed trade's realized P&L, net of its fees as the engine reports it (`Trade.pnl`), is one disposal in
 *   the local calendar year (in `timeZone`) of its exit. Amounts are exact: every P&L becomes a `bigint` at
 *   {@link MONEY_DP} and the sums are exact; only the year's tax is rounded, once, to cents (half to even). Rows show
 *   amounts at cents, so a row's parts can differ from its sum by a cent.
 * - A long's term is counted by calendar date from its entry to its exit ({@link holdingTerm}: long-term only when
 *   held more than one year). A short sale's gain or loss is short-term whatever its length: the US general rule
 *   for short sales (IRC §1233; the long-term exceptions for substantially identical property held are not
 *   modelled).
 * - Each year nets as Schedule D does: the short-term and long-term totals, each less the loss carried in with
 *   that term, then a loss in one term offsets a gain in the other. A net short-term gain is taxed at `shortRate`,
 *   a net long-term gain at `longRate`. A net capital loss is carried forward to the next year keeping its term
 *   (as the Capital Loss Carryover Worksheet does); the $3,000 offset against ordinary income is left out, since
 *   the run has no other income. With `lossCarryforward: false` a year's net loss is dropped.
 * - The tax is paid at each year end out of the account, and the run is not re-simulated: after-tax final equity
 *   is `finalEquity - Σ tax`, so the growth the paid tax would have earned later is not taken off (a compounding
 *   strategy loses somewhat more than this shows).
 * - Trades still open at the end are unrealized and not taxed; {@link AfterTaxResult.openTrades} counts them. (A
 *   backtest's default `finalize: "close"` sells the last position at the last close: that sale is taxed.)
 * - Amounts are in the run's quote currency, taken as the reporting currency (a BTC-quoted run's tax is in BTC).
 *
 * Throws a `RangeError` naming the value when a rate is outside 0..1, the cash or equity is not a finite number
 * (cash above 0), the zone is unknown, or a closed trade has no finite P&L or times.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import type { Trade } from "../types/mod.ts";
 * import { afterTax } from "./after_tax.ts";
 * const trade = (entry: string, exit: string, pnl: number, direction: "long" | "short" = "long"): Trade => ({
 *   asset: "BTC", direction, entryIndex: 0, exitIndex: 1, entryTs: Date.parse(entry), exitTs: Date.parse(exit),
 *   entryPrice: 100, exitPrice: 110, size: 1, pnl, return: 0, fees: 0, bars: 1, durationMs: 0, exitReason: "signal",
 * });
 * const r = afterTax([
 *   trade("2023-03-01T15:00Z", "2024-03-01T15:00Z", 1000), // held exactly one year: short-term in 2024
 *   trade("2024-05-01T15:00Z", "2024-06-01T15:00Z", -400, "short"), // short-term loss, nets against the gain
 * ], { shortRate: 0.37, longRate: 0.2, initialCash: 10_000, finalEquity: 10_600 });
 * assert.equal(r.byYear[0]!.taxedShort, "600.00");
 * assert.equal(r.totalTax, "222.00"); // 0.37 x 600
 * assert.equal(r.afterTaxFinalEquity, 10_378);
 * assert.ok(Math.abs(r.taxDrag - 0.0222) < 1e-12);
 * ```
 */
export function afterTax(trades: readonly Trade[], options: AfterTaxOptions): AfterTaxResult {
  const shortRate = checkRate(options.shortRate, "shortRate");
  const longRate = checkRate(options.longRate, "longRate");
  const { initialCash, finalEquity, years } = options;
  if (!Number.isFinite(initialCash) || initialCash <= 0) {
    throw new RangeError(`initialCash ${initialCash} is not a starting cash: pass the run's cash, a number above 0`);
  }
  if (!Number.isFinite(finalEquity)) {
    throw new RangeError(`finalEquity ${finalEquity} is not a finite number: pass the run's final equity`);
  }
  if (years !== undefined && !(Number.isFinite(years) && years > 0)) {
    throw new RangeError(`years ${years} is not a run length: pass the years from the first to the last bar (> 0)`);
  }
  const timeZone = options.timeZone ?? "America/New_York";
  const cal = new LocalCalendar(timeZone);
  const dayOf = (ms: number): number => cal.dayOf(ms);
  const carryforward = options.lossCarryforward ?? true;

  // Per tax year: [short, long] sums at MONEY_DP and the trade count.
  const sums = new Map<number, { short: bigint; long: bigint; trades: number }>();
  let open = 0;
  let realized = 0n;
  for (let i = 0; i < trades.length; i++) {
    const t = trades[i]!;
    if (t.exitIndex < 0 || t.exitReason === "open") {
      open++;
      continue;
    }
    if (!Number.isFinite(t.exitTs) || !Number.isFinite(t.entryTs)) {
      throw new RangeError(
        `trade ${i} (${t.asset}) has entry time ${t.entryTs} and exit time ${t.exitTs}: a closed trade needs both`,
      );
    }
    const pnl = numberToFixed(t.pnl, MONEY_DP, `trade ${i} (${t.asset}) pnl`);
    const exitDay = dayOf(t.exitTs);
    const year = civilFromDays(exitDay)[0];
    const term = t.direction === "short" ? "short" : holdingTerm(dayOf(t.entryTs), exitDay);
    let s = sums.get(year);
    if (s === undefined) sums.set(year, s = { short: 0n, long: 0n, trades: 0 });
    if (term === "short") s.short += pnl;
    else s.long += pnl;
    s.trades++;
    realized += pnl;
  }

  const rS = numberToFixed(shortRate, RATE_DP, "shortRate");
  const rL = numberToFixed(longRate, RATE_DP, "longRate");
  const toCentsScale = pow10(MONEY_DP + RATE_DP - CENTS_DP);
  const byYear: AfterTaxYear[] = [];
  let carryShort = 0n, carryLong = 0n; // losses carried, as positive amounts
  let totalTaxCents = 0n;
  for (const year of [...sums.keys()].sort((a, b) => a - b)) {
    const s = sums.get(year)!;
    const inShort = carryShort, inLong = carryLong;
    const st = s.short - inShort;
    const lt = s.long - inLong;
    let taxedShort = 0n, taxedLong = 0n, outShort = 0n, outLong = 0n;
    if (st >= 0n && lt >= 0n) {
      taxedShort = st;
      taxedLong = lt;
    } else if (st < 0n && lt < 0n) {
      outShort = -st;
      outLong = -lt;
    } else if (st < 0n) {
      // A short-term loss offsets the long-term gain; what remains keeps its own term.
      const net = st + lt;
      if (net >= 0n) taxedLong = net;
      else outShort = -net;
    } else {
      const net = st + lt;
      if (net >= 0n) taxedShort = net;
      else outLong = -net;
    }
    if (!carryforward) outShort = outLong = 0n;
    const taxCents = divRoundHalfEven(taxedShort * rS + taxedLong * rL, toCentsScale);
    totalTaxCents += taxCents;
    byYear.push({
      year,
      trades: s.trades,
      shortGain: cents(s.short),
      longGain: cents(s.long),
      lossCarriedIn: terms(inShort, inLong),
      net: cents(s.short + s.long - inShort - inLong),
      taxedShort: cents(taxedShort),
      taxedLong: cents(taxedLong),
      lossCarriedOut: terms(outShort, outLong),
      tax: formatFixed(taxCents, CENTS_DP),
    });
    carryShort = outShort;
    carryLong = outLong;
  }

  // Equity less tax in exact decimals, so 10,600 - 222.00 is 10,378 and not 10,377.999...
  const finalFixed = numberToFixed(finalEquity, MONEY_DP, "finalEquity");
  const afterFinal = Number(formatFixed(finalFixed - rescale(totalTaxCents, CENTS_DP, MONEY_DP), MONEY_DP));
  const totalReturn = finalEquity / initialCash - 1;
  const afterTaxTotalReturn = afterFinal / initialCash - 1;
  const cagr = growthRate(finalEquity / initialCash, years);
  const afterTaxCagr = growthRate(afterFinal / initialCash, years);
  return {
    shortRate,
    longRate,
    timeZone,
    lossCarryforward: carryforward,
    byYear,
    realizedGain: cents(realized),
    totalTax: formatFixed(totalTaxCents, CENTS_DP),
    lossCarriedForward: cents(carryShort + carryLong),
    closedTrades: trades.length - open,
    openTrades: open,
    initialCash,
    finalEquity,
    afterTaxFinalEquity: afterFinal,
    totalReturn,
    afterTaxTotalReturn,
    cagr,
    afterTaxCagr,
    taxDrag: totalReturn - afterTaxTotalReturn,
    cagrDrag: cagr === null || afterTaxCagr === null ? null : cagr - afterTaxCagr,
  };
}

function checkRate(rate: number, name: string): number {
  if (!(Number.isFinite(rate) && rate >= 0 && rate <= 1)) {
    throw new RangeError(`${name} ${rate} is not a tax rate from 0 to 1: write 0.37 for 37 %`);
  }
  return rate;
}

function cents(value: bigint): string {
  return formatFixed(rescale(value, MONEY_DP, CENTS_DP), CENTS_DP);
}

function terms(short: bigint, long: bigint): TermAmounts {
  return { short: cents(short), long: cents(long), total: cents(short + long) };
}

function growthRate(growth: number, years: number | undefined): number | null {
  if (years === undefined || !(growth >= 0)) return null;
  return Math.pow(growth, 1 / years) - 1;
}
