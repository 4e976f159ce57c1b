import { type Fill, fillBaseFee } from "../types/mod.ts";
import type { RiskState } from "./risk_state.ts";

/**
 * Applies a fill to the state's positions and cash: a buy adds `qty` (a sell subtracts it) at `price`; cash moves
 * by `-/+ qty x price` and pays `fee`. A fee the exchange took in the symbol's base asset ({@link fillBaseFee}: a
 * Binance spot buy pays it in the BTC it receives) is not paid from cash: the position moves by `±qty - feeAmount`,
 * the units the account holds, so the risk engine's positions and cash are the exchange's. The average entry price
 * is the fill prices weighted by the units each fill added to the position; reducing keeps it, crossing through
 * zero starts a new position at the fill price. The symbol's last price becomes the fill price. A remainder within
 * 1e-9 (relative) of zero, after a base fee is taken, is float dust and closes the position. Equity is not
 * recomputed: the runner marks it with `markEquity`. Changes `state` in place and returns it.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { createRiskState, recordFill } from "./mod.ts";
 * const s = createRiskState({ account: "a", cash: 1_000, now: 0 });
 * recordFill(s, { clientOrderId: "1", symbol: "X", side: "buy", qty: 2, price: 100, fee: 1, ts: 0 });
 * assert.deepEqual(s.positions.get("X"), { symbol: "X", qty: 2, avgPrice: 100, lastPrice: 100 });
 * assert.equal(s.cash, 799);
 * // The fee taken as 0.002 BTC: cash pays the notional only, the account holds 1.998 BTC.
 * const fill = { clientOrderId: "2", symbol: "BTC/USDT", side: "buy" as const, qty: 2, price: 100, fee: 0.2, ts: 0 };
 * recordFill(s, { ...fill, feeAsset: "BTC", feeAmount: 0.002 });
 * assert.equal(s.positions.get("BTC/USDT")?.qty, 1.998);
 * assert.equal(s.cash, 599);
 * ```
 */
export function recordFill(state: RiskState, fill: Fill): RiskState {
  const baseFee = fillBaseFee(fill);
  if (!(fill.qty > 0) || !(fill.price > 0) || !(fill.fee >= 0) || !(baseFee >= 0 && baseFee < Infinity)) {
    throw new RangeError(
      `fill ${fill.clientOrderId}: qty and price must be > 0 and fee and feeAmount finite and >= 0, got qty ` +
        `${fill.qty}, price ${fill.price}, fee ${fill.fee}, feeAmount ${fill.feeAmount}`,
    );
  }
  const signed = fill.side === "buy" ? fill.qty : -fill.qty;
  state.cash -= signed * fill.price + (baseFee > 0 ? 0 : fill.fee);
  // The change of the units held: a base fee leaves the account as units of the position.
  const d = signed - baseFee;
  const pos = state.positions.get(fill.symbol);
  if (pos === undefined) {
    if (d !== 0) {
      state.positions.set(fill.symbol, { symbol: fill.symbol, qty: d, avgPrice: fill.price, lastPrice: fill.price });
    }
    return state;
  }
  pos.lastPrice = fill.price;
  if (d === 0) return state;
  const q = pos.qty;
  let after = q + d;
  // Float dust (0.1 + 0.2 - 0.3) closes the position rather than leaving a 5e-17 short.
  if (Math.abs(after) <= 1e-9 * Math.max(Math.abs(q), Math.abs(d))) after = 0;
  if (q === 0 || Math.sign(q) === Math.sign(d)) {
    pos.avgPrice = (Math.abs(q) * pos.avgPrice + Math.abs(d) * fill.price) / Math.abs(after);
  } else if (after !== 0 && Math.sign(after) !== Math.sign(q)) {
    pos.avgPrice = fill.price;
  }
  pos.qty = after;
  if (after === 0) state.positions.delete(fill.symbol);
  return state;
}
