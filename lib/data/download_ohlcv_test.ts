// Real ccxt (binance) against the fake exchange on 127.0.0.1.
import assert from "node:assert/strict";
import ccxt from "ccxt";
import { Frame } from "../frame/mod.ts";
import { startFakeExchange } from "../testing/fake_exchange.ts";
import { type Bar, ExchangeError, TemporaryExchangeError } from "../types/mod.ts";
import { downloadOhlcv, type DownloadOptions, type DownloadProgress } from "./download_ohlcv.ts";
import { MemorySink } from "./memory_sink.ts";

const M = 60_000;
const T0 = Date.UTC(2024, 0, 1);
const FAST = { exchangeOptions: { rateLimit: 5, timeout: 2_000 }, backoff: { baseMs: 1, maxMs: 5 } };

/** Deterministic bars every minute from T0, except the minutes in `holes`. */
function makeBars(count: number, holes: Array<[number, number]> = []): Bar[] {
  const out: Bar[] = [];
  for (let i = 0; i < count; i++) {
    if (holes.some(([a, b]) => i >= a && i < b)) continue;
    const p = 100 + Math.sin(i / 7) * 5;
    out.push({ ts: T0 + i * M, open: p, high: p + 1.25, low: p - 0.75, close: p + 0.5, volume: 10 + (i % 13) });
  }
  return out;
}

function assertSameBars(frame: Frame | undefined, expected: Bar[]): void {
  assert.ok(frame, "the sink has the series");
  assert.deepEqual(frame.toBars(), expected);
}

/** Checks that every bar was appended exactly once across all appends (pages never overlap). */
function assertAppendedOnce(sink: MemorySink, expected: Bar[]): void {
  const total = sink.appends.reduce((s, a) => s + a.rows, 0);
  assert.equal(total, expected.length, "bars appended across pages == bars served");
  for (let i = 1; i < sink.appends.length; i++) {
    assert.ok(sink.appends[i]!.first > sink.appends[i - 1]!.last, "pages are appended in order without overlap");
  }
}

Deno.test("downloadOhlcv stores exactly the served closed bars, once each, across faults and gaps", async () => {
  // 600 minutes with a short gap and a gap longer than a page (limit 100).
  const bars = makeBars(600, [[50, 53], [200, 390]]);
  const fake = await startFakeExchange({
    series: [{ symbol: "BTC/USDT", timeframe: "1m", bars }],
    faults: {
      exchangeInfo: [{ kind: "status", status: 502, body: "<html>bad gateway</html>" }],
      klines: [
        null,
        { kind: "status", status: 503 },
        { kind: "malformed", body: "not-json" },
        null,
        { kind: "malformed", body: "wrong-shape" },
        { kind: "malformed", body: "nulls" },
        { kind: "malformed", body: "truncated" },
        { kind: "rateLimit", retryAfterSec: 0 },
        { kind: "delay", ms: 400 },
      ],
    },
  });
  try {
    const sink = new MemorySink();
    const progress: DownloadProgress[] = [];
    const r = await downloadOhlcv({
      ...FAST,
      exchangeOptions: { rateLimit: 5, timeout: 200 },
      symbol: "BTC/USDT",
      timeframe: "1m",
      since: T0,
      limit: 100,
      sink,
      apiUrl: fake.url,
      now: () => T0 + 600 * M, // every served bar is closed
      onProgress: (p) => progress.push(p),
    });
    assertSameBars(sink.get(r.id), bars);
    assertAppendedOnce(sink, bars);
    assert.equal(r.fetched, bars.length);
    assert.equal(r.retries, 8); // 1 exchangeInfo + 7 klines faults (the delay times out at 200 ms)
    assert.deepEqual(r.warnings, []);
    assert.equal(progress.at(-1)!.done, true);
    assert.equal(progress.at(-1)!.fetched, bars.length);
    assert.ok(fake.requestsTo("klines").some((q) => q.fault === "delay"));
    // Every klines request asked for the cursor right after the last stored bar (or since).
    const starts = fake.requestsTo("klines").map((q) => Number(q.query.startTime));
    assert.equal(starts[0], T0);
    assert.ok(starts.every((s) => (s - T0) % M === 0));
  } finally {
    await fake.close();
  }
});

Deno.test("downloadOhlcv skips empty windows on exchanges that answer fixed windows", async () => {
  const bars = makeBars(500, [[120, 330]]); // a 210-minute hole: two empty 100-bar windows
  const fake = await startFakeExchange({
    series: [{ symbol: "BTC/USDT", timeframe: "1m", bars }],
    klinesMode: "window",
  });
  try {
    const sink = new MemorySink();
    const r = await downloadOhlcv({
      ...FAST,
      symbol: "BTC/USDT",
      timeframe: "1m",
      since: T0,
      limit: 100,
      sink,
      apiUrl: fake.url,
      now: () => T0 + 500 * M,
    });
    assertSameBars(sink.get(r.id), bars);
    assertAppendedOnce(sink, bars);
    // The newest-bar probe happens once (a request without startTime).
    assert.equal(fake.requestsTo("klines").filter((q) => q.query.startTime === undefined).length, 1);
  } finally {
    await fake.close();
  }
});

Deno.test("downloadOhlcv never stores the unclosed last bar, and stops at until", async () => {
  const bars = makeBars(50);
  const fake = await startFakeExchange({
    series: [{ symbol: "BTC/USDT", timeframe: "1m", bars }],
    now: () => T0 + 49 * M + 30_000, // the fake serves bar 49, still open
  });
  try {
    const sink = new MemorySink();
    const r = await downloadOhlcv({
      ...FAST,
      symbol: "BTC/USDT",
      timeframe: "1m",
      since: T0,
      sink,
      apiUrl: fake.url,
      now: () => T0 + 49 * M + 30_000,
    });
    assert.equal(fake.requestsTo("klines")[0]!.status, 200);
    assertSameBars(sink.get(r.id), bars.slice(0, 49));

    const sink2 = new MemorySink();
    await downloadOhlcv({
      ...FAST,
      symbol: "BTC/USDT",
      timeframe: "1m",
      since: T0 + 10 * M,
      until: T0 + 20 * M,
      sink: sink2,
      apiUrl: fake.url,
    });
    assertSameBars(sink2.get(r.id), bars.slice(10, 20));
  } finally {
    await fake.close();
  }
});

Deno.test("downloadOhlcv resumes after an abort: final set exact, no duplicates", async () => {
  const bars = makeBars(450, [[100, 110]]);
  const fake = await startFakeExchange({ series: [{ symbol: "ETH/BTC", timeframe: "1m", bars }] });
  try {
    const sink = new MemorySink();
    const controller = new AbortController();
    const base: DownloadOptions = {
      ...FAST,
      symbol: "ETH/BTC",
      timeframe: "1m",
      since: "2024-01-01",
      limit: 100,
      sink,
      apiUrl: fake.url,
      now: () => T0 + 450 * M,
    };
    // Abort after the second page has been stored.
    await assert.rejects(
      downloadOhlcv({ ...base, signal: controller.signal, onProgress: (p) => p.pages === 2 && controller.abort() }),
      (e: unknown) => e instanceof DOMException && e.name === "AbortError",
    );
    const stored = sink.get({ exchange: "binance", symbol: "ETH/BTC", timeframe: "1m" })!;
    assert.equal(stored.length, 200); // two full pages of 100 bars (the second starts after the hole)
    assertSameBars(stored, bars.slice(0, 200));

    const r = await downloadOhlcv(base);
    assert.equal(r.resumed, true);
    assert.equal(r.from, bars[199]!.ts + M);
    assertSameBars(sink.get(r.id), bars);
    assertAppendedOnce(sink, bars);
  } finally {
    await fake.close();
  }
});

Deno.test("downloadOhlcv honours Retry-After on 429", async () => {
  const bars = makeBars(10);
  const fake = await startFakeExchange({
    series: [{ symbol: "BTC/USDT", timeframe: "1m", bars }],
    faults: { klines: [{ kind: "rateLimit", retryAfterSec: 1 }] },
  });
  try {
    const sink = new MemorySink();
    const waits: number[] = [];
    const r = await downloadOhlcv({
      ...FAST,
      symbol: "BTC/USDT",
      timeframe: "1m",
      since: T0,
      sink,
      apiUrl: fake.url,
      now: () => T0 + 10 * M,
      sleep: (ms) => { // a fake clock: record the wait instead of sleeping
        waits.push(ms);
        return Promise.resolve();
      },
    });
    assert.deepEqual(waits, [1000]); // backoff (<= 1 ms) is smaller than Retry-After: 1 s
    assert.equal(r.retryAfterWaitMs, 1000);
    assertSameBars(sink.get(r.id), bars);

    // A real wait, measured: Retry-After 1 s must delay the retry by at least 1 s.
    fake.injectOnce("klines", { kind: "rateLimit", retryAfterSec: 1 });
    const t = performance.now();
    await downloadOhlcv({
      ...FAST,
      symbol: "BTC/USDT",
      timeframe: "1m",
      since: T0,
      sink: new MemorySink(),
      apiUrl: fake.url,
      now: () => T0 + 10 * M,
    });
    assert.ok(performance.now() - t >= 1000, "waited at least Retry-After");
    const limited = fake.requests.findLast((q) => q.status === 429)!;
    const retried = fake.requests.find((q) => q.endpoint === "klines" && q.at > limited.at)!;
    assert.ok(retried.at - limited.at >= 990, `retry came ${retried.at - limited.at} ms after the 429`);

    // A Retry-After longer than maxRetryAfterMs is a ban: fail at once, resumable.
    fake.injectOnce("klines", { kind: "rateLimit", retryAfterSec: 600, status: 418 });
    await assert.rejects(
      downloadOhlcv({
        ...FAST,
        symbol: "BTC/USDT",
        timeframe: "1m",
        since: T0,
        sink: new MemorySink(),
        apiUrl: fake.url,
      }),
      (e: unknown) => e instanceof TemporaryExchangeError && /Retry-After/.test(e.message),
    );
  } finally {
    await fake.close();
  }
});

Deno.test("downloadOhlcv: retries exhausted -> TemporaryExchangeError, what was stored stays", async () => {
  const bars = makeBars(300);
  const fake = await startFakeExchange({
    series: [{ symbol: "BTC/USDT", timeframe: "1m", bars }],
    faultFn: ({ endpoint, n }) => (endpoint === "klines" && n >= 1 ? { kind: "status", status: 500 } : undefined),
  });
  try {
    const sink = new MemorySink();
    const waits: number[] = [];
    await assert.rejects(
      downloadOhlcv({
        ...FAST,
        symbol: "BTC/USDT",
        timeframe: "1m",
        since: T0,
        limit: 100,
        sink,
        apiUrl: fake.url,
        maxRetries: 3,
        backoff: { baseMs: 100, maxMs: 250 },
        random: () => 0.5,
        sleep: (ms) => {
          waits.push(ms);
          return Promise.resolve();
        },
        now: () => T0 + 300 * M,
      }),
      (e: unknown) =>
        e instanceof TemporaryExchangeError && /after 4 attempts/.test(e.message) && /resumes/.test(e.message),
    );
    assert.deepEqual(waits, [50, 100, 125]); // 0.5 * min(250, 100 * 2^k)
    assert.equal(fake.requestsTo("klines").length, 5);
    assertSameBars(sink.get({ exchange: "binance", symbol: "BTC/USDT", timeframe: "1m" }), bars.slice(0, 100));
  } finally {
    await fake.close();
  }
});

Deno.test("downloadOhlcv: bad symbol -> ExchangeError fast, no retry", async () => {
  const fake = await startFakeExchange({ series: [{ symbol: "BTC/USDT", timeframe: "1m", bars: makeBars(5) }] });
  try {
    const t = performance.now();
    await assert.rejects(
      downloadOhlcv({
        ...FAST,
        symbol: "NOPE/USDT",
        timeframe: "1m",
        since: T0,
        sink: new MemorySink(),
        apiUrl: fake.url,
      }),
      (e: unknown) => e instanceof ExchangeError && /NOPE\/USDT/.test(e.message) && /Check the symbol/.test(e.message),
    );
    assert.ok(performance.now() - t < 2000);
    assert.equal(fake.requestsTo("klines").length, 0);

    // The exchange itself refusing the symbol (HTTP 400, -1121 Invalid symbol) is permanent too.
    fake.injectOnce("klines", { kind: "status", status: 400, body: '{"code":-1121,"msg":"Invalid symbol."}' });
    const ex = new ccxt.binance({ enableRateLimit: true, options: { fetchMarkets: { types: ["spot"] } } });
    try {
      await assert.rejects(
        downloadOhlcv({
          exchange: ex,
          apiUrl: fake.url,
          symbol: "BTC/USDT",
          timeframe: "1m",
          since: T0,
          sink: new MemorySink(),
        }),
        (e: unknown) => e instanceof ExchangeError && e.cause instanceof ccxt.BadSymbol,
      );
      assert.equal(fake.requestsTo("klines").length, 1);
    } finally {
      await ex.close();
    }
  } finally {
    await fake.close();
  }
});

Deno.test("downloadOhlcv: malformed bodies are retried and never stored", async () => {
  const bars = makeBars(20);
  for (const body of ["not-json", "truncated", "wrong-shape", "nulls"] as const) {
    const fake = await startFakeExchange({
      series: [{ symbol: "BTC/USDT", timeframe: "1m", bars }],
      faults: { klines: [{ kind: "malformed", body }, { kind: "malformed", body }] },
    });
    try {
      const sink = new MemorySink();
      const r = await downloadOhlcv({
        ...FAST,
        symbol: "BTC/USDT",
        timeframe: "1m",
        since: T0,
        sink,
        apiUrl: fake.url,
        now: () => T0 + 20 * M,
      });
      assert.equal(r.retries, 2, body);
      assertSameBars(sink.get(r.id), bars);
      assertAppendedOnce(sink, bars);

      // With no retries left, the malformed page fails the run and nothing is stored.
      fake.injectOnce("klines", { kind: "malformed", body });
      const empty = new MemorySink();
      await assert.rejects(
        downloadOhlcv({
          ...FAST,
          symbol: "BTC/USDT",
          timeframe: "1m",
          since: T0,
          sink: empty,
          apiUrl: fake.url,
          maxRetries: 0,
        }),
        TemporaryExchangeError,
      );
      assert.equal(empty.appends.length, 0);
    } finally {
      await fake.close();
    }
  }
});

Deno.test("downloadOhlcv rejects bad arguments with RangeError", async () => {
  const sink = new MemorySink();
  await assert.rejects(
    downloadOhlcv({ exchange: "nope", symbol: "BTC/USDT", timeframe: "1m", since: T0, sink }),
    /Unknown exchange "nope"/,
  );
  await assert.rejects(downloadOhlcv({ symbol: "BTC/USDT", timeframe: "1m", since: "yesterday", sink }), RangeError);
  await assert.rejects(downloadOhlcv({ symbol: "BTC/USDT", timeframe: "1x", since: T0, sink }), RangeError);
  await assert.rejects(downloadOhlcv({ symbol: "BTC/USDT", timeframe: "1m", since: T0, sink, limit: 0 }), RangeError);
});
