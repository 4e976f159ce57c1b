import assert from "node:assert/strict";
import { type FakeOrder, Matching, type MatchingOptions } from "./_fake_matching.ts";

function book(over: Partial<MatchingOptions> = {}): Matching {
  return new Matching({
    markets: new Map([["BTCUSDT", { base: "BTC", quote: "USDT" }]]),
    balances: { USDT: 1_000, BTC: 2 },
    makerFee: 0.001,
    takerFee: 0.002,
    fillParts: 1,
    clientIdUnique: "open",
    filters: { minQty: 0.001, maxQty: 100, stepSize: 0.001, minNotional: 5 },
    prices: { BTCUSDT: 100 },
    fallbackPrice: () => undefined,
    now: () => 1_000,
    ...over,
  });
}

Deno.test("matching: quoteOrderQty market buys spend the quote amount, rounded down to the step", () => {
  const m = book();
  const r = m.place({ symbol: "BTCUSDT", side: "BUY", type: "MARKET", quoteOrderQty: 50.05, newClientOrderId: "q" });
  assert.ok("order" in r);
  assert.equal(r.order.origQty, 0.5);
  assert.equal(r.order.status, "FILLED");
  assert.deepEqual(m.balances, { USDT: { free: 950, locked: 0 }, BTC: { free: 2.499, locked: 0 } });
});

Deno.test("matching: IOC limits fill what crosses now and expire the rest; funds are released", () => {
  const m = book({ fillParts: 2 });
  const r = m.place({ symbol: "BTCUSDT", side: "BUY", type: "LIMIT", quantity: 2, price: 101, timeInForce: "IOC" });
  assert.ok("order" in r);
  assert.equal(r.order.status, "EXPIRED");
  assert.equal(r.order.executedQty, 1);
  assert.deepEqual(m.balances.USDT, { free: 900, locked: 0 });
  const far = m.place({ symbol: "BTCUSDT", side: "SELL", type: "LIMIT", quantity: 1, price: 150, timeInForce: "IOC" });
  assert.ok("order" in far);
  assert.equal(far.order.status, "EXPIRED");
  assert.equal(far.order.executedQty, 0);
  assert.deepEqual(m.open(), []);
});

Deno.test("matching: value is conserved through fills and cancels (fees aside)", () => {
  const m = book({ makerFee: 0, takerFee: 0, fillParts: 3 });
  const total = (p: number): number =>
    m.balances.USDT!.free + m.balances.USDT!.locked + p * (m.balances.BTC!.free + m.balances.BTC!.locked);
  const before = total(100);
  m.place({ symbol: "BTCUSDT", side: "BUY", type: "LIMIT", quantity: 3, price: 95 });
  m.place({ symbol: "BTCUSDT", side: "SELL", type: "LIMIT", quantity: 1.5, price: 105 });
  m.onPrice("BTCUSDT", 100, 94, 95); // one buy part at 95
  m.onPrice("BTCUSDT", 106, 99, 105); // one sell part at 105
  const buy = m.orders[0]!;
  assert.equal((m.cancel("BTCUSDT", { orderId: buy.orderId }) as FakeOrder).status, "CANCELED");
  m.onPrice("BTCUSDT", 106, 104, 105);
  m.onPrice("BTCUSDT", 106, 104, 105);
  // Bought 1 at 95 (gain 5 at a mark of 100), sold 1.5 at 105 (gain 7.5).
  assert.equal(Math.round((total(100) - before) * 1e6) / 1e6, 12.5);
  assert.deepEqual(m.balances.USDT, { free: 1_000 - 95 + 157.5, locked: 0 });
  assert.deepEqual(m.fills.map((f) => [f.side, f.qty, f.price]), [["BUY", 1, 95], ["SELL", 0.5, 105], [
    "SELL",
    0.5,
    105,
  ], ["SELL", 0.5, 105]]);
  assert.deepEqual(m.cancel("BTCUSDT", { orderId: 99 }), { code: -2011, msg: "Unknown order sent." });
});

Deno.test("matching: fees paid in BNB at the BNB/USDT price, with the discount; short of BNB, the received asset pays", () => {
  const m = book({
    markets: new Map([["BTCUSDT", { base: "BTC", quote: "USDT" }], ["BNBUSDT", { base: "BNB", quote: "USDT" }]]),
    balances: { USDT: 1_000, BTC: 0, BNB: 0.001 },
    prices: { BTCUSDT: 60_000, BNBUSDT: 600 },
    takerFee: 0.001,
    feeAsset: "BNB",
    feeAssetDiscount: 0.25,
    filters: { minQty: 0.00001, maxQty: 100, stepSize: 0.00001, minNotional: 5 },
  });
  // 0.01 BTC at 60000: 600 USDT, fee 0.6 USDT less 25% = 0.45 USDT = 0.00075 BNB at 600.
  m.place({ symbol: "BTCUSDT", side: "BUY", type: "MARKET", quantity: 0.01 });
  // Selling 0.005 at 61000: 305 USDT, fee 0.305 x 0.75 = 0.22875 USDT = 0.00038125 BNB; only 0.00025 BNB is left.
  m.onPrice("BTCUSDT", 61_000, 61_000, 61_000);
  m.place({ symbol: "BTCUSDT", side: "SELL", type: "MARKET", quantity: 0.005 });
  assert.deepEqual(m.fills.map((f) => [f.side, f.commission, f.commissionAsset]), [
    ["BUY", 0.00075, "BNB"],
    ["SELL", 0.305, "USDT"], // Binance's fallback: the full rate, from what was received
  ]);
  assert.deepEqual(m.balances, {
    USDT: { free: 1_000 - 600 + 305 - 0.305, locked: 0 },
    BTC: { free: 0.005, locked: 0 },
    BNB: { free: 0.00025, locked: 0 },
  });
  // The price of BNB moves with the market, and the inverse market USDT/BNB prices it when BNB/USDT is missing.
  m.setBalance("BNB", 1);
  m.onPrice("BNBUSDT", 500, 500, 500);
  m.place({ symbol: "BTCUSDT", side: "SELL", type: "MARKET", quantity: 0.001 }); // 61 USDT: 0.04575 USDT fee
  assert.equal(m.fills[2]?.commission, 0.0000915);
  const inv = book({
    markets: new Map([["BTCUSDT", { base: "BTC", quote: "USDT" }], ["USDTTRY", { base: "USDT", quote: "TRY" }]]),
    balances: { USDT: 1_000, TRY: 100 },
    prices: { BTCUSDT: 100, USDTTRY: 40 },
    takerFee: 0.001,
    feeAsset: "TRY",
  });
  inv.place({ symbol: "BTCUSDT", side: "BUY", type: "MARKET", quantity: 1 }); // 0.1 USDT = 4 TRY
  assert.deepEqual([inv.fills[0]?.commission, inv.fills[0]?.commissionAsset], [4, "TRY"]);
  assert.deepEqual(inv.balances.TRY, { free: 96, locked: 0 });
  // No price of the fee asset at all: the received asset pays.
  const none = book({ feeAsset: "BNB", balances: { USDT: 1_000, BNB: 5 } });
  none.place({ symbol: "BTCUSDT", side: "BUY", type: "MARKET", quantity: 1 });
  assert.equal(none.fills[0]?.commissionAsset, "BTC");
  // With `feeAssetPrice` it is charged without any market of it.
  const fixed = book({ feeAsset: "BNB", feeAssetPrice: 50, balances: { USDT: 1_000, BNB: 5 } });
  fixed.place({ symbol: "BTCUSDT", side: "BUY", type: "MARKET", quantity: 1 }); // 100 x 0.002 = 0.2 USDT = 0.004 BNB
  assert.deepEqual([fixed.fills[0]?.commission, fixed.fills[0]?.commissionAsset], [0.004, "BNB"]);
  assert.deepEqual(fixed.balances.BTC, { free: 1, locked: 0 }); // bought 1, all of it kept
});
