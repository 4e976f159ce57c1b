import assert from "node:assert/strict";
import { type Fill, fillBaseFee } from "./mod.ts";

const buy: Fill = { clientOrderId: "o1", symbol: "BTC/USDT", side: "buy", qty: 10, price: 100, fee: 1, ts: 0 };

Deno.test("fillBaseFee: feeAmount when the fee was taken in the base asset, on a buy or a sell", () => {
  assert.equal(fillBaseFee({ ...buy, feeAsset: "BTC", feeAmount: 0.01 }), 0.01);
  assert.equal(fillBaseFee({ ...buy, side: "sell", feeAsset: "BTC", feeAmount: 0.01 }), 0.01);
  assert.equal(fillBaseFee({ ...buy, symbol: "BTC/USDT:USDT", feeAsset: "BTC", feeAmount: 0.01 }), 0.01);
  assert.equal(fillBaseFee({ ...buy, symbol: "X", feeAsset: "X", feeAmount: 0.5 }), 0.5); // no quote: all base
});

Deno.test("fillBaseFee: 0 for a quote or third-asset fee, a fill without feeAsset, and a look-alike asset", () => {
  assert.equal(fillBaseFee(buy), 0);
  assert.equal(fillBaseFee({ ...buy, feeAsset: "USDT", feeAmount: 1 }), 0);
  assert.equal(fillBaseFee({ ...buy, feeAsset: "BNB", feeAmount: 0.002 }), 0);
  assert.equal(fillBaseFee({ ...buy, feeAsset: "BT", feeAmount: 0.01 }), 0); // a prefix of the base is not the base
  assert.equal(fillBaseFee({ ...buy, symbol: "BTCUP/USDT", feeAsset: "BTC", feeAmount: 0.01 }), 0);
  assert.equal(fillBaseFee({ ...buy, feeAsset: "BTC/USDT", feeAmount: 0.01 }), 0); // the symbol is no asset
  assert.equal(fillBaseFee({ ...buy, symbol: "USDT/BTC", feeAsset: "BTC", feeAmount: 0.01 }), 0); // BTC is the quote
});
