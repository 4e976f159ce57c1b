import type { Fill } from "./trading.ts";

/**
 * The part of a fill's fee the exchange took in units of the symbol's base asset (`BTC` of `BTC/USDT`): `feeAmount`
 * when `feeAsset` is the base, else 0 (a fee in the quote or a third asset such as BNB, or a fill without
 * `feeAsset`). On Binance spot a buy's fee comes out of the asset received, so the position grows by
 * `qty - fillBaseFee(fill)` and cash pays no fee (the fee left as base units); every fold of fills (replay, the
 * lab's fold, the risk engine, the live book) uses this one rule so they agree with the exchange's balances.
 * Allocation-free: folds call it once per fill.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { fillBaseFee } from "./mod.ts";
 * const buy = { clientOrderId: "o1", symbol: "BTC/USDT", side: "buy" as const, qty: 10, price: 100, fee: 1, ts: 0 };
 * assert.equal(fillBaseFee({ ...buy, feeAsset: "BTC", feeAmount: 0.01 }), 0.01); // holds 9.99 BTC
 * assert.equal(fillBaseFee({ ...buy, feeAsset: "USDT", feeAmount: 1 }), 0); // cash pays it
 * assert.equal(fillBaseFee({ ...buy, feeAsset: "BNB", feeAmount: 0.002 }), 0); // cash pays its quote value
 * assert.equal(fillBaseFee(buy), 0);
 * ```
 */
export function fillBaseFee(fill: Fill): number {
  const asset = fill.feeAsset;
  if (asset === undefined || fill.feeAmount === undefined) return 0;
  const s = fill.symbol;
  // The base is what comes before the first "/" (the whole symbol when it has none), as LiveBook and logViewOf read it.
  const isBase = s.startsWith(asset) &&
    (s.charCodeAt(asset.length) === 47 /* "/" */ || (s.length === asset.length && !s.includes("/")));
  return isBase ? fill.feeAmount : 0;
}
