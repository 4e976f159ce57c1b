/** The columns of a trades CSV that {@link readTradesCsv} reads; `time, side, qty, asset, value` are required. */
export type TradeColumn = "time" | "side" | "qty" | "asset" | "value" | "fee" | "lots" | "id" | "from" | "to";

/** Every {@link TradeColumn}, required ones first. */
export const TRADE_COLUMNS: readonly TradeColumn[] = [
  "time",
  "side",
  "qty",
  "asset",
  "value",
  "fee",
  "lots",
  "id",
  "from",
  "to",
];

/** What a `side` cell can say (case-insensitive): the event kinds and the kinds of income. */
export type CsvSide = "buy" | "sell" | "income" | "staking" | "airdrop" | "mining" | "transfer" | "fee";

/** Every {@link CsvSide}. */
export const CSV_SIDES: readonly CsvSide[] = [
  "buy",
  "sell",
  "income",
  "staking",
  "airdrop",
  "mining",
  "transfer",
  "fee",
];

/** How an exchange's export maps to our columns, from {@link parseColumnMapping}. */
export interface ColumnMapping {
  /** Our column name to the file's header (matched case-insensitively). Columns not named keep their own name. */
  columns: Partial<Record<TradeColumn, string>>;
  /** An export's side text (lower case) to ours: `{ "rewards income": "staking" }`. */
  sides: Record<string, CsvSide>;
  /** The zone of times written without one: `UTC` or an offset `+02:00`. Unset: such a time is an error. */
  zone?: string;
}

/**
 * Parses a column mapping: comma-separated `ours=Theirs` entries. `time`, `side`, `qty`, `asset`, `value`, `fee`,
 * `lots`, `id`, `from`, `to` name the file's headers; `side.<their text>=<our side>` maps a side text (`side.Rewards
 * Income=staking`; sides are matched case-insensitively, so `BUY` and `Sell` need no entry); `zone=UTC` (or an
 * offset like `+08:00`) is the zone of times written without one, for exports whose header says `Date(UTC)`.
 * Throws a `RangeError` naming the bad entry and the fix.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { parseColumnMapping } from "./parse_column_mapping.ts";
 * const m = parseColumnMapping("time=Date(UTC),side=Type,qty=Amount,asset=Coin,value=Total,zone=UTC");
 * assert.equal(m.columns.time, "Date(UTC)");
 * assert.equal(m.zone, "UTC");
 * assert.deepEqual(parseColumnMapping("side.Rewards Income=staking").sides, { "rewards income": "staking" });
 * assert.throws(() => parseColumnMapping("price=Rate"), /unknown column "price"/);
 * ```
 */
export function parseColumnMapping(text: string): ColumnMapping {
  const out: ColumnMapping = { columns: {}, sides: {} };
  for (const raw of text.split(",")) {
    const entry = raw.trim();
    if (entry === "") continue;
    const eq = entry.indexOf("=");
    const name = eq < 0 ? entry : entry.slice(0, eq).trim();
    const value = eq < 0 ? "" : entry.slice(eq + 1).trim();
    if (eq < 0 || value === "") {
      throw new RangeError(`column mapping entry ${JSON.stringify(entry)} has no value; write it as ours=Theirs`);
    }
    if (name === "zone") {
      if (!/^(UTC|Z|[+-]\d{2}:?\d{2})$/i.test(value)) {
        throw new RangeError(`column mapping zone ${JSON.stringify(value)} is not UTC or an offset like +02:00`);
      }
      out.zone = value;
    } else if (name.toLowerCase().startsWith("side.")) {
      const theirs = name.slice(5).trim().toLowerCase();
      const ours = value.toLowerCase() as CsvSide;
      if (theirs === "" || !CSV_SIDES.includes(ours)) {
        throw new RangeError(
          `column mapping entry ${JSON.stringify(entry)}: map a side text to one of ${CSV_SIDES.join(", ")}`,
        );
      }
      out.sides[theirs] = ours;
    } else {
      const col = name.toLowerCase() as TradeColumn;
      if (!TRADE_COLUMNS.includes(col)) {
        throw new RangeError(
          `column mapping: unknown column ${JSON.stringify(name)}; map one of ${
            TRADE_COLUMNS.join(", ")
          }, side.<text> or zone`,
        );
      }
      if (out.columns[col] !== undefined) {
        throw new RangeError(`column mapping names ${col} twice; keep one ${col}=... entry`);
      }
      out.columns[col] = value;
    }
  }
  return out;
}
