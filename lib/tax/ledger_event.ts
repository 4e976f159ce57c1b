/**
 * One event of the tax ledger: what every input (an account's fills, a CSV export, ccxt `fetchMyTrades` JSON)
 * becomes before lots are matched. Amounts are exact `bigint` fixed point ({@link QTY_DP} for quantities,
 * {@link MONEY_DP} for the reporting currency; see `fixed.ts`).
 *
 * Kinds:
 * - `buy`: an acquisition. `value` is what was paid (before the fee); the lot's basis is `value + fee`.
 * - `sell`: a disposal. `value` is the gross proceeds; the proceeds reported are `value - fee`.
 * - `income`: income, a staking reward, an airdrop or mining (`incomeType`): income of `value` on receipt, and a
 *   new lot whose basis is that value.
 * - `transfer`: between the taxpayer's own wallets; not a disposal, the lots keep their dates and basis. A fee
 *   paid in the moved asset is its own `fee` event.
 * - `fee`: a fee paid in an asset other than the trade's (BNB on Binance, a network fee): a disposal of `qty` of
 *   `asset` at its value `value` (the proceeds); the same value is added to the trade's fee by the reader that
 *   makes both.
 *
 * A crypto-to-crypto trade (ETH/BTC) is two events, a `sell` of what was given and a `buy` of what was received,
 * both valued from stored price data by the reader; `link` ties them (and a `fee` event) together.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { type LedgerEvent, MONEY_DP, parseFixed, QTY_DP } from "./mod.ts";
 * const buy: LedgerEvent = {
 *   id: "trades.csv:2", kind: "buy", time: Date.UTC(2025, 0, 2), asset: "BTC",
 *   qty: parseFixed("0.5", QTY_DP), value: parseFixed("30000", MONEY_DP), fee: parseFixed("15", MONEY_DP),
 *   source: { file: "trades.csv", line: 2 },
 * };
 * assert.equal(buy.value + buy.fee, parseFixed("30015", MONEY_DP)); // the lot's basis
 * ```
 * @module
 */
// deno-lint-ignore no-unused-vars
import type { MONEY_DP, QTY_DP } from "./fixed.ts"; // named by the {@link}s

/** What an event does to the lots. */
export type LedgerEventKind = "buy" | "sell" | "income" | "transfer" | "fee";

/** The kinds of income an `income` event can be. */
export type IncomeType = "income" | "staking" | "airdrop" | "mining";

/** Where an event came from, for error messages and the matching trail. */
export interface LedgerSource {
  /** The input file (its name as given), for CSV and JSON imports. */
  file?: string;
  /** The 1-based line of a CSV file (the header is line 1), or the 1-based index in a JSON array. */
  line?: number;
  /** The account, for fills read from an audit log. */
  account?: string;
  /** The audit event's sequence number. */
  seq?: number;
  /** The exchange's trade id or the order id, when known. */
  ref?: string;
}

/** One ledger event. Quantities and amounts are never negative. */
export interface LedgerEvent {
  /** Unique and stable across runs; an acquisition's id is its lot's id (`trades.csv:12`, `paper-1#45`). */
  id: string;
  kind: LedgerEventKind;
  /** Epoch milliseconds, UTC. */
  time: number;
  /** The asset acquired, disposed of, received or moved (`BTC`). */
  asset: string;
  /** Quantity at scale {@link QTY_DP}; > 0. */
  qty: bigint;
  /** Value in the reporting currency at scale {@link MONEY_DP}: cost, gross proceeds, income or fee value; 0 for a transfer. */
  value: bigint;
  /** Fee in the reporting currency at scale {@link MONEY_DP} (≥ 0): adds to a buy's basis, reduces a sell's proceeds. */
  fee: bigint;
  /** For `income`: which kind. */
  incomeType?: IncomeType;
  /** For a `sell` under specific identification: the lot ids to use, in order. */
  lots?: string[];
  /** For a `transfer`: the wallets, as given. */
  fromWallet?: string;
  toWallet?: string;
  /** Ties the events one trade became (the two legs of ETH/BTC and a fee event). */
  link?: string;
  /** How the reader valued the event (e.g. "ETH/BTC buy valued at ETH/USDT close of the 2025-03-04 1h bar"). */
  note?: string;
  source: LedgerSource;
}
