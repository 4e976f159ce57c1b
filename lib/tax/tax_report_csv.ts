import type { TaxReport } from "./tax_report.ts";

/** A cell: quoted (RFC 4180) when it holds a comma, quote or line break. */
function cell(s: string): string {
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/**
 * A cell of free text from the input (ids, descriptions, wallets): a leading `=`, `+`, `@` or tab would make a
 * spreadsheet run it as a formula, so it gets a leading `'`. Amounts are written with {@link cell}: a loss's `-`
 * is a number's sign.
 */
function text(s: string): string {
  if (!SPECIAL.test(s)) return s; // the usual case, one test
  return cell(/^[=+@\t]/.test(s) ? `'${s}` : s);
}

const SPECIAL = /[",\r\n]|^[=+@\t]/;

function file(header: string[], rows: string[][]): string {
  // One join at the end: appending 100,000s of lines to a string builds a rope that is slow to flatten.
  const lines = new Array<string>(rows.length + 2);
  lines[0] = header.join(",");
  for (let i = 0; i < rows.length; i++) lines[i + 1] = rows[i]!.join(",");
  lines[rows.length + 1] = "";
  return lines.join("\n");
}

/**
 * The report as CSV files (header line, `\n` line ends, RFC 4180 quoting), keyed by file name:
 * - `form8949.csv`: one row per disposal part (Form 8949's description, dates, proceeds, cost basis, gain or
 *   loss, term), with the event and lot ids;
 * - `schedule_d.csv`: the short, long and total lines;
 * - `income.csv`: each receipt of the year;
 * - `open_lots.csv`: the lots held at the year's end;
 * - `trail.csv`: one row per lot each disposal or transfer used, with the step's sentence, the reason and the
 *   holding period.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { buildTaxReport, type LedgerEvent, MONEY_DP, parseFixed, QTY_DP, taxReportCsv } from "./mod.ts";
 * const ev = (id: string, kind: "buy" | "sell", date: string, qty: string, value: string): LedgerEvent => ({
 *   id, kind, time: Date.parse(`${date}T15:00:00Z`), asset: "BTC", qty: parseFixed(qty, QTY_DP),
 *   value: parseFixed(value, MONEY_DP), fee: 0n, source: { file: "trades.csv" },
 * });
 * const report = buildTaxReport([ev("b1", "buy", "2025-01-02", "1", "1000"), ev("s1", "sell", "2025-02-03", "1", "1500")],
 *   { year: 2025, method: "fifo" });
 * const files = taxReportCsv(report);
 * assert.deepEqual(Object.keys(files), ["form8949.csv", "schedule_d.csv", "income.csv", "open_lots.csv", "trail.csv"]);
 * assert.equal(files["form8949.csv"]!.split("\n")[1], "1 BTC,2025-01-02,2025-02-03,1500.00,1000.00,500.00,short,sell,s1,b1,BTC,1,");
 * assert.equal(files["schedule_d.csv"]!.split("\n")[3], "total,1500.00,1000.00,500.00,1");
 * ```
 */
export function taxReportCsv(report: TaxReport): Record<string, string> {
  const form8949 = file(
    [
      "description",
      "date_acquired",
      "date_sold",
      "proceeds",
      "cost_basis",
      "gain_or_loss",
      "term",
      "kind",
      "event_id",
      "lot_id",
      "asset",
      "qty",
      "zero_basis",
    ],
    report.form8949.map((r) => [
      text(r.description),
      r.dateAcquired,
      r.dateSold,
      r.proceeds,
      r.costBasis,
      r.gain,
      r.term,
      r.kind,
      text(r.eventId),
      text(r.lotId),
      text(r.asset),
      r.qty,
      r.zeroBasis ? "yes" : "",
    ]),
  );
  const d = report.scheduleD;
  const scheduleD = file(
    ["term", "proceeds", "cost_basis", "gain_or_loss", "rows"],
    (["short", "long", "total"] as const).map((k) => [k, d[k].proceeds, d[k].costBasis, d[k].gain, String(d[k].rows)]),
  );
  const income = file(
    ["date", "asset", "qty", "value", "income_type", "event_id"],
    report.income.rows.map((r) => [r.date, text(r.asset), r.qty, r.value, r.incomeType, text(r.eventId)]),
  );
  const openLots = file(
    ["lot_id", "asset", "date_acquired", "qty", "cost_basis", "unit_cost", "origin"],
    report.openLots.map((
      l,
    ) => [text(l.lotId), text(l.asset), l.dateAcquired, l.qty, l.costBasis, l.unitCost, l.origin]),
  );
  const trailRows: string[][] = [];
  for (const s of report.trail) {
    const step = [text(s.eventId), s.kind, s.date, text(s.asset), s.qty, s.proceeds, text(s.text), text(s.source)];
    if (s.matches.length === 0) trailRows.push([...step, "", "", "", "", "", "", "", "", ""]);
    for (const m of s.matches) {
      trailRows.push([
        ...step,
        text(m.lotId),
        m.qty,
        m.costBasis,
        m.proceeds,
        m.dateAcquired,
        m.term,
        text(m.reason),
        text(m.holding),
        m.zeroBasis ? "yes" : "",
      ]);
    }
  }
  const trail = file(
    [
      "event_id",
      "kind",
      "date",
      "asset",
      "qty",
      "proceeds",
      "text",
      "source",
      "lot_id",
      "lot_qty",
      "lot_cost_basis",
      "lot_proceeds",
      "date_acquired",
      "term",
      "reason",
      "holding",
      "zero_basis",
    ],
    trailRows,
  );
  return {
    "form8949.csv": form8949,
    "schedule_d.csv": scheduleD,
    "income.csv": income,
    "open_lots.csv": openLots,
    "trail.csv": trail,
  };
}
