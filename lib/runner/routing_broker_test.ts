// RoutingBroker over two fake exchanges (real ccxt), one symbol each: orders land where their symbol trades.
import assert from "node:assert/strict";
import { type FakeExchange, startFakeExchange } from "../testing/mod.ts";
import type { Broker, OrderUpdate } from "./broker.ts";
import { CcxtBroker } from "./ccxt_broker.ts";
import { RoutingBroker } from "./routing_broker.ts";

const KEY = "route-key-A";
const SECRET = "route-secret-A";
const BTC = "BTC/USDT";
const ETH = "ETH/USDT";

interface Rig extends AsyncDisposable {
  a: FakeExchange;
  b: FakeExchange;
  broker: RoutingBroker;
}

async function rig(): Promise<Rig> {
  const a = await startFakeExchange({
    symbols: [BTC],
    prices: { [BTC]: 100 },
    account: { apiKey: KEY, secret: SECRET, balances: { USDT: 600 } },
  });
  const b = await startFakeExchange({
    symbols: [ETH],
    prices: { [ETH]: 10 },
    account: { apiKey: KEY, secret: SECRET, balances: { USDT: 400, ETH: 1 } },
  });
  const open = (url: string): Promise<CcxtBroker> =>
    CcxtBroker.open({ exchange: "binance", apiUrl: url, credentials: { apiKey: KEY, secret: SECRET } });
  const broker = new RoutingBroker({
    routes: [
      { exchange: "binance", broker: await open(a.url), symbols: [BTC] },
      { exchange: "okx", broker: await open(b.url), symbols: [ETH] },
    ],
  });
  return {
    a,
    b,
    broker,
    async [Symbol.asyncDispose]() {
      await broker.close();
      await a.close();
      await b.close();
    },
  };
}

async function drain(broker: Broker): Promise<OrderUpdate[]> {
  const out: OrderUpdate[] = [];
  const end = Date.now() + 3_000;
  while (Date.now() < end) {
    out.push(...await broker.poll());
    if (broker.pending().length === 0) return out;
    await new Promise((res) => setTimeout(res, 20));
  }
  throw new Error(`orders still pending: ${broker.pending().join(", ")}`);
}

Deno.test("RoutingBroker: orders, lookups and trades go to their symbol's exchange; balances sum per asset", async () => {
  await using r = await rig();
  assert.equal(r.broker.name, "route(ccxt:binance,ccxt:binance)");
  assert.equal(r.broker.resolveDelayMs > 0, true);
  assert.deepEqual(await r.broker.balances(), {
    USDT: { free: 1_000, locked: 0, total: 1_000 },
    ETH: { free: 1, locked: 0, total: 1 },
  });
  const btc = await r.broker.submit({ clientOrderId: "rb-btc-1", symbol: BTC, side: "buy", type: "market", qty: 1 });
  const eth = await r.broker.submit({ clientOrderId: "rb-eth-1", symbol: ETH, side: "sell", type: "market", qty: 0.5 });
  assert.equal(btc.status, "sent");
  assert.equal(eth.status, "sent");
  const updates = await drain(r.broker);
  assert.deepEqual(
    updates.filter((u) => u.kind === "filled").map((u) => u.clientOrderId).sort(),
    ["rb-btc-1", "rb-eth-1"],
  );
  assert.deepEqual(r.a.orders.map((o) => o.symbol), ["BTCUSDT"]);
  assert.deepEqual(r.b.orders.map((o) => o.symbol), ["ETHUSDT"]);
  assert.equal((await r.broker.lookup(ETH, "rb-eth-1"))?.state, "filled");
  assert.equal(await r.broker.lookup(BTC, "rb-eth-1"), undefined); // asked of binance, which never saw it
  assert.deepEqual((await r.broker.recentTrades(BTC)).map((t) => t.clientOrderId), ["rb-btc-1"]);
  assert.deepEqual((await r.broker.recentTrades(ETH)).map((t) => t.clientOrderId), ["rb-eth-1"]);
  const bal = await r.broker.balances();
  const fa = r.a.balances;
  const fb = r.b.balances;
  const total = (x: Record<string, { free: number; locked: number }>, k: string): number =>
    (x[k]?.free ?? 0) + (x[k]?.locked ?? 0);
  assert.ok(Math.abs(bal.USDT!.total - (total(fa, "USDT") + total(fb, "USDT"))) < 1e-9);
  assert.ok(Math.abs(bal.BTC!.total - total(fa, "BTC")) < 1e-9);
  assert.ok(Math.abs(bal.ETH!.total - total(fb, "ETH")) < 1e-9);
  assert.ok(bal.BTC!.total > 0.99 && bal.ETH!.total < 0.51);
});

Deno.test("RoutingBroker: open orders route or concatenate; cancel and pending follow the symbol", async () => {
  await using r = await rig();
  await r.broker.submit({ clientOrderId: "rb-btc-l", symbol: BTC, side: "buy", type: "limit", qty: 1, price: 50 });
  await r.broker.submit({ clientOrderId: "rb-eth-l", symbol: ETH, side: "sell", type: "limit", qty: 1, price: 20 });
  await r.broker.poll();
  assert.deepEqual(r.broker.pending().sort(), ["rb-btc-l", "rb-eth-l"]);
  assert.deepEqual((await r.broker.openOrders()).map((o) => o.clientOrderId).sort(), ["rb-btc-l", "rb-eth-l"]);
  assert.deepEqual((await r.broker.openOrders(ETH)).map((o) => o.clientOrderId), ["rb-eth-l"]);
  assert.equal((await r.broker.balances()).USDT?.locked, 50);
  assert.equal((await r.broker.cancel(ETH, "rb-eth-l"))?.state, "cancelled");
  assert.deepEqual(r.b.openOrders(), []);
  assert.equal(r.a.openOrders().length, 1);
  assert.equal((await r.broker.cancel(BTC, "rb-btc-l"))?.state, "cancelled");
  await drain(r.broker);
  assert.deepEqual(await r.broker.openOrders(), []);
  assert.ok(r.broker.market(BTC)?.lotStep !== undefined);
  await assert.rejects(() => r.broker.lookup("SOL/USDT", "x"), /no exchange trades SOL\/USDT/);
});

Deno.test("RoutingBroker: a symbol on two exchanges, or an exchange twice, is refused at construction", () => {
  const stub = { name: "s", resolveDelayMs: 0 } as unknown as Broker;
  assert.throws(
    () =>
      new RoutingBroker({
        routes: [
          { exchange: "binance", broker: stub, symbols: [BTC, ETH] },
          { exchange: "kraken", broker: stub, symbols: [ETH] },
        ],
      }),
    /ETH\/USDT is routed to binance and kraken: one market per symbol per account/,
  );
  assert.throws(
    () =>
      new RoutingBroker({
        routes: [
          { exchange: "binance", broker: stub, symbols: [BTC] },
          { exchange: "binance", broker: stub, symbols: [ETH] },
        ],
      }),
    /exchange binance has two routes/,
  );
  assert.throws(() => new RoutingBroker({ routes: [] }), /at least one route/);
});

Deno.test("RoutingBroker: a poll failing on one exchange keeps the others' updates for the next poll", async () => {
  const update = (id: string): OrderUpdate => ({
    kind: "acknowledged",
    clientOrderId: id,
    exchangeOrderId: id,
    symbol: BTC,
    ts: 1,
  });
  let fail = true;
  const stub = (name: string, poll: () => Promise<OrderUpdate[]>): Broker => ({
    name,
    resolveDelayMs: name === "b" ? 900 : 100,
    poll,
    pending: () => [name],
    close: () => Promise.resolve(),
  } as unknown as Broker);
  const okUpdates = [[update("a1")], [update("a2")]];
  const bUpdates = [update("b1")];
  const broker = new RoutingBroker({
    routes: [
      { exchange: "x", broker: stub("a", () => Promise.resolve(okUpdates.shift() ?? [])), symbols: [BTC] },
      {
        exchange: "y",
        broker: stub("b", () => fail ? Promise.reject(new Error("y down")) : Promise.resolve(bUpdates.splice(0))),
        symbols: [ETH],
      },
    ],
  });
  assert.equal(broker.resolveDelayMs, 900);
  assert.deepEqual(broker.pending(), ["a", "b"]);
  await assert.rejects(() => broker.poll(), /y down/);
  fail = false;
  assert.deepEqual((await broker.poll()).map((u) => u.clientOrderId), ["a1", "a2", "b1"]);
  assert.deepEqual(await broker.poll(), []);
});

Deno.test("RoutingBroker: a long name is cut to 64 characters", () => {
  const stub = (name: string): Broker => ({ name, resolveDelayMs: 0 } as unknown as Broker);
  const broker = new RoutingBroker({
    routes: ["a", "b", "c", "d"].map((x) => ({
      exchange: x,
      broker: stub(`ccxt:exchange-with-a-long-name-${x}`),
      symbols: [`${x}/USDT`],
    })),
  });
  assert.equal(broker.name.length, 64);
  assert.ok(broker.name.startsWith("route(ccxt:exchange-with-a-long-name-a,") && broker.name.endsWith(")"));
});
