// The report's "After tax" section: the after-tax figures of a run (lib/tax afterTax) as a table by tax year.

import { formatStat } from "../metrics/mod.ts";
import type { AfterTaxResult } from "../tax/mod.ts";
import { esc, table } from "./_html.ts";

/** The section's HTML: what the model is, the years with their tax, and the run's return before and after tax. */
export function afterTaxHtml(r: AfterTaxResult): string {
  const rate = (x: number): string => `${Number((x * 100).toFixed(4))}%`;
  const intro =
    `<p class="meta">Short-term rate <b>${rate(r.shortRate)}</b>, long-term rate <b>${
      rate(r.longRate)
    }</b> on the realized P&amp;L of each tax year (the exit's date in ${esc(r.timeZone)}); longs held more than ` +
    `one year are long-term, a short sale is short-term; the terms are netted and a net loss is ${
      r.lossCarryforward ? "carried forward with its term" : "not carried forward"
    }. Taxes are paid at each year end; the run is not re-sized for them.</p>`;
  const amount = (s: string): string => `<span class="${s.startsWith("-") ? "neg" : ""}">${esc(grouped(s))}</span>`;
  const rows = r.byYear.map((y) => [
    String(y.year),
    String(y.trades),
    amount(y.shortGain),
    amount(y.longGain),
    esc(grouped(y.lossCarriedIn.total)),
    amount(y.net),
    esc(grouped(y.lossCarriedOut.total)),
    `<b>${esc(grouped(y.tax))}</b>`,
  ]);
  rows.push([
    "Total",
    String(r.closedTrades),
    "",
    "",
    "",
    amount(r.realizedGain),
    "",
    `<b>${esc(grouped(r.totalTax))}</b>`,
  ]);
  const years = r.byYear.length === 0
    ? `<p class="note">No trade closed: no realized gain, no tax.</p>`
    : table(["Year", "Trades", "Short-term", "Long-term", "Loss in", "Net", "Loss out", "Tax"], rows, "after-tax");
  const cagr = r.cagr !== null && r.afterTaxCagr !== null;
  const summary = `<p class="meta" style="margin-top:14px">The run before and after tax</p>` +
    table(["", "Pre-tax", "After tax"], [
      [
        "Final equity",
        esc(formatStat("final_equity", r.finalEquity)),
        esc(formatStat("final_equity", r.afterTaxFinalEquity)),
      ],
      [
        "Total return",
        esc(formatStat("total_return", r.totalReturn)),
        esc(formatStat("total_return", r.afterTaxTotalReturn)),
      ],
      ...(cagr ? [["CAGR", esc(formatStat("cagr", r.cagr!)), esc(formatStat("cagr", r.afterTaxCagr!))]] : []),
      ["Tax drag", "", `${esc((r.taxDrag * 100).toFixed(2))} pp`],
    ], "stats");
  const open = r.openTrades > 0
    ? `<p class="note">${r.openTrades} trade${
      r.openTrades === 1 ? "" : "s"
    } still open at the end: unrealized, not taxed.</p>`
    : "";
  const left = r.lossCarriedForward !== "0.00"
    ? `<p class="note">A loss of ${
      esc(grouped(r.lossCarriedForward))
    } is still carried forward after the last year.</p>`
    : "";
  return `${intro}${years}${summary}${open}${left}`;
}

/** A decimal text with thousands separators: "-12345.60" -> "-12,345.60". */
function grouped(text: string): string {
  const [int = "", frac] = text.split(".");
  const g = int.replace(/\B(?=(\d{3})+(?!\d))/g, ",");
  return frac === undefined ? g : `${g}.${frac}`;
}
