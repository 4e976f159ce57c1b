// The market streams, driven by the real ccxt.pro (binance) and by a bare WebSocket where the exact bytes matter.
import assert from "node:assert/strict";
import ccxt, { type OHLCV, type Trade } from "ccxt";
import type { Bar } from "../types/mod.ts";
import { type FakeExchange, type FakeExchangeOptions, startFakeExchange } from "./fake_exchange.ts";

const M = 60_000;
const T0 = Date.UTC(2024, 0, 1);
const BTC = "BTC/USDT";
const ETH = "ETH/USDT";

function bars(n: number, base: number): Bar[] {
  return Array.from({ length: n }, (_, i) => {
    const p = base + i;
    return { ts: T0 + i * M, open: p, high: p + 2, low: p - 1, close: p + 1, volume: 10 + i };
  });
}

type Pro = InstanceType<typeof ccxt.pro.binance>;

async function rig(options: Partial<FakeExchangeOptions> = {}): Promise<{
  fake: FakeExchange;
  ex: Pro;
  [Symbol.asyncDispose](): Promise<void>;
}> {
  const fake = await startFakeExchange({
    series: [{ symbol: BTC, timeframe: "1m", bars: bars(10, 100) }, {
      symbol: ETH,
      timeframe: "1m",
      bars: bars(10, 10),
    }],
    ws: { paceMs: 15 },
    ...options,
  });
  const ex = new ccxt.pro.binance({ options: { fetchMarkets: { types: ["spot"] }, ws: { backoff: { base: 50 } } } });
  const api = ex.urls.api as unknown as Record<string, unknown>;
  for (const [k, v] of Object.entries(api)) if (typeof v === "string") api[k] = v.replace(/^https:\/\/[^/]+/, fake.url);
  (ex.urls.api as unknown as { ws: Record<string, string> }).ws.spot = fake.ws.url;
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

const row = (b: Bar): OHLCV => [b.ts, b.open, b.high, b.low, b.close, b.volume];

Deno.test("fake ws: ccxt.pro watchOHLCV on several symbols at once; unclosed updates then the closed bar", async () => {
  await using r = await rig();
  const { fake, ex } = r;
  const first = ex.watchOHLCVForSymbols([[BTC, "1m"], [ETH, "1m"]]);
  await fake.ws.waitForSubscribers("btcusdt@kline_1m");
  assert.deepEqual(fake.ws.subscriptions(), ["btcusdt@kline_1m", "ethusdt@kline_1m"]);
  assert.equal(fake.ws.requests[0]!.method, "SUBSCRIBE");
  assert.match(fake.ws.requests[0]!.path, /^\/stream\/ws\/\d+$/);
  const b0 = fake.ws.nextBar(BTC, "1m")!;
  const got = await first;
  assert.deepEqual(got[BTC]!["1m"], [row(b0)]);
  const e0 = fake.ws.nextBar(ETH, "1m")!;
  assert.deepEqual((await ex.watchOHLCVForSymbols([[BTC, "1m"], [ETH, "1m"]]))[ETH]!["1m"], [row(e0)]);

  // Two unclosed updates, then the close: ccxt upserts by open time, so its cache ends with the closed bar.
  const seen: OHLCV[] = [];
  const b1 = fake.ws.nextBar(BTC, "1m", { updates: 2 })!;
  // ccxt updates its candle arrays in place: copy what it returns.
  while (seen.length < 3) seen.push(...(await ex.watchOHLCV(BTC, "1m")).map((c) => [...c] as OHLCV));
  assert.deepEqual(seen.map((c) => c[0]), [b1.ts, b1.ts, b1.ts]);
  assert.deepEqual(seen[2], row(b1));
  assert.ok(seen[0]![4]! < seen[1]![4]! && seen[1]![4]! < b1.close);
  assert.deepEqual([...ex.ohlcvs[BTC]!["1m"]!].slice(-2), [row(b0), row(b1)]);
});

Deno.test("fake ws: ccxt.pro watchTrades on two symbols, one socket each", async () => {
  await using r = await rig();
  const { fake, ex } = r;
  const btc = ex.watchTrades(BTC);
  const eth = ex.watchTrades(ETH);
  await fake.ws.waitForSubscribers("btcusdt@trade");
  await fake.ws.waitForSubscribers("ethusdt@trade");
  assert.equal(fake.ws.connections, 2); // ccxt.pro opens a stream (socket) per subscription
  fake.ws.trade(BTC, { price: 101.5, qty: 0.25, ts: T0, buyerMaker: true });
  fake.ws.trade(ETH, { price: 11, qty: 3, ts: T0 + 1 });
  const [[tb], [te]] = (await Promise.all([btc, eth])) as [Trade[], Trade[]];
  assert.deepEqual([tb!.symbol, tb!.price, tb!.amount, tb!.side, tb!.timestamp], [BTC, 101.5, 0.25, "sell", T0]);
  assert.deepEqual([te!.symbol, te!.price, te!.amount, te!.side], [ETH, 11, 3, "buy"]);
  assert.equal(fake.price(BTC), 101.5); // trades move the exchange's price
});

Deno.test("fake ws: a dropped socket rejects the watch; the next call re-dials and subscribes again", async () => {
  await using r = await rig();
  const { fake, ex } = r;
  const p = ex.watchOHLCV(BTC, "1m");
  await fake.ws.waitForSubscribers("btcusdt@kline_1m");
  fake.ws.nextBar(BTC, "1m");
  await p;
  const pending = ex.watchOHLCV(BTC, "1m");
  assert.equal(fake.ws.drop({ code: 1001 }), 1);
  await assert.rejects(pending, (e: Error) => {
    assert.ok(e instanceof ccxt.NetworkError);
    assert.match(e.message, /1001/);
    return true;
  });
  const again = ex.watchOHLCV(BTC, "1m");
  await fake.ws.waitForSubscribers("btcusdt@kline_1m");
  const b1 = fake.ws.nextBar(BTC, "1m")!;
  assert.deepEqual((await again).at(-1), row(b1));
  assert.deepEqual(fake.ws.requests.map((q) => q.method), ["SUBSCRIBE", "SUBSCRIBE"]);
  assert.notEqual(fake.ws.requests[0]!.socket, fake.ws.requests[1]!.socket);

  // Cut dead, no close frame: the client sees 1006.
  const cut = ex.watchOHLCV(BTC, "1m");
  assert.equal(fake.ws.drop({ abrupt: true }), 1);
  await assert.rejects(cut, (e: Error) => {
    assert.ok(e instanceof ccxt.NetworkError);
    assert.match(e.message, /Unexpected EOF|1006/); // Deno reports the EOF before the 1006 close
    return true;
  });
  const third = ex.watchOHLCV(BTC, "1m");
  await fake.ws.waitForSubscribers("btcusdt@kline_1m");
  const b2 = fake.ws.nextBar(BTC, "1m")!;
  assert.deepEqual((await third).at(-1), row(b2));
});

Deno.test("fake ws: pushed klines move the market: a resting limit fills when a bar's low reaches it", async () => {
  await using r = await rig({ account: { apiKey: "k", secret: "s", balances: { USDT: 1_000 } } });
  const { fake } = r;
  const rest = new ccxt.binance({ apiKey: "k", secret: "s", options: { fetchMarkets: { types: ["spot"] } } });
  const api = rest.urls.api as unknown as Record<string, unknown>;
  for (const [k, v] of Object.entries(api)) if (typeof v === "string") api[k] = v.replace(/^https:\/\/[^/]+/, fake.url);
  try {
    assert.equal(fake.price(BTC), 110); // nothing pushed yet: the last served bar's close
    fake.ws.seek(BTC, "1m", T0 + 5 * M);
    fake.ws.nextBar(BTC, "1m"); // close 106
    const o = await rest.createOrder(BTC, "limit", "buy", 1, 105.5);
    assert.equal(o.status, "open");
    fake.ws.nextBar(BTC, "1m"); // low 105: crosses
    const filled = await rest.fetchOrder(o.id!, BTC);
    assert.equal(filled.status, "closed");
    assert.equal(filled.average, 105.5);
    fake.ws.repeatBar(BTC, "1m"); // a duplicate is not a market move
    assert.equal(fake.price(BTC), 107);
  } finally {
    await rest.close();
  }
});

/** A bare client: every frame as parsed JSON. */
async function bareClient(fake: FakeExchange, streams: string[]): Promise<{ got: unknown[]; socket: WebSocket }> {
  const socket = new WebSocket(`${fake.ws.url}/0`);
  const got: unknown[] = [];
  socket.onmessage = (e) => got.push(JSON.parse(e.data));
  await new Promise((resolve, reject) => {
    socket.onopen = resolve;
    socket.onerror = reject;
  });
  socket.send(JSON.stringify({ method: "SUBSCRIBE", params: streams, id: 1 }));
  for (const s of streams) await fake.ws.waitForSubscribers(s);
  return { got, socket };
}

async function until(ok: () => boolean, timeoutMs = 2_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!ok()) {
    if (Date.now() > end) throw new Error("timed out");
    await new Promise((r) => setTimeout(r, 5));
  }
}

interface KMsg {
  stream: string;
  data: { E: number; k: { t: number; c: string; h: string; x: boolean } };
}

Deno.test("fake ws: duplicate, out-of-order, spiked, late and stalled messages", async () => {
  const fake = await startFakeExchange({ series: [{ symbol: BTC, timeframe: "1m", bars: bars(10, 100) }] });
  const { got, socket } = await bareClient(fake, ["btcusdt@kline_1m"]);
  try {
    const klines = () => got.slice(1) as KMsg[];
    const b0 = fake.ws.nextBar(BTC, "1m")!;
    const b1 = fake.ws.nextBar(BTC, "1m")!;
    fake.ws.repeatBar(BTC, "1m"); // duplicate of b1
    fake.ws.kline(BTC, "1m", b0); // out of order
    const spiked = fake.ws.nextBar(BTC, "1m", { spike: 10 })!;
    fake.ws.nextBar(BTC, "1m", { eventTime: 1 }); // late: stamped long ago
    await until(() => klines().length === 6);
    assert.deepEqual(got[0], { result: null, id: 1 });
    assert.deepEqual(klines().map((m) => (m.data.k.t - T0) / M), [0, 1, 1, 0, 2, 3]);
    assert.ok(klines().every((m) => m.stream === "btcusdt@kline_1m" && m.data.k.x));
    assert.equal(klines()[4]!.data.k.c, String(103 * 10));
    assert.equal(spiked.high, 1030);
    assert.equal(klines()[5]!.data.E, 1);
    assert.equal(b1.close, 102);

    // A delayed message is overtaken by the next one.
    fake.ws.nextBar(BTC, "1m", { delayMs: 60 });
    fake.ws.nextBar(BTC, "1m");
    await until(() => klines().length === 8);
    assert.deepEqual(klines().slice(6).map((m) => (m.data.k.t - T0) / M), [5, 4]);

    // Stalled: the socket stays open and quiet; what was held goes out on resume.
    fake.ws.stall();
    fake.ws.nextBar(BTC, "1m");
    await new Promise((r) => setTimeout(r, 50));
    assert.equal(klines().length, 8);
    assert.equal(fake.ws.connections, 1);
    fake.ws.resume();
    await until(() => klines().length === 9);
    fake.ws.stall("discard");
    fake.ws.nextBar(BTC, "1m");
    fake.ws.resume();
    fake.ws.nextBar(BTC, "1m");
    await until(() => klines().length === 10);
    assert.deepEqual(klines().slice(8).map((m) => (m.data.k.t - T0) / M), [6, 8]);
    assert.equal(fake.ws.nextBar(BTC, "1m")?.ts, T0 + 9 * M);
    assert.equal(fake.ws.nextBar(BTC, "1m"), undefined); // the end of the series
  } finally {
    socket.close();
    await fake.close();
  }
});

Deno.test("fake ws: raw shape, UNSUBSCRIBE, LIST_SUBSCRIPTIONS, unknown methods and stream errors", async () => {
  const fake = await startFakeExchange({
    series: [{ symbol: BTC, timeframe: "1m", bars: bars(3, 100) }],
    ws: { shape: "raw" },
  });
  const { got, socket } = await bareClient(fake, ["btcusdt@kline_1m", "btcusdt@trade"]);
  try {
    fake.ws.trade(BTC, { price: 1, qty: 2, ts: 5, id: 77 });
    await until(() => got.length === 2);
    assert.deepEqual(got[1], {
      e: "trade",
      E: (got[1] as { E: number }).E,
      s: "BTCUSDT",
      t: 77,
      p: "1",
      q: "2",
      T: 5,
      m: false,
      M: true,
    });
    socket.send(JSON.stringify({ method: "UNSUBSCRIBE", params: ["btcusdt@trade"], id: 2 }));
    socket.send(JSON.stringify({ method: "LIST_SUBSCRIPTIONS", id: 3 }));
    socket.send(JSON.stringify({ method: "NOPE", id: 4 }));
    await until(() => got.length === 5);
    assert.deepEqual(got.slice(2), [
      { result: null, id: 2 },
      { result: ["btcusdt@kline_1m"], id: 3 },
      { error: { code: 2, msg: "Invalid request: unknown method 'NOPE'" }, id: 4 },
    ]);
    assert.equal(fake.ws.trade(BTC, { price: 1, qty: 1 }), 0);
    fake.ws.nextBar(BTC, "1m", { updates: 1 });
    await until(() => got.length === 7);
    assert.deepEqual(got.slice(5).map((m) => (m as { k: { x: boolean } }).k.x), [false, true]);
    assert.throws(() => fake.ws.nextBar("DOGE/USDT", "1m"), /no series DOGE\/USDT 1m/);
    await assert.rejects(fake.ws.waitForSubscribers("ethusdt@trade", 1, 20), /subscribed: \[btcusdt@kline_1m\]/);
    const res = await fetch(`${fake.url}/stream/ws/0`);
    assert.equal(res.status, 400);
    await res.body?.cancel();
  } finally {
    socket.close();
    await fake.close();
  }
});
