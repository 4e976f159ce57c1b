import type { ParityOrder, ParityReport } from "./check_parity.ts";

/**
 * A parity report for terminals: the verdict line, the first difference as a two-row table (backtest, runner), the
 * look-ahead finding or the runner's error, and the counts and equities as evidence. Numbers are printed in full
 * (`String(x)`): the check is exact, so a rounded figure would hide the difference.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { formatParityReport } from "./format_parity_report.ts";
 * const text = formatParityReport({
 *   ok: false, strategy: "leaky", params: {}, bars: 3, timeframe: "1m", notes: [], elapsedMs: 1,
 *   orders: { backtest: 1, runner: 0 }, equity: { backtest: 11, runner: 10 },
 *   firstDifference: { index: 0, field: "missing", backtest: { bar: 1, ts: 60_000, side: "buy", size: 1, price: 10 } },
 * });
 * assert.match(text, /^parity leaky: DIFFERENT at order 0 \(missing\)/);
 * assert.match(text, /backtest\s+0\s+1\s+1970-01-01T00:01:00Z\s+buy\s+1\s+10/);
 * assert.match(text, /runner\s+-/);
 * ```
 */
export function formatParityReport(report: ParityReport): string {
  const r = report;
  const params = Object.keys(r.params).length ? ` ${JSON.stringify(r.params)}` : "";
  const lines: string[] = [];
  const d = r.firstDifference;
  if (r.ok) {
    lines.push(`parity ${r.strategy}${params}: OK, every order and the final equity are equal`);
  } else if (r.error !== undefined) {
    lines.push(`parity ${r.strategy}${params}: FAILED, the runner stopped: ${r.error}`);
  } else if (d !== undefined) {
    lines.push(`parity ${r.strategy}${params}: DIFFERENT at order ${d.index} (${d.field})`);
  } else {
    lines.push(`parity ${r.strategy}${params}: DIFFERENT`);
  }
  if (d !== undefined && d.field !== "equity") {
    lines.push("", table(d.index, d.backtest, d.runner), "");
  }
  if (r.lookAhead) lines.push(`look-ahead: ${r.lookAhead.detail}`);
  lines.push(
    `orders: backtest ${r.orders.backtest}, runner ${r.orders.runner}`,
    `final equity: backtest ${r.equity.backtest}, runner ${r.equity.runner}${
      Object.is(r.equity.backtest, r.equity.runner) ? " (equal)" : ` (differ by ${r.equity.runner - r.equity.backtest})`
    }`,
    `data: ${r.bars} bars of ${r.timeframe}; ${r.elapsedMs} ms`,
  );
  for (const note of r.notes) lines.push(`note: ${note}`);
  return lines.join("\n");
}

function table(index: number, bt: ParityOrder | undefined, run: ParityOrder | undefined): string {
  const row = (name: string, o: ParityOrder | undefined): string[] =>
    o === undefined
      ? [name, "-", "-", "-", "-", "-", "-"]
      : [name, String(index), String(o.bar), iso(o.ts), o.side, String(o.size), String(o.price)];
  const rows = [["", "order", "bar", "time", "side", "size", "price"], row("backtest", bt), row("runner", run)];
  const widths = rows[0]!.map((_, c) => Math.max(...rows.map((r) => r[c]!.length)));
  return rows.map((r) => r.map((v, c) => v.padEnd(widths[c]!)).join("  ").trimEnd()).join("\n");
}

function iso(ts: number): string {
  return Number.isFinite(ts) ? new Date(ts).toISOString().replace(".000Z", "Z") : "-";
}
