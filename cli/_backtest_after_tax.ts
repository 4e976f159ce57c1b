// `deno task backtest --after-tax st=0.37,lt=0.20[,tz=America/New_York][,carry=no]`: the flag, the figures of one
// run (lib/tax afterTax) and the block printed after the stats.

import type { BacktestResult, PortfolioResult, SimResult } from "../lib/backtest/mod.ts";
import { formatStat } from "../lib/metrics/mod.ts";
import { afterTax, type AfterTaxResult, LocalCalendar } from "../lib/tax/mod.ts";
import { textTable, UsageError } from "./_cli.ts";

/** What `--after-tax` asks for. */
export interface AfterTaxFlag {
  shortRate: number;
  longRate: number;
  timeZone: string;
  lossCarryforward: boolean;
}

const FORM = "st=0.37,lt=0.20[,tz=America/New_York][,carry=yes|no]";
const YEAR_MS = 365 * 86_400_000;

/** Parses `st=0.37,lt=0.20[,tz=ZONE][,carry=yes|no]` (rates as 0.37 or 37%); a bad part is a one-line UsageError. */
export function parseAfterTaxFlag(value: string): AfterTaxFlag {
  const bad = (why: string): never => {
    throw new UsageError(`--after-tax ${JSON.stringify(value)}: ${why}; write it as ${FORM}`);
  };
  const seen: Record<string, string> = {};
  for (const part of value.split(",")) {
    const eq = part.indexOf("=");
    const key = (eq < 0 ? part : part.slice(0, eq)).trim();
    if (eq < 0 || !["st", "lt", "tz", "carry"].includes(key)) {
      bad(`${JSON.stringify(part.trim())} is not one of st=RATE, lt=RATE, tz=ZONE, carry=yes|no`);
    }
    if (key in seen) bad(`${key} is given twice`);
    seen[key] = part.slice(eq + 1).trim();
  }
  const rate = (key: "st" | "lt", name: string): number => {
    const text = seen[key];
    if (text === undefined) return bad(`the ${name} rate ${key}= is missing`);
    const x = text.endsWith("%") ? Number(text.slice(0, -1)) / 100 : Number(text);
    if (text === "" || !Number.isFinite(x) || x < 0 || x > 1) {
      bad(`${key}=${text} is not a rate from 0 to 1 (0.37 or 37%)`);
    }
    return x;
  };
  const shortRate = rate("st", "short-term");
  const longRate = rate("lt", "long-term");
  const timeZone = seen.tz ?? "America/New_York";
  try {
    new LocalCalendar(timeZone);
  } catch {
    bad(`tz=${timeZone} is not a time zone (an IANA name such as America/New_York or UTC)`);
  }
  const carry = seen.carry ?? "yes";
  if (carry !== "yes" && carry !== "no") bad(`carry=${carry} is not yes or no`);
  return { shortRate, longRate, timeZone, lossCarryforward: carry === "yes" };
}

/** The after-tax figures of one run: its closed trades, starting cash, final equity and span (as its CAGR counts). */
export function afterTaxOfRun(
  result: BacktestResult<SimResult | PortfolioResult>,
  flag: AfterTaxFlag,
): AfterTaxResult {
  const ts = result.sim.ts;
  const span = ts.length > 1 ? (ts[ts.length - 1]! - ts[0]!) / YEAR_MS : 0;
  return afterTax(result.trades, {
    ...flag,
    initialCash: result.manifest.options.cash,
    finalEquity: result.stats.final_equity ?? result.sim.equity[result.sim.equity.length - 1]!,
    ...(span > 0 ? { years: span } : {}),
  });
}

/** The human block printed after the stats: the years, the total and what tax does to the return. */
export function afterTaxLines(r: AfterTaxResult): string[] {
  const lines = [
    `after tax (short-term ${pct(r.shortRate)}, long-term ${pct(r.longRate)}, tax years in ${r.timeZone}; ` +
    `taxes paid at each year end, the run not re-sized):`,
  ];
  if (r.byYear.length === 0) lines.push("  no trade closed: no realized gain, no tax");
  else {
    const rows = r.byYear.map((y) => [
      String(y.year),
      String(y.trades),
      money(y.shortGain),
      money(y.longGain),
      money(y.lossCarriedIn.total),
      money(y.net),
      money(y.tax),
    ]);
    rows.push(["total", String(r.closedTrades), "", "", "", money(r.realizedGain), money(r.totalTax)]);
    const header = ["Year", "Trades", "Short-term", "Long-term", "Loss in", "Net", "Tax"];
    lines.push(textTable(header, alignRight(header, rows)));
  }
  const cagr = r.cagr === null || r.afterTaxCagr === null
    ? ""
    : `, CAGR ${formatStat("cagr", r.afterTaxCagr)} (pre-tax ${formatStat("cagr", r.cagr)})`;
  lines.push(
    `after-tax final equity ${money(r.afterTaxFinalEquity.toFixed(2))}, total return ${
      formatStat("total_return", r.afterTaxTotalReturn)
    } (pre-tax ${formatStat("total_return", r.totalReturn)})${cagr}; tax drag ${(r.taxDrag * 100).toFixed(2)} pp`,
  );
  if (r.lossCarriedForward !== "0.00") {
    lines.push(`loss carried forward past the last year: ${money(r.lossCarriedForward)} (not used)`);
  }
  if (r.openTrades > 0) {
    lines.push(`${r.openTrades} open trade${r.openTrades === 1 ? "" : "s"} at the end: unrealized, not taxed`);
  }
  return lines;
}

function pct(x: number): string {
  return `${Number((x * 100).toFixed(4))}%`;
}

/** A decimal text with thousands separators: "-12345.60" -> "-12,345.60". */
function money(text: string): string {
  const [int = "", frac] = text.split(".");
  const grouped = int.replace(/\B(?=(\d{3})+(?!\d))/g, ",");
  return frac === undefined ? grouped : `${grouped}.${frac}`;
}

// textTable aligns only number cells right: the amounts are texts, padded here so their digits line up.
function alignRight(header: string[], rows: string[][]): string[][] {
  const widths = header.map((h, c) => Math.max(h.length, ...rows.map((r) => r[c]!.length)));
  return rows.map((r) => r.map((v, c) => (c === 0 ? v : v.padStart(widths[c]!))));
}
