// The trade rules shared by the ccxt and account readers: one exchange trade (a symbol BASE/QUOTE, a side, an amount
// of the base, a cost in the quote and its fees) becomes ledger events.
import { priceQuote } from "./_price_quote.ts";
import { CENTS_DP, formatFixed, formatQty, MONEY_DP, mulDiv, pow10, QTY_DP, rescale } from "./fixed.ts";
import type { LedgerEvent, LedgerSource } from "./ledger_event.ts";
import type { PriceSource } from "./price_source.ts";

/** A fee as charged: `amount` of `currency`, and its value in the reporting currency when the input says it. */
export interface TradeFee {
  currency: string;
  /** At scale QTY_DP, >= 0. */
  amount: bigint;
  /** At scale MONEY_DP: the value the input recorded (an account fill's quote-valued fee); else valued here. */
  value?: bigint;
}

/** One trade, amounts exact. */
export interface Trade {
  /** The event id (the acquisition's lot id for a par trade; the legs add `/sell`, `/buy`, `/fee`). */
  id: string;
  time: number;
  base: string;
  quote: string;
  side: "buy" | "sell";
  /** Base units traded, at QTY_DP, > 0. */
  amount: bigint;
  /** Quote units paid or received (price x amount), at QTY_DP, >= 0. */
  cost: bigint;
  fees: readonly TradeFee[];
  source: LedgerSource;
  /** Names the trade in errors and notes: "trades.json:3 (trade 991, ETH/BTC buy)". */
  what: string;
}

/** How trades are valued. */
export interface TradeRules {
  par: ReadonlySet<string>;
  prices?: PriceSource;
}

const ONE = pow10(QTY_DP);
const money = (units: bigint): bigint => rescale(units, QTY_DP, MONEY_DP); // a par currency's units are money
const cents = (v: bigint): string => formatFixed(rescale(v, MONEY_DP, CENTS_DP), CENTS_DP);

/**
 * The ledger events of one trade; throws a RangeError with the reason (the caller adds the file and line).
 *
 * - Quote a par currency: one `buy` or `sell` of the base valued at the cost. A fee in the quote (or another par
 *   currency) is the event's fee: it adds to a buy's basis and reduces a sell's proceeds.
 * - Otherwise crypto-to-crypto: a `sell` of what was given and a `buy` of what was received, ids `<id>/sell` and
 *   `<id>/buy`, linked by `<id>`, both valued at one price: the received quantity at the received asset's stored
 *   price (the bar containing the trade), so the proceeds of the disposal are the new lot's basis.
 * - A fee in the base or the quote of the trade is units of an asset the trade moves: it is taken from what was
 *   received (fewer units acquired, Binance's buy fee in the base) or added to what was given (more units disposed
 *   of), and the value stays the cost paid or the proceeds received, so the fee is in the basis or the gain without a
 *   second count. (For a par trade a quote fee is money and is the event's fee, above.)
 * - A fee in a third asset (BNB) is a `fee` event (`<id>/fee`: a disposal of that asset at its value) and the same
 *   value is added to the trade's fee (the par event's, or the crypto-to-crypto acquisition's basis).
 */
export async function tradeEvents(t: Trade, rules: TradeRules): Promise<LedgerEvent[]> {
  const { par } = rules;
  let baseFee = 0n, quoteFee = 0n, parFee = 0n;
  const thirds: TradeFee[] = [];
  for (const f of t.fees) {
    if (f.amount < 0n) {
      throw new RangeError(`fee ${formatQty(f.amount)} ${f.currency} is negative; a rebate is not a fee, remove it`);
    }
    if (f.amount === 0n) continue;
    if (f.currency === t.base) baseFee += f.amount;
    else if (f.currency === t.quote) quoteFee += f.amount;
    else if (par.has(f.currency)) parFee += f.value ?? money(f.amount);
    else thirds.push(f);
  }

  const events: LedgerEvent[] = [];
  const feeEvents: LedgerEvent[] = [];
  let thirdValue = parFee;
  for (let k = 0; k < thirds.length; k++) {
    const f = thirds[k]!;
    let value: bigint, how: string;
    if (f.value !== undefined) {
      value = f.value;
      how = `at ${cents(value)} as the fill recorded it`;
    } else {
      const q = await priced(rules, f.currency, t.time, `${t.what}, its ${f.currency} fee`);
      value = mulDiv(f.amount, q.price, ONE);
      how = `at ${cents(value)} (${q.source})`;
    }
    thirdValue += value;
    feeEvents.push({
      id: thirds.length === 1 ? `${t.id}/fee` : `${t.id}/fee${k + 1}`,
      kind: "fee",
      time: t.time,
      asset: f.currency,
      qty: f.amount,
      value,
      fee: 0n,
      link: t.id,
      note: `${formatQty(f.amount)} ${f.currency} paid as the fee of ${t.what}, valued ${how}; ` +
        `the same value is in the trade's fee`,
      source: t.source,
    });
  }

  const feeText = (units: bigint, asset: string, taken: boolean): string =>
    units === 0n
      ? ""
      : `; its fee of ${formatQty(units)} ${asset} ${
        taken ? `was taken from the ${asset} received` : `was paid in ${asset} on top of what was given`
      }`;

  if (par.has(t.quote)) {
    const qty = t.side === "buy" ? t.amount - baseFee : t.amount + baseFee;
    if (qty <= 0n) {
      throw new RangeError(
        `the fee of ${formatQty(baseFee)} ${t.base} is not less than the ${formatQty(t.amount)} ${t.base} bought`,
      );
    }
    const ev: LedgerEvent = {
      id: t.id,
      kind: t.side,
      time: t.time,
      asset: t.base,
      qty,
      value: money(t.cost),
      fee: money(quoteFee) + thirdValue,
      source: t.source,
    };
    if (baseFee > 0n) {
      ev.note = `${t.base}/${t.quote} ${t.side} of ${formatQty(t.amount)} ${t.base}` +
        feeText(baseFee, t.base, t.side === "buy") +
        `: ${formatQty(qty)} ${t.base} ${t.side === "buy" ? "acquired" : "disposed of"}`;
    }
    if (feeEvents.length > 0) ev.link = t.id;
    events.push(ev);
    return [...events, ...feeEvents];
  }

  // Crypto-to-crypto.
  const buying = t.side === "buy";
  const received = buying ? t.base : t.quote;
  const given = buying ? t.quote : t.base;
  const recvQty = buying ? t.amount - baseFee : t.cost - quoteFee;
  const giveQty = buying ? t.cost + quoteFee : t.amount + baseFee;
  if (recvQty <= 0n) {
    throw new RangeError(
      `the fee leaves nothing received: ${formatQty(buying ? t.amount : t.cost)} ${received} less its fee is ` +
        `${formatQty(recvQty)}`,
    );
  }
  let value: bigint, how: string;
  if (par.has(received)) {
    value = money(recvQty);
    how = "at par";
  } else {
    const q = await priced(rules, received, t.time, t.what);
    value = mulDiv(recvQty, q.price, ONE);
    how = `at ${formatFixed(q.price, MONEY_DP).replace(/\.?0+$/, "")} per ${received} (${q.source})`;
  }
  const note = `${t.base}/${t.quote} ${t.side}: ${formatQty(recvQty)} ${received} received valued ${how} ` +
    `= ${cents(value)}, one value for both legs: the proceeds of the ${formatQty(giveQty)} ${given} given and the ` +
    `${received} lot's basis` + feeText(buying ? baseFee : quoteFee, received, true) +
    feeText(buying ? quoteFee : baseFee, given, false);
  const legs: LedgerEvent[] = [];
  if (!par.has(given)) {
    legs.push({
      id: `${t.id}/sell`,
      kind: "sell",
      time: t.time,
      asset: given,
      qty: giveQty,
      value,
      fee: 0n,
      link: t.id,
      note,
      source: t.source,
    });
  }
  if (!par.has(received)) {
    legs.push({
      id: `${t.id}/buy`,
      kind: "buy",
      time: t.time,
      asset: received,
      qty: recvQty,
      value,
      fee: 0n,
      link: t.id,
      note,
      source: t.source,
    });
  }
  // A third-asset fee adds to the acquisition's basis (to the disposal's fee when what was received is cash).
  const carrier = legs[legs.length - 1]!;
  if (thirdValue > 0n) {
    carrier.fee += thirdValue;
    carrier.note += `; the fee paid in another asset (${cents(thirdValue)}) is this ${
      carrier.kind === "buy" ? "lot's fee: it adds to the basis" : "disposal's fee"
    }`;
  }
  return [...legs, ...feeEvents];
}

async function priced(rules: TradeRules, asset: string, time: number, what: string) {
  if (rules.prices === undefined) {
    throw new RangeError(
      `${what} needs the price of ${asset} at ${new Date(time).toISOString()}, and no price source was given; ` +
        `pass stored prices (the store's series) to value it`,
    );
  }
  return await priceQuote(rules.prices, asset, time, what);
}

/** Splits a spot symbol `BASE/QUOTE`; throws naming it when it is not one. */
export function splitSymbol(symbol: string): { base: string; quote: string } {
  const m = /^([^/:\s]+)\/([^/:\s]+)$/.exec(symbol);
  if (m) return { base: m[1]!, quote: m[2]! };
  if (/^[^/:\s]+\/[^/:\s]+:/.test(symbol)) {
    throw new RangeError(
      `symbol ${JSON.stringify(symbol)} is a derivative (swap or future); only spot trades move lots of an asset`,
    );
  }
  throw new RangeError(`symbol ${JSON.stringify(symbol)} is not BASE/QUOTE (like ETH/BTC)`);
}
