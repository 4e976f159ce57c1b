import { splitSymbol, tradeEvents, type TradeFee } from "./_trade_events.ts";
import { parseTradeTime } from "./_trade_time.ts";
import { mulDiv, numberToFixed, parseFixed, pow10, QTY_DP } from "./fixed.ts";
import type { LedgerEvent } from "./ledger_event.ts";
import { DEFAULT_PAR } from "./par_currencies.ts";
import type { PriceSource } from "./price_source.ts";
import { TaxInputError } from "./tax_input_error.ts";

/** Options of {@link readCcxtTrades}. */
export interface ReadCcxtTradesOptions {
  /** The file's name as the user gave it: errors and ids (`<file>:<index>`) use it. */
  file: string;
  /** Values crypto-to-crypto trades and fees in a third asset; without it such a trade is an error. */
  prices?: PriceSource;
  /** Quote currencies taken at par as the reporting currency; default {@link DEFAULT_PAR}. */
  par?: readonly string[];
}

/**
 * Reads ccxt `fetchMyTrades` JSON (an array of ccxt trade structures: `id`, `timestamp` or `datetime`, `symbol`,
 * `side`, `price`, `amount`, `cost`, `fee { cost, currency }`, `fees[]`) into ledger events, in array order.
 *
 * Each trade's id is `<file>:<index>` (1-based index in the array; the exchange's trade id is the source's `ref`,
 * since exchanges such as Binance number trades per symbol). Numbers go through `numberToFixed` (their shortest
 * round-trip decimal text, so 0.1 is exactly 0.1). `cost` is used when given, else price x amount exactly. The fees
 * are `fees` when it lists any (ccxt puts every fee there), else `fee`.
 *
 * - A trade quoted in a par currency (USD, USDT, USDC) is one `buy` or `sell` valued at its cost; a fee in the quote
 *   adds to the basis or reduces the proceeds.
 * - A crypto-to-crypto trade (ETH/BTC) is a `sell` of what was given (`<id>/sell`) and a `buy` of what was received
 *   (`<id>/buy`), both valued at the received quantity's price from `prices` at the trade's time (one valuation, so
 *   the proceeds are the new lot's basis; the note says so and where the price came from). A missing price is an
 *   error naming the trade.
 * - A fee in the asset received (Binance takes a buy's fee from the base received) reduces the quantity acquired;
 *   a fee in the asset given adds to the quantity disposed of; either way the value stays what was paid or received,
 *   so the fee is in the basis or the gain once.
 * - A fee in a third asset (BNB) is a `fee` event (`<id>/fee`, a disposal of the BNB at its stored price) whose value
 *   is added to the trade's fee.
 *
 * Bad entries (no time, an unknown side, a non-positive amount, a derivative symbol, a repeated trade id of one
 * symbol, a missing price) reject the whole input with a {@link TaxInputError} `<file>:<index>: <reason>`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { formatFixed, MONEY_DP, readCcxtTrades } from "./mod.ts";
 * const trades = [{
 *   id: "17", timestamp: Date.UTC(2025, 0, 2), symbol: "BTC/USDT", side: "buy", price: 60000, amount: 0.1,
 *   cost: 6000, fee: { cost: 6, currency: "USDT" }, fees: [{ cost: 6, currency: "USDT" }],
 * }];
 * const [buy] = await readCcxtTrades(trades, { file: "binance.json" });
 * assert.equal(buy!.id, "binance.json:1");
 * assert.equal(formatFixed(buy!.value + buy!.fee, MONEY_DP), "6006.000000000000"); // the lot's basis
 * ```
 */
export async function readCcxtTrades(json: unknown, options: ReadCcxtTradesOptions): Promise<LedgerEvent[]> {
  const file = options.file;
  if (!Array.isArray(json)) {
    throw new TaxInputError(
      file,
      0,
      `expected an array of ccxt trades (what fetchMyTrades returns), got ${json === null ? "null" : typeof json}`,
    );
  }
  const rules = { par: new Set(options.par ?? DEFAULT_PAR), prices: options.prices };
  const seen = new Map<string, number>();
  const out: LedgerEvent[] = [];
  for (let i = 0; i < json.length; i++) {
    const line = i + 1;
    try {
      const t = json[i] as Record<string, unknown>;
      if (t === null || typeof t !== "object" || Array.isArray(t)) throw new RangeError("not a ccxt trade object");
      const time = timeOf(t);
      if (typeof t.symbol !== "string") throw new RangeError(`symbol ${JSON.stringify(t.symbol)} is not a string`);
      const { base, quote } = splitSymbol(t.symbol);
      const side = typeof t.side === "string" ? t.side.toLowerCase() : t.side;
      if (side !== "buy" && side !== "sell") throw new RangeError(`side ${JSON.stringify(t.side)} is not buy or sell`);
      const amount = num(t.amount, "amount");
      if (amount === undefined || amount <= 0n) {
        throw new RangeError(`amount ${JSON.stringify(t.amount)} is not a number greater than 0`);
      }
      let cost = num(t.cost, "cost");
      if (cost === undefined) {
        const price = num(t.price, "price");
        if (price === undefined) throw new RangeError("neither cost nor price is given; the trade cannot be valued");
        cost = mulDiv(amount, price, pow10(QTY_DP));
      }
      if (cost < 0n) throw new RangeError(`cost ${JSON.stringify(t.cost)} is negative`);
      const tradeId = t.id === undefined || t.id === null ? undefined : String(t.id);
      if (tradeId !== undefined) {
        const key = `${t.symbol} ${tradeId}`;
        const first = seen.get(key);
        if (first !== undefined) {
          throw new RangeError(`trade ${tradeId} of ${t.symbol} is listed twice (first at ${first}); keep one`);
        }
        seen.set(key, line);
      }
      const what = `${file}:${line} (trade ${tradeId ?? "without id"}, ${t.symbol} ${side})`;
      out.push(
        ...await tradeEvents({
          id: `${file}:${line}`,
          time,
          base,
          quote,
          side,
          amount,
          cost,
          fees: feesOf(t),
          source: tradeId === undefined ? { file, line } : { file, line, ref: tradeId },
          what,
        }, rules),
      );
    } catch (e) {
      if (e instanceof TaxInputError) throw e;
      throw new TaxInputError(file, line, (e as Error).message, { cause: e });
    }
  }
  return out;
}

function timeOf(t: Record<string, unknown>): number {
  if (typeof t.timestamp === "number" && Number.isFinite(t.timestamp)) return Math.round(t.timestamp);
  if (typeof t.datetime === "string") return parseTradeTime(t.datetime);
  throw new RangeError(`no time: timestamp ${JSON.stringify(t.timestamp)} and datetime ${JSON.stringify(t.datetime)}`);
}

/** A JSON number (or numeric text) at QTY_DP; undefined for null or absent. */
function num(v: unknown, what: string): bigint | undefined {
  if (v === undefined || v === null) return undefined;
  if (typeof v === "number") return numberToFixed(v, QTY_DP, what);
  if (typeof v === "string" && v.trim() !== "") return parseFixed(v, QTY_DP, what);
  throw new RangeError(`${what} ${JSON.stringify(v)} is not a number`);
}

function feesOf(t: Record<string, unknown>): TradeFee[] {
  const list = Array.isArray(t.fees) && t.fees.length > 0 ? t.fees : t.fee ? [t.fee] : [];
  const out: TradeFee[] = [];
  for (const f of list as unknown[]) {
    if (f === null || typeof f !== "object") throw new RangeError(`fee ${JSON.stringify(f)} is not { cost, currency }`);
    const { cost, currency } = f as { cost?: unknown; currency?: unknown };
    const amount = num(cost, "fee cost");
    if (amount === undefined || amount === 0n) continue;
    if (typeof currency !== "string" || currency === "") {
      throw new RangeError(`fee of ${JSON.stringify(cost)} has no currency; ccxt gives fee { cost, currency }`);
    }
    out.push({ currency, amount });
  }
  return out;
}
