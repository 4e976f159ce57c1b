/**
 * The quote currencies taken at par as the reporting currency (USD): a trade quoted in one of them is one event
 * valued at its cost; a trade quoted in anything else (ETH/BTC) is crypto-to-crypto, two events valued from stored
 * prices. Stablecoins are not exactly a dollar; a user who wants them priced passes `par: ["USD"]` to the readers,
 * and then a USDT trade is valued like ETH/BTC, from the stored USDT/USD series.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { DEFAULT_PAR } from "./par_currencies.ts";
 * assert.ok(DEFAULT_PAR.includes("USDT"));
 * assert.ok(!DEFAULT_PAR.includes("BTC"));
 * ```
 */
export const DEFAULT_PAR: readonly string[] = Object.freeze(["USD", "USDT", "USDC"]);
