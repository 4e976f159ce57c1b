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
