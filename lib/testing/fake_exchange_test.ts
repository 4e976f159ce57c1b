import assert from "node:assert/strict";
import ccxt from "ccxt";
import { startFakeExchange } from "./fake_exchange.ts";

const M = 60_000;
const T0 = Date.UTC(2024, 0, 1);
const bars = Array.from(
  { length: 30 },
  (_, i) => ({ ts: T0 + i * M, open: 10 + i, high: 12 + i, low: 9 + i, close: 11 + i, volume: i }),
);

function client(url: string): InstanceType<typeof ccxt.binance> {
  const ex = new ccxt.binance({
    enableRateLimit: true,
    rateLimit: 5,
    timeout: 300,
    options: { fetchMarkets: { types: ["spot"] } },
  });
  const api = ex.urls.api as unknown as Record<string, unknown>;
  for (const [k, v] of Object.entries(api)) if (typeof v === "string") api[k] = v.replace(/^https:\/\/[^/]+/, url);
  return ex;
}

Deno.test("fake exchange: real ccxt loads markets and pages klines; requests are logged", async () => {
  const fake = await startFakeExchange({
    series: [{ symbol: "BTC/USDT", timeframe: "1m", bars }],
    symbols: ["ETH/BTC"],
  });
  const ex = client(fake.url);
  try {
    const markets = await ex.loadMarkets();
    assert.deepEqual(Object.keys(markets).sort(), ["BTC/USDT", "ETH/BTC"]);
    assert.equal(markets["BTC/USDT"]!.id, "BTCUSDT");
    const page = await ex.fetchOHLCV("BTC/USDT", "1m", T0 + 5 * M, 3);
    assert.deepEqual(page, bars.slice(5, 8).map((b) => [b.ts, b.open, b.high, b.low, b.close, b.volume]));
    const latest = await ex.fetchOHLCV("BTC/USDT", "1m", undefined, 2); // newest bars without startTime
    assert.deepEqual(latest.map((c) => c[0]), [T0 + 28 * M, T0 + 29 * M]);
    assert.deepEqual(fake.requests.map((r) => `${r.endpoint}#${r.n}`), ["exchangeInfo#0", "klines#0", "klines#1"]);
    assert.deepEqual(fake.requestsTo("klines")[0]!.query, {
      symbol: "BTCUSDT",
      interval: "1m",
      startTime: String(T0 + 5 * M),
      limit: "3",
    });
  } finally {
    await ex.close();
    await fake.close();
  }
});

Deno.test("fake exchange: Binance errors for bad symbol, interval and limit", async () => {
  const fake = await startFakeExchange({ series: [{ symbol: "BTC/USDT", timeframe: "1m", bars }] });
  try {
    const get = async (q: string) => {
      const res = await fetch(`${fake.url}/api/v3/klines?${q}`);
      return [res.status, await res.json()];
    };
    assert.deepEqual(await get("symbol=NOPE&interval=1m"), [400, { code: -1121, msg: "Invalid symbol." }]);
    assert.deepEqual(await get("symbol=BTCUSDT&interval=7x"), [400, { code: -1120, msg: "Invalid interval." }]);
    assert.deepEqual((await get("symbol=BTCUSDT&interval=1m&limit=1001"))[0], 400);
    assert.deepEqual((await get(`symbol=BTCUSDT&interval=1m&startTime=${T0}&endTime=${T0 + M}`))[1].length, 2);
    const res = await fetch(`${fake.url}/nope`);
    assert.equal(res.status, 404);
    await res.body?.cancel();
  } finally {
    await fake.close();
  }
});

Deno.test("fake exchange: scripted faults map to the ccxt errors a client sees", async () => {
  const fake = await startFakeExchange({
    series: [{ symbol: "BTC/USDT", timeframe: "1m", bars }],
    faults: {
      klines: [
        { kind: "rateLimit", retryAfterSec: 3 },
        { kind: "status", status: 503 },
        { kind: "delay", ms: 2_000 },
        { kind: "malformed", body: "not-json" },
        { kind: "malformed", body: "text", text: "[]" },
      ],
    },
  });
  const ex = client(fake.url);
  try {
    await ex.loadMarkets();
    const fetchOne = () => ex.fetchOHLCV("BTC/USDT", "1m", T0, 5);
    await assert.rejects(fetchOne(), ccxt.DDoSProtection);
    assert.equal(ex.last_response_headers?.["Retry-After"], "3");
    await assert.rejects(fetchOne(), ccxt.OperationFailed);
    await assert.rejects(fetchOne(), ccxt.RequestTimeout); // timeout 300 ms < delay 2 s
    assert.deepEqual(await fetchOne(), []); // ccxt hides a non-JSON body as an empty page
    assert.match(ex.last_http_response ?? "", /<html>/);
    assert.deepEqual(await fetchOne(), []);
    assert.equal((await fetchOne()).length, 5);
    assert.deepEqual(fake.requestsTo("klines").map((r) => [r.status, r.fault ?? ""]), [
      [429, "rateLimit"],
      [503, "status"],
      [200, "delay"],
      [200, "malformed"],
      [200, "malformed"],
      [200, ""],
    ]);
  } finally {
    await ex.close();
    await fake.close(); // wakes the pending delay so shutdown does not wait 2 s
  }
});

Deno.test("fake exchange: now() hides future bars; setBars and injectOnce change it live", async () => {
  let now = T0 + 9 * M + 30_000;
  const fake = await startFakeExchange({ series: [{ symbol: "BTC/USDT", timeframe: "1m", bars }], now: () => now });
  try {
    const rows = async () =>
      (await (await fetch(`${fake.url}/api/v3/klines?symbol=BTCUSDT&interval=1m&startTime=${T0}`))
        .json()) as unknown[][];
    assert.equal((await rows()).length, 10); // bars 0..9, bar 9 still open
    now = T0 + 100 * M;
    fake.setBars("BTC/USDT", "1m", bars.filter((_, i) => i % 2 === 0));
    assert.equal((await rows()).length, 15);
    assert.equal(fake.bars("BTC/USDT", "1m").length, 15);
    fake.injectOnce("klines", { kind: "status", status: 500 });
    const res = await fetch(`${fake.url}/api/v3/klines?symbol=BTCUSDT&interval=1m`);
    assert.equal(res.status, 500);
    await res.body?.cancel();
  } finally {
    await fake.close();
  }
});
