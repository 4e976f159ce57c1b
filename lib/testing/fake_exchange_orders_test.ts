// The signed order endpoints, driven by the real ccxt (binance, spot) as a live broker would drive them.
import assert from "node:assert/strict";
import { createHmac } from "node:crypto";
import ccxt from "ccxt";
import { type FakeExchange, type FakeExchangeOptions, startFakeExchange } from "./fake_exchange.ts";

const KEY = "test-key-7f3a";
const SECRET = "test-secret-91c2";
const BTC = "BTC/USDT";

type Binance = InstanceType<typeof ccxt.binance>;

function client(url: string, options: { apiKey?: string; secret?: string; timeout?: number } = {}): Binance {
  const ex = new ccxt.binance({
    apiKey: options.apiKey ?? KEY,
    secret: options.secret ?? SECRET,
    timeout: options.timeout ?? 2_000,
    options: { fetchMarkets: { types: ["spot"] } },
  });
  const api = ex.urls.api as unknown as Record<string, unknown>;
  for (const [k, v] of Object.entries(api)) if (typeof v === "string") api[k] = v.replace(/^https:\/\/[^/]+/, url);
  return ex;
}

async function rig(
  options: Partial<FakeExchangeOptions> = {},
  account: Partial<NonNullable<FakeExchangeOptions["account"]>> = {},
): Promise<{ fake: FakeExchange; ex: Binance; [Symbol.asyncDispose](): Promise<void> }> {
  const fake = await startFakeExchange({
    symbols: [BTC, "ETH/USDT"],
    prices: { [BTC]: 100, "ETH/USDT": 10 },
    ...options,
    account: { apiKey: KEY, secret: SECRET, balances: { USDT: 1_000, BTC: 1 }, ...account },
  });
  const ex = client(fake.url);
  await ex.loadMarkets();
  return {
    fake,
    ex,
    async [Symbol.asyncDispose]() {
      await ex.close();
      await fake.close();
    },
  };
}

async function until(what: string, ok: () => boolean, timeoutMs = 3_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!ok()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

/** No two orders share a client id: what every fault test below must end with. */
function assertNoDuplicates(fake: FakeExchange): void {
  const ids = fake.orders.map((o) => o.clientOrderId);
  assert.deepEqual(ids, [...new Set(ids)], "duplicate orders at the exchange");
}

Deno.test("fake orders: market buy with a client id, fetchOrder by client id, balance and myTrades", async () => {
  await using r = await rig();
  const { fake, ex } = r;
  const o = await ex.createOrder(BTC, "market", "buy", 0.5, undefined, { clientOrderId: "acct-1-r1-1" });
  assert.equal(o.clientOrderId, "acct-1-r1-1");
  assert.equal(o.status, "closed");
  assert.equal(o.filled, 0.5);
  assert.equal(o.average, 100);
  assert.deepEqual(o.fee, { currency: "BTC", cost: 0.0005 });
  const newOrder = fake.requestsTo("newOrder")[0]!;
  assert.equal(newOrder.apiKey, KEY);
  assert.equal(newOrder.auth, "ok");
  assert.equal(newOrder.query.newClientOrderId, "acct-1-r1-1");
  assert.match(newOrder.query.signature ?? "", /^[0-9a-f]{64}$/);

  const byClient = await ex.fetchOrder("", BTC, { clientOrderId: "acct-1-r1-1" });
  assert.equal(byClient.id, o.id);
  assert.equal(fake.requestsTo("getOrder")[0]!.query.origClientOrderId, "acct-1-r1-1");
  assert.equal((await ex.fetchOrder(o.id!, BTC)).clientOrderId, "acct-1-r1-1");
  await assert.rejects(ex.fetchOrder("", BTC, { clientOrderId: "never-sent" }), ccxt.OrderNotFound);

  const bal = await ex.fetchBalance();
  assert.equal(bal.USDT!.free, 950);
  assert.equal(bal.BTC!.free, 1.4995); // the commission is taken from the BTC received
  assert.deepEqual(fake.balances, { USDT: { free: 950, locked: 0 }, BTC: { free: 1.4995, locked: 0 } });

  await ex.createOrder(BTC, "market", "sell", 0.2, undefined, { clientOrderId: "acct-1-r1-2" });
  const trades = await ex.fetchMyTrades(BTC);
  assert.deepEqual(trades.map((t) => [t.side, t.amount, t.price, t.fee?.currency, t.order]), [
    ["buy", 0.5, 100, "BTC", "1"],
    ["sell", 0.2, 100, "USDT", "2"],
  ]);
  assert.equal(fake.balances.USDT!.free, 950 + 20 - 0.02);
  assert.equal((await ex.fetchMyTrades(BTC, undefined, 1)).length, 1);
  assertNoDuplicates(fake);
});

Deno.test("fake orders: limit orders rest, list as open, fill when the price crosses, cancel", async () => {
  await using r = await rig();
  const { fake, ex } = r;
  const buy = await ex.createOrder(BTC, "limit", "buy", 2, 90, { clientOrderId: "b1" });
  const sell = await ex.createOrder(BTC, "limit", "sell", 0.5, 120, { clientOrderId: "s1" });
  assert.equal(buy.status, "open");
  assert.deepEqual(fake.balances.USDT, { free: 820, locked: 180 });
  assert.deepEqual(fake.balances.BTC, { free: 0.5, locked: 0.5 });
  const open = await ex.fetchOpenOrders(BTC);
  assert.deepEqual(open.map((o) => o.clientOrderId), ["b1", "s1"]);

  fake.setPrice(BTC, 95); // not yet
  assert.equal((await ex.fetchOrder(buy.id!, BTC)).status, "open");
  fake.setPrice(BTC, 89.5); // crosses the buy: it fills at its limit, as a maker
  const filled = await ex.fetchOrder(buy.id!, BTC);
  assert.equal(filled.status, "closed");
  assert.equal(filled.average, 90);
  assert.deepEqual(fake.fills.map((f) => [f.clientOrderId, f.price, f.isMaker]), [["b1", 90, true]]);

  const canceled = await ex.cancelOrder(sell.id!, BTC);
  assert.equal(canceled.status, "canceled");
  assert.equal((canceled.info as Record<string, unknown>).origClientOrderId, "s1");
  assert.deepEqual(fake.balances.BTC, { free: 1 + 2 - 0.002, locked: 0 });
  assert.deepEqual(fake.balances.USDT, { free: 820, locked: 0 });
  await assert.rejects(ex.cancelOrder(sell.id!, BTC), ccxt.OrderNotFound); // -2011, already cancelled
  assert.deepEqual(await ex.fetchOpenOrders(BTC), []);

  // A marketable limit takes the market price at once.
  const taker = await ex.createOrder(BTC, "limit", "buy", 1, 100, { clientOrderId: "b2" });
  fake.setPrice(BTC, 89); // unchanged: the order is done
  assert.equal(taker.status, "closed");
  assert.equal(taker.average, 89.5);
});

Deno.test("fake orders: partial fills over price events move balances step by step", async () => {
  await using r = await rig({}, { fillParts: 3, makerFee: 0, takerFee: 0 });
  const { fake, ex } = r;
  const o = await ex.createOrder(BTC, "limit", "buy", 3, 100, { clientOrderId: "p1" });
  assert.equal(o.status, "open");
  assert.equal(o.filled, 1); // marketable at 100: the first part fills now
  fake.setPrice(BTC, 101); // above the limit: nothing
  assert.equal(fake.orders[0]!.executedQty, 1);
  fake.setPrice(BTC, 99);
  const mid = await ex.fetchOrder(o.id!, BTC);
  assert.equal(mid.filled, 2);
  assert.equal((mid.info as Record<string, unknown>).status, "PARTIALLY_FILLED");
  assert.deepEqual((await ex.fetchBalance()).BTC, { free: 3, used: 0, total: 3 });
  fake.setPrice(BTC, 98);
  const done = await ex.fetchOrder(o.id!, BTC);
  assert.equal(done.status, "closed");
  assert.equal(done.filled, 3);
  assert.deepEqual((await ex.fetchMyTrades(BTC)).map((t) => [t.amount, t.price]), [[1, 100], [1, 100], [1, 100]]);
  assert.deepEqual(fake.balances, { USDT: { free: 700, locked: 0 }, BTC: { free: 4, locked: 0 } });

  // A market order in parts: the first now, the rest at the next prices.
  const m = await ex.createOrder(BTC, "market", "sell", 1.5, undefined, { clientOrderId: "p2" });
  assert.equal(m.filled, 0.5);
  fake.setPrice(BTC, 110);
  fake.setPrice(BTC, 120);
  const mo = await ex.fetchOrder(m.id!, BTC);
  assert.equal(mo.status, "closed");
  assert.equal(mo.cost, 0.5 * 98 + 0.5 * 110 + 0.5 * 120);
});

Deno.test("fake orders: the key and the signature are checked; unsigned orders are never accepted", async () => {
  await using r = await rig();
  const { fake } = r;
  const wrongSecret = client(fake.url, { secret: "not-the-secret" });
  const wrongKey = client(fake.url, { apiKey: "someone-else" });
  try {
    await assert.rejects(wrongSecret.fetchBalance(), ccxt.AuthenticationError);
    await assert.rejects(wrongKey.createOrder(BTC, "market", "buy", 0.1), ccxt.AuthenticationError);
  } finally {
    await wrongSecret.close();
    await wrongKey.close();
  }
  const post = async (body: string, key: string | null = KEY): Promise<[number, unknown]> => {
    const headers: Record<string, string> = { "content-type": "application/x-www-form-urlencoded" };
    if (key !== null) headers["X-MBX-APIKEY"] = key;
    const res = await fetch(`${fake.url}/api/v3/order`, { method: "POST", headers, body });
    return [res.status, await res.json()];
  };
  const params = `symbol=BTCUSDT&side=BUY&type=MARKET&quantity=0.1&timestamp=${Date.now()}`;
  const sig = createHmac("sha256", SECRET).update(params).digest("hex");
  assert.deepEqual(await post(params), [400, {
    code: -1102,
    msg: "Mandatory parameter 'signature' was not sent, was empty/null, or malformed.",
  }]);
  assert.deepEqual(await post(`${params}&signature=${sig}`, null), [401, {
    code: -2015,
    msg: "Invalid API-key, IP, or permissions for action.",
  }]);
  assert.deepEqual((await post(`${params.replace("0.1", "0.2")}&signature=${sig}`))[1], {
    code: -1022,
    msg: "Signature for this request is not valid.",
  });
  const stale = `symbol=BTCUSDT&side=BUY&type=MARKET&quantity=0.1&timestamp=${Date.now() - 60_000}`;
  const staleSig = createHmac("sha256", SECRET).update(stale).digest("hex");
  assert.equal(((await post(`${stale}&signature=${staleSig}`))[1] as { code: number }).code, -1021);
  assert.deepEqual(fake.requestsTo("newOrder").map((q) => q.auth), [
    "no-signature",
    "bad-key",
    "bad-signature",
    "stale",
  ]);
  assert.deepEqual(fake.orders, []);
  // The wrong key never got as far as the order: loadMarkets' first signed call was refused.
  assert.ok(fake.requests.some((q) => q.apiKey === "someone-else" && q.auth === "bad-key" && q.status === 401));
  assert.ok(fake.requests.some((q) => q.apiKey === KEY && q.auth === "bad-signature"));
  const [status, body] = await post(`${params}&signature=${sig}`);
  assert.equal(status, 200);
  assert.equal((body as { status: string }).status, "FILLED");

  const noAccount = await startFakeExchange({ symbols: [BTC] });
  const ex = client(noAccount.url);
  try {
    await assert.rejects(ex.fetchBalance(), /pass options\.account/);
  } finally {
    await ex.close();
    await noAccount.close();
  }
});

Deno.test("fake orders: a client id in use is refused with -2010; Binance frees it once the order is done", async () => {
  await using r = await rig();
  const { fake, ex } = r;
  await ex.createOrder(BTC, "limit", "buy", 1, 50, { clientOrderId: "dup" });
  await assert.rejects(ex.createOrder(BTC, "limit", "buy", 1, 50, { clientOrderId: "dup" }), (e: Error) => {
    assert.ok(e instanceof ccxt.InvalidOrder);
    assert.match(e.message, /-2010.*Duplicate order sent\./);
    return true;
  });
  assert.equal(fake.orders.length, 1);
  await ex.createOrder(BTC, "market", "buy", 0.1, undefined, { clientOrderId: "mkt" });
  // Binance's rule: the id of a filled order can be used again, so a blind re-send fills twice.
  await ex.createOrder(BTC, "market", "buy", 0.1, undefined, { clientOrderId: "mkt" });
  assert.deepEqual(fake.orders.map((o) => o.clientOrderId), ["dup", "mkt", "mkt"]);
  // fetchOrder by client id finds the newest.
  assert.equal((await ex.fetchOrder("", BTC, { clientOrderId: "mkt" })).id, "3");

  await using strict = await rig({}, { clientIdUnique: "all" });
  await strict.ex.createOrder(BTC, "market", "buy", 0.1, undefined, { clientOrderId: "once" });
  await assert.rejects(
    strict.ex.createOrder(BTC, "market", "buy", 0.1, undefined, { clientOrderId: "once" }),
    ccxt.InvalidOrder,
  );
  assertNoDuplicates(strict.fake);
});

Deno.test("fake orders: rejections by balance and filters, natural and scripted", async () => {
  await using r = await rig({
    faults: {
      newOrder: [null, null, null, { kind: "reject", reason: "insufficientBalance" }, {
        kind: "reject",
        reason: "lotSize",
      }],
    },
  });
  const { fake, ex } = r;
  await assert.rejects(ex.createOrder(BTC, "market", "buy", 20), ccxt.InsufficientFunds); // 2000 USDT > 1000
  await assert.rejects(ex.createOrder(BTC, "limit", "sell", 9_500, 100), (e: Error) => {
    assert.ok(e instanceof ccxt.InvalidOrder);
    assert.match(e.message, /LOT_SIZE/);
    return true;
  });
  await assert.rejects(ex.createOrder("ETH/USDT", "limit", "buy", 0.1, 10), /NOTIONAL/); // 1 USDT < 5
  await assert.rejects(ex.createOrder(BTC, "market", "buy", 0.1), ccxt.InsufficientFunds);
  await assert.rejects(ex.createOrder(BTC, "market", "buy", 0.1), ccxt.InvalidOrder);
  assert.deepEqual(fake.orders, []);
  assert.deepEqual(fake.balances, { USDT: { free: 1_000, locked: 0 }, BTC: { free: 1, locked: 0 } });
  assert.equal((await ex.createOrder(BTC, "market", "buy", 0.1)).status, "closed");
});

Deno.test("fake orders: 429 and 5xx create nothing; a 503 after the fact did create the order", async () => {
  await using r = await rig({
    faults: {
      newOrder: [
        { kind: "rateLimit", retryAfterSec: 2 },
        { kind: "status", status: 503 },
        { kind: "status", status: 503, after: true },
      ],
    },
  });
  const { fake, ex } = r;
  const send = () => ex.createOrder(BTC, "limit", "buy", 1, 50, { clientOrderId: "x1" });
  await assert.rejects(send(), ccxt.DDoSProtection);
  assert.equal(ex.last_response_headers?.["Retry-After"], "2");
  await assert.rejects(send(), ccxt.OperationFailed);
  assert.equal(fake.orders.length, 0);
  await assert.rejects(send(), ccxt.OperationFailed);
  assert.equal(fake.orders.length, 1); // the unknown outcome: look it up by client id, never re-send blindly
  assert.equal((await ex.fetchOrder("", BTC, { clientOrderId: "x1" })).status, "open");
  await assert.rejects(send(), ccxt.InvalidOrder); // a blind re-send of an open order is a duplicate
  assertNoDuplicates(fake);
  assert.deepEqual(fake.requestsTo("newOrder").map((q) => [q.status, q.fault ?? ""]), [
    [429, "rateLimit"],
    [503, "status"],
    [503, "status"],
    [400, ""],
  ]);
});

Deno.test("fake orders: timeouts: an order created late and an order acknowledged late", async () => {
  await using r = await rig({
    faults: { newOrder: [{ kind: "delay", ms: 400 }, { kind: "lateAck", ms: 400 }] },
  });
  const { fake } = r;
  const ex = client(fake.url, { timeout: 150 });
  try {
    await ex.loadMarkets();
    // delay: the request is carried out after the client gave up.
    await assert.rejects(
      ex.createOrder(BTC, "market", "buy", 0.1, undefined, { clientOrderId: "late-1" }),
      ccxt.RequestTimeout,
    );
    assert.equal(fake.orders.length, 0);
    await until("the late order", () => fake.orders.length === 1);
    // lateAck: the order exists at once; only the answer is late.
    await assert.rejects(
      ex.createOrder(BTC, "market", "buy", 0.1, undefined, { clientOrderId: "late-2" }),
      ccxt.RequestTimeout,
    );
    assert.equal(fake.orders.length, 2);
    assert.equal((await ex.fetchOrder("", BTC, { clientOrderId: "late-2" })).status, "closed");
    assertNoDuplicates(fake);
    assert.equal(fake.balances.BTC!.free, 1 + 2 * (0.1 - 0.0001));
  } finally {
    await ex.close();
  }
});

Deno.test("fake orders: recvWindow is checked when the request is carried out: a delay past it makes no order", async () => {
  await using r = await rig({
    faults: { newOrder: [{ kind: "delay", ms: 500 }, { kind: "delay", ms: 100 }] },
  });
  const { fake } = r;
  const ex = client(fake.url, { timeout: 150 });
  try {
    await ex.loadMarkets();
    // Arrives in time, held 500 ms by the fault: by then timestamp + 300 has passed, so it is refused, not created.
    await assert.rejects(
      ex.createOrder(BTC, "market", "buy", 0.1, undefined, { clientOrderId: "late-1", recvWindow: 300 }),
      ccxt.RequestTimeout,
    );
    await until("the held request is carried out", () => fake.requestsTo("newOrder")[0]?.auth !== undefined);
    const [held] = fake.requestsTo("newOrder");
    assert.equal(held?.auth, "stale");
    assert.equal(held?.status, 400);
    assert.equal(held?.query.recvWindow, "300");
    assert.equal(fake.orders.length, 0);
    assert.equal(fake.balances.USDT!.free, 1_000);
    // Held less than its window: created late, as before.
    const o = await ex.createOrder(BTC, "market", "buy", 0.1, undefined, { clientOrderId: "late-2", recvWindow: 300 });
    assert.equal(o.status, "closed");
    assert.deepEqual(fake.orders.map((x) => x.clientOrderId), ["late-2"]);
  } finally {
    await ex.close();
  }
});

Deno.test("fake orders: recvWindow over 60000 is -1131; none sent means Binance's 5000", async () => {
  await using r = await rig();
  const { fake } = r;
  const post = async (params: string): Promise<{ code?: number; status?: string }> => {
    const sig = createHmac("sha256", SECRET).update(params).digest("hex");
    const res = await fetch(`${fake.url}/api/v3/order`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded", "X-MBX-APIKEY": KEY },
      body: `${params}&signature=${sig}`,
    });
    return await res.json();
  };
  const order = "symbol=BTCUSDT&side=BUY&type=MARKET&quantity=0.1";
  assert.equal((await post(`${order}&timestamp=${Date.now()}&recvWindow=60001`)).code, -1131);
  assert.equal((await post(`${order}&timestamp=${Date.now() - 5_500}`)).code, -1021);
  assert.equal((await post(`${order}&timestamp=${Date.now() - 5_500}&recvWindow=10000`)).status, "FILLED");
  assert.equal((await post(`${order}&timestamp=${Date.now() - 4_000}`)).status, "FILLED");
  assert.deepEqual(fake.requestsTo("newOrder").map((q) => q.auth), ["bad-recv-window", "stale", "ok", "ok"]);
  assert.equal(fake.orders.length, 2);
});

Deno.test("fake orders: an order that fills after its cancel was sent answers -2011 and stays filled", async () => {
  await using r = await rig({ faults: { cancelOrder: [{ kind: "fillBeforeCancel" }] } });
  const { fake, ex } = r;
  const o = await ex.createOrder(BTC, "limit", "sell", 0.5, 130, { clientOrderId: "c1" });
  await assert.rejects(ex.cancelOrder(o.id!, BTC), (e: Error) => {
    assert.ok(e instanceof ccxt.OrderNotFound);
    assert.match(e.message, /-2011/);
    return true;
  });
  const after = await ex.fetchOrder(o.id!, BTC);
  assert.equal(after.status, "closed");
  assert.equal(after.filled, 0.5);
  assert.equal(after.average, 130);
  assert.deepEqual(fake.balances, { USDT: { free: 1_000 + 65 - 0.065, locked: 0 }, BTC: { free: 0.5, locked: 0 } });
  // fillOrder does the same from a test, and injectOnce scripts one fault.
  const o2 = await ex.createOrder(BTC, "limit", "buy", 1, 60, { clientOrderId: "c2" });
  fake.injectOnce("getOrder", { kind: "status", status: 500 });
  await assert.rejects(ex.fetchOrder(o2.id!, BTC), ccxt.OperationFailed);
  assert.equal(fake.fillOrder(BTC, { clientOrderId: "c2" }), true);
  assert.equal((await ex.fetchOrder(o2.id!, BTC)).status, "closed");
  assert.equal(fake.fillOrder(BTC, { clientOrderId: "c2" }), false);
});

Deno.test("fake orders: fees paid in BNB as Binance's order fills and myTrades report them; the ticker prices BNB", async () => {
  await using r = await rig(
    { symbols: [BTC, "BNB/USDT"], prices: { [BTC]: 60_000, "BNB/USDT": 600 } },
    { balances: { USDT: 1_000, BNB: 0.001 }, feeAsset: "BNB", feeAssetDiscount: 0.25 },
  );
  const { fake, ex } = r;
  // 0.01 BTC at 60000 = 600 USDT; 0.1% less Binance's 25% BNB discount = 0.45 USDT = 0.00075 BNB at 600.
  const o = await ex.createOrder(BTC, "market", "buy", 0.01, undefined, { clientOrderId: "bnb-1" });
  assert.deepEqual(o.fee, { currency: "BNB", cost: 0.00075 });
  const fills = (o.info as { fills: Record<string, unknown>[] }).fills;
  assert.deepEqual(fills.map((f) => [f.commission, f.commissionAsset]), [["0.00075000", "BNB"]]);
  assert.deepEqual((await ex.fetchTicker("BNB/USDT")).last, 600);
  fake.setPrice("BNB/USDT", 500);
  assert.deepEqual((await ex.fetchTicker("BNB/USDT")).last, 500);
  assert.equal(fake.requestsTo("ticker").length, 2);
  assert.equal(fake.requestsTo("ticker")[0]!.query.symbol, "BNBUSDT");
  // 0.005 BTC at 60000 = 300 USDT: 0.225 USDT = 0.00045 BNB at 500, but only 0.00025 BNB is left: USDT pays 0.3.
  await ex.createOrder(BTC, "market", "sell", 0.005, undefined, { clientOrderId: "bnb-2" });
  const trades = await ex.fetchMyTrades(BTC);
  assert.deepEqual(trades.map((t) => [t.side, t.fee?.cost, t.fee?.currency]), [
    ["buy", 0.00075, "BNB"],
    ["sell", 0.3, "USDT"],
  ]);
  const bal = await ex.fetchBalance();
  assert.deepEqual([bal.BTC?.total, bal.USDT?.total, bal.BNB?.total], [0.005, 1_000 - 600 + 300 - 0.3, 0.00025]);
  await assert.rejects(ex.fetchTicker("XRP/USDT"), ccxt.BadSymbol); // not a market: ccxt refuses before asking
});
