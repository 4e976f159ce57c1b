import { parseAmountText } from "./_amount_text.ts";
import { csvRecords } from "./_csv_records.ts";
import { priceQuote } from "./_price_quote.ts";
import { parseTradeTime } from "./_trade_time.ts";
import { formatFixed, MONEY_DP, mulDiv, pow10, QTY_DP, rescale } from "./fixed.ts";
import type { IncomeType, LedgerEvent, LedgerEventKind } from "./ledger_event.ts";
import { DEFAULT_PAR } from "./par_currencies.ts";
import {
  type ColumnMapping,
  CSV_SIDES,
  type CsvSide,
  parseColumnMapping,
  TRADE_COLUMNS,
  type TradeColumn,
} from "./parse_column_mapping.ts";
import type { PriceSource } from "./price_source.ts";
import { TaxInputError } from "./tax_input_error.ts";

export { parseColumnMapping };

/** Options of {@link readTradesCsv}. */
export interface ReadTradesCsvOptions {
  /** The file's name as the user gave it: errors and default ids (`<file>:<line>`) use it. */
  file: string;
  /** How the export's headers and sides map to ours ({@link parseColumnMapping}). */
  mapping?: ColumnMapping;
  /** Values income and fee rows whose `value` is empty (the asset's price at the row's time times its qty). */
  prices?: PriceSource;
  /** Assets taken at par as the reporting currency (their value is their qty); default {@link DEFAULT_PAR}. */
  par?: readonly string[];
}

const REQUIRED: readonly TradeColumn[] = ["time", "side", "qty", "asset", "value"];
const INCOME: ReadonlySet<string> = new Set(["income", "staking", "airdrop", "mining"]);

interface Pending {
  index: number;
  line: number;
  what: string;
}

/**
 * Reads a trades CSV into ledger events, in file order (the matcher sorts by time).
 *
 * Columns (header names case-insensitive; another export's names through `mapping`): `time`, `side`, `qty`,
 * `asset`, `value` (in the reporting currency) are required; `fee` (reporting currency), `lots` (lot ids separated
 * by `;`, for specific identification of a sell), `id` (else `<file>:<line>`), `from` and `to` (a transfer's
 * wallets) are optional. Other columns are ignored.
 *
 * - `side` (case-insensitive): `buy`, `sell`; `income`, `staking`, `airdrop`, `mining` (an income event of that
 *   type; its value becomes the lot's basis); `transfer` between own wallets (its value is 0, a fee is its own
 *   `fee` row); `fee`, a fee paid in an asset (a disposal of `qty` at `value`).
 * - `time`: ISO 8601 with `Z` or an offset (`2025-01-02T10:00:00Z`, `2025-01-02 10:00:00+01:00`), or epoch seconds
 *   (below 1e11) or milliseconds. A time without a zone is an error unless the mapping gives one (`zone=UTC`).
 * - Numbers are exact decimal texts (`parseFixed`, never through a binary float); a leading `$` and thousands
 *   commas (`$1,234.50`) are accepted. `qty` must be > 0, amounts >= 0: the side says the direction.
 * - `value` may be empty on income and fee rows: then `qty` x the asset's price from `prices` at the row's time (the
 *   note says where it came from); a par asset's value is its qty.
 *
 * Any bad row rejects the whole file with a {@link TaxInputError} naming the file, the line and the reason: unknown
 * side, zero or negative qty, an unparseable time or number, a missing required column (naming the headers found
 * and the mapping fix), a row with more or fewer fields than the header, a duplicate id, a missing price. A sell of
 * an asset never held and an oversell are the matcher's to find. Quoted fields, `""` escapes, CRLF endings and a
 * UTF-8 BOM are read as CSV has them (csv-parse).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { formatFixed, MONEY_DP, readTradesCsv } from "./mod.ts";
 * const csv = "time,side,qty,asset,value,fee\n2025-01-02T15:00:00Z,buy,0.5,BTC,30000,15\n" +
 *   "2025-03-04T15:00:00Z,Sell,0.2,BTC,13000.50,6.5\n";
 * const [buy, sell] = await readTradesCsv(csv, { file: "trades.csv" });
 * assert.equal(buy!.id, "trades.csv:2");
 * assert.equal(sell!.kind, "sell");
 * assert.equal(formatFixed(sell!.value - sell!.fee, MONEY_DP), "12994.000000000000");
 * await assert.rejects(readTradesCsv("time,side,qty,asset,value\n2025-01-02,hold,1,BTC,5\n", { file: "t.csv" }),
 *   /^TaxInputError: t\.csv:2: unknown side "hold"/);
 * ```
 */
export async function readTradesCsv(text: string, options: ReadTradesCsvOptions): Promise<LedgerEvent[]> {
  const file = options.file;
  const mapping = options.mapping ?? { columns: {}, sides: {} };
  const par = new Set(options.par ?? DEFAULT_PAR);
  const records = csvRecords(text, file);
  const head = records[0];
  if (head === undefined) {
    throw new TaxInputError(file, 1, `the file is empty; expected a header like time,side,qty,asset,value,fee`);
  }
  const header = head.fields.map((h) => h.trim());
  const lower = header.map((h) => h.toLowerCase());
  const col = {} as Record<TradeColumn, number>;
  for (const name of TRADE_COLUMNS) {
    const wanted = mapping.columns[name] ?? name;
    const idx = lower.indexOf(wanted.toLowerCase());
    if (idx >= 0 && lower.indexOf(wanted.toLowerCase(), idx + 1) >= 0) {
      throw new TaxInputError(file, head.line, `the header has two "${wanted}" columns; keep one or map ${name}`);
    }
    if (idx < 0 && REQUIRED.includes(name)) {
      const fix = mapping.columns[name] !== undefined
        ? `the mapping says ${name}=${wanted}: change it to one of the headers`
        : `rename a column to "${name}" or map it: ${name}=<header>`;
      throw new TaxInputError(
        file,
        head.line,
        `no "${wanted}" column for ${name}; the header has ${header.map((h) => JSON.stringify(h)).join(", ")}; ${fix}`,
      );
    }
    col[name] = idx;
  }

  const events: LedgerEvent[] = [];
  const pending: Pending[] = [];
  const ids = new Map<string, number>();
  for (let r = 1; r < records.length; r++) {
    const { line, fields } = records[r]!;
    if (fields.every((f) => f.trim() === "")) continue;
    const fail = (reason: string): never => {
      throw new TaxInputError(file, line, reason);
    };
    if (fields.length !== header.length) {
      fail(`the row has ${fields.length} fields, the header ${header.length}; quote a field that holds a comma`);
    }
    const cell = (name: TradeColumn): string => (col[name] < 0 ? "" : fields[col[name]]!.trim());
    const at = <T>(f: () => T): T => {
      try {
        return f();
      } catch (e) {
        return fail((e as Error).message);
      }
    };

    const sideText = cell("side");
    const side: CsvSide | undefined = mapping.sides[sideText.toLowerCase()] ??
      (CSV_SIDES.includes(sideText.toLowerCase() as CsvSide) ? sideText.toLowerCase() as CsvSide : undefined);
    if (side === undefined) {
      fail(
        `unknown side ${JSON.stringify(sideText)}; use ${CSV_SIDES.join(", ")} (any case), or map it: side.${
          sideText || "<text>"
        }=buy`,
      );
    }
    const kind: LedgerEventKind = INCOME.has(side!) ? "income" : side as LedgerEventKind;
    const time = at(() => parseTradeTime(cell("time"), mapping.zone));
    const asset = cell("asset");
    if (asset === "") fail(`asset is empty; name the asset (BTC)`);
    const qtyText = cell("qty");
    const qty = at(() => parseAmountText(qtyText, QTY_DP, "qty"));
    if (qty <= 0n) {
      fail(
        `qty ${JSON.stringify(qtyText)} is ${
          qty === 0n ? "zero" : "negative"
        }; a quantity is greater than 0, the side says the direction`,
      );
    }
    const amount = (name: "value" | "fee"): bigint | undefined => {
      const t = cell(name);
      if (t === "") return undefined;
      const v = at(() => parseAmountText(t, MONEY_DP, name));
      if (v < 0n) fail(`${name} ${JSON.stringify(t)} is negative; amounts are positive, the side says the direction`);
      return v;
    };
    let value = amount("value");
    const fee = amount("fee") ?? 0n;
    const lotsText = cell("lots");
    const lots = lotsText === "" ? undefined : lotsText.split(";").map((s) => s.trim()).filter((s) => s !== "");
    if (lots !== undefined && lots.length > 0 && kind !== "sell" && kind !== "fee") {
      fail(`lots ${JSON.stringify(lotsText)} on a ${side} row; lot ids pick the lots a sell (or fee) disposes of`);
    }
    if (kind === "transfer") {
      if (fee !== 0n) {
        fail(`a transfer's fee is its own row: side fee, the qty of the asset paid and its value`);
      }
      value = 0n;
    }
    if (value === undefined) {
      if (kind === "buy" || kind === "sell") {
        fail(`value is empty; a ${kind} needs its value in the reporting currency`);
      }
      if (par.has(asset)) value = rescale(qty, QTY_DP, MONEY_DP);
      else if (options.prices === undefined) {
        fail(`value is empty; give the ${side}'s value in the reporting currency, or pass stored prices to value it`);
      } else pending.push({ index: events.length, line, what: `${side} of ${qtyText} ${asset}` });
    }
    const id = cell("id") || `${file}:${line}`;
    const first = ids.get(id);
    if (first !== undefined) fail(`duplicate id ${JSON.stringify(id)} (first on line ${first}); ids must be unique`);
    ids.set(id, line);

    const ev: LedgerEvent = { id, kind, time, asset, qty, value: value ?? 0n, fee, source: { file, line } };
    if (kind === "income") ev.incomeType = side as IncomeType;
    if (lots !== undefined && lots.length > 0) ev.lots = lots;
    if (kind === "transfer") {
      if (cell("from") !== "") ev.fromWallet = cell("from");
      if (cell("to") !== "") ev.toWallet = cell("to");
    }
    events.push(ev);
  }

  for (const p of pending) {
    const ev = events[p.index]!;
    try {
      const q = await priceQuote(options.prices!, ev.asset, ev.time, p.what);
      ev.value = mulDiv(ev.qty, q.price, pow10(QTY_DP));
      ev.note = `valued at ${formatFixed(q.price, MONEY_DP).replace(/\.?0+$/, "")} per ${ev.asset} (${q.source})`;
    } catch (e) {
      throw new TaxInputError(file, p.line, (e as Error).message, { cause: e });
    }
  }
  return events;
}
