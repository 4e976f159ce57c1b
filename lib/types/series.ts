import { z } from "zod";
import { TimeframeSchema } from "./timeframe.ts";

/** Identifier of one OHLCV series: exchange id, ccxt symbol and timeframe. */
export interface SeriesId {
  /** ccxt exchange id (`binance`) or a free name for imported data (`samples`, `yahoo`). */
  exchange: string;
  /** ccxt unified symbol, `BTC/USDT`; equities and indices use their ticker, `GOOG`. */
  symbol: string;
  /** ccxt timeframe, `1m`, `1h`, `1d`. */
  timeframe: string;
}

/** Exchange names: lower-case letters, digits, `_` and `-`; they become folder names. */
export const ExchangeNameSchema: z.ZodType<string> = z.string().regex(
  /^[a-z0-9][a-z0-9_-]{0,63}$/,
  "an exchange name is lower-case letters, digits, _ or - (like binance or samples)",
);

/** Symbols: letters, digits and `/ : . _ -` (ccxt forms like `BTC/USDT:USDT`). */
export const SymbolSchema: z.ZodType<string> = z.string().regex(
  /^[A-Za-z0-9][A-Za-z0-9/:._-]{0,63}$/,
  "a symbol is letters, digits and / : . _ - (like BTC/USDT or GOOG)",
);

/** Zod schema of a {@link SeriesId}; every field is safe to use as a path segment after {@link seriesKey}. */
export const SeriesIdSchema: z.ZodType<SeriesId> = z.object({
  exchange: ExchangeNameSchema,
  symbol: SymbolSchema,
  timeframe: TimeframeSchema,
});

/**
 * The canonical text form of a series, `exchange:SYMBOL:timeframe` (`binance:BTC/USDT:1h`).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { formatSeries, parseSeries } from "./series.ts";
 * const id = parseSeries("binance:BTC/USDT:1h");
 * assert.deepEqual(id, { exchange: "binance", symbol: "BTC/USDT", timeframe: "1h" });
 * assert.equal(formatSeries(id), "binance:BTC/USDT:1h");
 * ```
 */
export function formatSeries(id: SeriesId): string {
  return `${id.exchange}:${id.symbol}:${id.timeframe}`;
}

/** Parses `exchange:SYMBOL:timeframe`; the symbol may itself contain `:` (`BTC/USDT:USDT`). */
export function parseSeries(text: string): SeriesId {
  const first = text.indexOf(":");
  const last = text.lastIndexOf(":");
  if (first < 0 || last === first) {
    throw new RangeError(
      `Invalid series ${JSON.stringify(text)}: write it as exchange:SYMBOL:timeframe, e.g. binance:BTC/USDT:1h`,
    );
  }
  const raw = { exchange: text.slice(0, first), symbol: text.slice(first + 1, last), timeframe: text.slice(last + 1) };
  const parsed = SeriesIdSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new RangeError(`Invalid series ${JSON.stringify(text)}: ${issue?.path.join(".")}: ${issue?.message}`);
  }
  return parsed.data;
}
