// The streaming feed against the fake exchange, driven by the real ccxt.pro (binance).
import assert from "node:assert/strict";
import type { Trade } from "ccxt";
import { type FakeExchange, type FakeExchangeOptions, startFakeExchange } from "../testing/fake_exchange.ts";
import type { Bar } from "../types/mod.ts";
import { CcxtStreamFeed, type CcxtStreamFeedOptions, type StreamProblem } from "./ccxt_stream_feed.ts";
import type { FeedBar } from "./feed.ts";

const M = 60_000;
const T0 = Date.UTC(2024, 0, 1);
const BTC = "BTC/USDT";
const ETH = "ETH/USDT";
/** Bars 0..19 are history (the start point and the volatility warm-up); the stream sends from bar 20. */
const START = 19;

function series(n: number, base: number): Bar[] {
  return Array.from({ length: n }, (_, i) => {
    // Small wiggles (~0.5%) so the spike test has a volatility to measure.
    const c = base * (1 + 0.005 * Math.sin(i * 1.7));
    const o = base * (1 + 0.005 * Math.sin((i - 1) * 1.7));
    return {
      ts: T0 + i * M,
      open: o,
      high: Math.max(o, c) * 1.001,
      low: Math.min(o, c) * 0.999,
      close: c,
      volume: 10 + i,
    };
  });
}

interface Rig {
  fake: FakeExchange;
  feed: CcxtStreamFeed;
  problems: StreamProblem[];
  batches: FeedBar[][];
  /** Moves the clock past bar `i`'s close and streams it. */
  push(symbol: string, i: number, options?: Parameters<FakeExchange["ws"]["nextBar"]>[2]): Bar;
  until(what: string, ok: () => boolean, timeoutMs?: number): Promise<void>;
  kinds(): string[];
  /** The iterator's end (rejects with its error). */
  done: Promise<void>;
  controller: AbortController;
  [Symbol.asyncDispose](): Promise<void>;
}

async function rig(
  options: Partial<CcxtStreamFeedOptions> = {},
  fakeOptions: Partial<FakeExchangeOptions> = {},
  after: Map<string, number> | undefined = undefined,
): Promise<Rig> {
  let clock = T0 + (START + 1) * M;
  const fake = await startFakeExchange({
    series: [{ symbol: BTC, timeframe: "1m", bars: series(60, 100) }, {
      symbol: ETH,
      timeframe: "1m",
      bars: series(60, 10),
    }],
    now: () => clock,
    ...fakeOptions,
  });
  const problems: StreamProblem[] = [];
  const feed = new CcxtStreamFeed({
    symbols: [BTC, ETH],
    timeframe: "1m",
    apiUrl: fake.url,
    wsUrl: fake.ws.url,
    now: () => clock,
    graceMs: 2_000,
    baseBackoffMs: 20,
    maxBackoffMs: 100,
    onProblem: (p) => problems.push(p),
    ...options,
  });
  for (const s of [BTC, ETH]) fake.ws.seek(s, "1m", T0 + (START + 1) * M);
  const batches: FeedBar[][] = [];
  const controller = new AbortController();
  const done = (async () => {
    const start = after ?? new Map([[BTC, T0 + START * M], [ETH, T0 + START * M]]);
    for await (const b of feed.batches({ after: start, signal: controller.signal })) batches.push(b);
  })();
  let failed: unknown;
  done.catch((e) => failed = e);
  const until = async (what: string, ok: () => boolean, timeoutMs = 5_000): Promise<void> => {
    const end = Date.now() + timeoutMs;
    while (!ok()) {
      if (failed !== undefined) throw failed;
      if (Date.now() > end) {
        throw new Error(`timed out waiting for ${what}; problems: ${JSON.stringify(problems.map((p) => p.kind))}`);
      }
      await new Promise((r) => setTimeout(r, 5));
    }
  };
  return {
    fake,
    feed,
    problems,
    batches,
    push(symbol, i, opts) {
      clock = Math.max(clock, T0 + (i + 1) * M);
      fake.ws.seek(symbol, "1m", T0 + i * M);
      return fake.ws.nextBar(symbol, "1m", opts)!;
    },
    until,
    kinds: () => problems.map((p) => p.kind),
    done,
    controller,
    async [Symbol.asyncDispose]() {
      controller.abort();
      await done.catch(() => {});
      await fake.close();
    },
  };
}

/** Waits for both kline subscriptions and the start's REST backfill (which must not see the clock move first). */
const subscribed = (r: Rig): Promise<void> =>
  r.until(
    "subscriptions",
    () =>
      r.fake.ws.subscribers("btcusdt@kline_1m") > 0 && r.fake.ws.subscribers("ethusdt@kline_1m") > 0 &&
      r.problems.filter((p) => p.kind === "backfill").length >= 2,
  );
const flat = (r: Rig): FeedBar[] => r.batches.flat();
const idx = (b: { ts: number }): number => (b.ts - T0) / M;
const asBar = (b: FeedBar): Bar => ({
  ts: b.ts,
  open: b.open,
  high: b.high,
  low: b.low,
  close: b.close,
  volume: b.volume,
});

Deno.test("stream feed: several symbols batch by bar time; only closed bars; latency and lag measured", async () => {
  await using r = await rig();
  await subscribed(r);
  const b20 = r.push(BTC, 20, { updates: 3 }); // three unclosed updates, then the close
  const e20 = r.push(ETH, 20);
  await r.until("batch 20", () => r.batches.length === 1);
  assert.deepEqual(r.batches[0]!.map((b) => [b.symbol, idx(b)]), [[BTC, 20], [ETH, 20]]);
  assert.deepEqual(asBar(r.batches[0]![0]!), b20);
  assert.deepEqual(asBar(r.batches[0]![1]!), e20);
  assert.equal(r.batches[0]![0]!.exchange, "binance");
  // ETH first this time: the batch still comes in `symbols` order.
  r.push(ETH, 21);
  r.push(BTC, 21);
  await r.until("batch 21", () => r.batches.length === 2);
  assert.deepEqual(r.batches[1]!.map((b) => b.symbol), [BTC, ETH]);
  const stats = r.feed.stats();
  assert.equal(stats.mode, "stream");
  assert.equal(stats.connected, true);
  assert.equal(stats.symbols[BTC]!.messages, 5);
  assert.equal(stats.symbols[BTC]!.lastBarTs, T0 + 21 * M);
  assert.equal(stats.latency.count, 7);
  assert.equal(stats.lag.count, 4);
  assert.ok(stats.latency.p99 >= 0 && stats.latency.p99 < 1_000, `latency p99 ${stats.latency.p99}`);
  assert.ok(stats.lag.p50 >= 0 && stats.lag.p99 < 1_000, `lag p99 ${stats.lag.p99}`);
  assert.deepEqual(r.kinds().filter((k) => k !== "backfill"), ["start"]);
  assert.deepEqual(r.problems[0], {
    kind: "start",
    at: r.problems[0]!.at,
    from: { [BTC]: T0 + START * M + 1, [ETH]: T0 + START * M + 1 },
  });
});

Deno.test("stream feed: duplicate and out-of-order bars are dropped and reported; malformed messages too", async () => {
  await using r = await rig();
  await subscribed(r);
  const bars = series(60, 100);
  r.push(BTC, 20);
  r.push(ETH, 20);
  r.push(BTC, 21);
  r.fake.ws.repeatBar(BTC, "1m"); // 21 again
  r.fake.ws.kline(BTC, "1m", bars[20]!); // 20 after 21
  r.fake.ws.kline(BTC, "1m", { ...bars[22]!, close: NaN }); // junk
  r.push(ETH, 21);
  await r.until("two batches", () => r.batches.length === 2);
  await r.until("reports", () => r.kinds().includes("malformed"));
  assert.deepEqual(r.batches.map((b) => b.map(idx)), [[20, 20], [21, 21]]);
  const dup = r.problems.find((p) => p.kind === "duplicate");
  assert.deepEqual(dup && [dup.kind, dup.symbol, idx(dup)], ["duplicate", BTC, 21]);
  const ooo = r.problems.find((p) => p.kind === "outOfOrder");
  assert.ok(ooo?.kind === "outOfOrder" && ooo.symbol === BTC && idx(ooo) === 20 && ooo.after === T0 + 21 * M);
  const bad = r.problems.find((p) => p.kind === "malformed");
  assert.ok(bad?.kind === "malformed" && bad.symbol === BTC && /not a number/.test(bad.problem), JSON.stringify(bad));
  // The junk bar 22 never counted: the real one goes through.
  r.push(BTC, 22);
  r.push(ETH, 22);
  await r.until("batch 22", () => r.batches.length === 3);
  assert.deepEqual(asBar(r.batches[2]![0]!), bars[22]);
});

Deno.test("stream feed: a spike is held back and checked against REST: replaced when REST differs, kept when real", async () => {
  const bars = series(60, 100);
  // Bar 23 really jumps 3x on the exchange (REST serves it too).
  bars[23] = { ...bars[23]!, close: 300, high: 300 };
  await using r = await rig({}, {
    series: [{ symbol: BTC, timeframe: "1m", bars }, { symbol: ETH, timeframe: "1m", bars: series(60, 10) }],
  });
  await subscribed(r);
  r.push(BTC, 20);
  r.push(ETH, 20);
  const spiked = r.push(BTC, 21, { spike: 10 }); // only the stream shows it
  r.push(ETH, 21);
  await r.until("batch 21", () => r.batches.length === 2);
  assert.equal(spiked.close, bars[21]!.close * 10);
  assert.deepEqual(asBar(r.batches[1]![0]!), bars[21]); // REST's bar, not the spike
  const spike = r.problems.find((p) => p.kind === "spike");
  assert.ok(spike?.kind === "spike" && spike.symbol === BTC && idx(spike) === 21 && spike.move > spike.limit);
  const checked = r.problems.find((p) => p.kind === "spikeChecked");
  assert.ok(
    checked?.kind === "spikeChecked" && checked.verdict === "replaced" && checked.restClose === bars[21]!.close,
  );

  r.push(BTC, 22);
  r.push(ETH, 22);
  r.push(BTC, 23); // the real jump
  r.push(ETH, 23);
  await r.until("batch 23", () => r.batches.length === 4);
  assert.equal(r.batches[3]![0]!.close, 300);
  const verdicts = r.problems.flatMap((p) => p.kind === "spikeChecked" ? [[idx(p), p.verdict]] : []);
  assert.deepEqual(verdicts, [[21, "replaced"], [23, "confirmed"]]);
});

Deno.test("stream feed: a dropped socket is re-dialled with backoff; REST fills the hole with the exchange's bars", async () => {
  await using r = await rig();
  await subscribed(r);
  const served = series(60, 100);
  for (const i of [20, 21]) {
    r.push(BTC, i);
    r.push(ETH, i);
  }
  await r.until("two batches", () => r.batches.length === 2);
  assert.equal(r.fake.ws.drop({ code: 1001 }), 1);
  // Bars 22 and 23 close while the socket is down: the stream never sends them.
  r.push(BTC, 22);
  r.push(ETH, 22);
  r.push(BTC, 23);
  r.push(ETH, 23);
  await r.until(
    "reconnected",
    () => r.kinds().includes("reconnected") || r.fake.ws.subscribers("btcusdt@kline_1m") > 0,
  );
  await subscribed(r);
  r.push(BTC, 24);
  r.push(ETH, 24);
  await r.until("bars up to 24", () => r.batches.length === 5);
  assert.deepEqual(r.batches.map((b) => b.map(idx)), [[20, 20], [21, 21], [22, 22], [23, 23], [24, 24]]);
  assert.deepEqual(flat(r).filter((b) => b.symbol === BTC).map(asBar), served.slice(20, 25));
  assert.ok(r.kinds().includes("disconnected"), r.kinds().join());
  const down = r.problems.find((p) => p.kind === "disconnected");
  assert.ok(down?.kind === "disconnected" && /1001/.test(down.error) && down.waitMs <= 20);
  const fills = r.problems.filter((p) => p.kind === "backfill" && p.bars > 0);
  assert.ok(fills.length >= 2, JSON.stringify(fills));
  assert.ok(r.feed.stats().backfilled >= 4);

  // Cut dead this time (no close frame), bar 25 lost with it.
  assert.equal(r.fake.ws.drop({ abrupt: true }), 1);
  r.push(BTC, 25);
  r.push(ETH, 25);
  await r.until(
    "a second reconnect",
    () => r.kinds().filter((k) => k === "reconnected").length === 1 || r.fake.ws.subscribers("btcusdt@kline_1m") > 0,
  );
  await subscribed(r);
  r.push(BTC, 26);
  r.push(ETH, 26);
  await r.until("bars up to 26", () => r.batches.length === 7);
  assert.deepEqual(flat(r).filter((b) => b.symbol === BTC).map(asBar), served.slice(20, 27));
  assert.deepEqual(flat(r).filter((b) => b.symbol === ETH).map(asBar), series(60, 10).slice(20, 27));
});

Deno.test("stream feed: REST down while a gap is filled: reported, the symbol is late, its bars follow once REST is back", async () => {
  let restDown = false;
  await using r = await rig({ graceMs: 100 }, {
    faultFn: ({ endpoint }) => restDown && endpoint === "klines" ? { kind: "status", status: 503 } : undefined,
  });
  await subscribed(r);
  r.push(BTC, 20);
  r.push(ETH, 20);
  await r.until("batch 20", () => r.batches.length === 1);
  restDown = true;
  r.push(ETH, 21);
  r.push(BTC, 22); // BTC 21 skipped: a gap REST cannot fill now
  r.push(ETH, 22);
  await r.until("ETH alone, late BTC", () => r.batches.length === 3);
  assert.deepEqual(r.batches.slice(1).map((b) => b.map((x) => `${x.symbol.slice(0, 3)}${idx(x)}`)), [
    ["ETH21"],
    ["ETH22"],
  ]);
  await r.until("restError", () => r.kinds().includes("restError"));
  assert.ok(r.kinds().includes("late"));
  restDown = false;
  await r.until("BTC 21 and 22", () => r.batches.length === 5);
  assert.deepEqual(r.batches.slice(3).map((b) => b.map((x) => `${x.symbol.slice(0, 3)}${idx(x)}`)), [
    ["BTC21"],
    ["BTC22"],
  ]);
  assert.deepEqual(r.batches.slice(3).flat().map(asBar), series(60, 100).slice(21, 23));
});

Deno.test("stream feed: a skipped bar on the stream is a gap REST fills before the later bar goes on", async () => {
  await using r = await rig();
  await subscribed(r);
  const served = series(60, 100);
  r.push(BTC, 20);
  r.push(ETH, 20);
  r.push(ETH, 21);
  r.push(BTC, 22); // BTC 21 never streamed
  r.push(ETH, 22);
  await r.until("three batches", () => r.batches.length === 3);
  assert.deepEqual(r.batches.map((b) => b.map((x) => `${x.symbol.slice(0, 3)}${idx(x)}`)), [
    ["BTC20", "ETH20"],
    ["BTC21", "ETH21"],
    ["BTC22", "ETH22"],
  ]);
  assert.deepEqual(asBar(r.batches[1]![0]!), served[21]);
  const gap = r.problems.find((p) => p.kind === "gap");
  assert.ok(gap?.kind === "gap" && gap.symbol === BTC && gap.from === T0 + 21 * M && gap.to === T0 + 21 * M);
});

Deno.test("stream feed: a symbol missing past the grace is late; its bar comes in its own batch", async () => {
  await using r = await rig({ graceMs: 100 });
  await subscribed(r);
  r.push(BTC, 20);
  await r.until("BTC alone", () => r.batches.length === 1);
  assert.deepEqual(r.batches[0]!.map((b) => b.symbol), [BTC]);
  const late = r.problems.find((p) => p.kind === "late");
  assert.ok(late?.kind === "late" && late.symbol === ETH && idx(late) === 20 && late.waitedMs >= 100);
  r.push(ETH, 20);
  r.push(ETH, 21);
  r.push(BTC, 21);
  await r.until("ETH 20, then 21", () => r.batches.length === 3);
  assert.deepEqual(r.batches.slice(1).map((b) => b.map((x) => `${x.symbol.slice(0, 3)}${idx(x)}`)), [
    ["ETH20"],
    ["BTC21", "ETH21"],
  ]);
});

Deno.test("stream feed: a stalled stream is detected, re-dialled and backfilled", async () => {
  await using r = await rig({ staleMs: 300, fallbackAfter: 10 });
  await subscribed(r);
  r.push(BTC, 20);
  r.push(ETH, 20);
  await r.until("batch 20", () => r.batches.length === 1);
  r.fake.ws.stall("discard");
  r.push(BTC, 21);
  r.push(ETH, 21);
  await r.until("stale", () => r.kinds().includes("stale"), 3_000);
  const stale = r.problems.find((p) => p.kind === "stale");
  assert.ok(stale?.kind === "stale" && stale.silentMs >= 300);
  // The re-dial's REST backfill brings bar 21 although the stream lost it.
  await r.until("batch 21", () => r.batches.length === 2);
  r.fake.ws.resume();
  await subscribed(r);
  r.push(BTC, 22);
  r.push(ETH, 22);
  await r.until("batch 22", () => r.batches.length === 3);
  assert.deepEqual(r.batches.map((b) => b.map(idx)), [[20, 20], [21, 21], [22, 22]]);
});

Deno.test("stream feed: falls back to polling when the websocket port is closed", async () => {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = (listener.addr as Deno.NetAddr).port;
  listener.close(); // nothing listens there now
  await using r = await rig({
    wsUrl: `ws://127.0.0.1:${port}/stream/ws`,
    fallbackAfter: 2,
    polling: { pollMs: 20, settleMs: 0 },
  });
  await r.until("fallback", () => r.kinds().includes("fallback"));
  const fb = r.problems.find((p) => p.kind === "fallback");
  assert.ok(fb?.kind === "fallback" && fb.failures === 2, JSON.stringify(fb));
  assert.equal(r.feed.stats().mode, "polling");
  r.push(BTC, 20); // moves the clock: REST now serves bar 20 as closed
  await r.until("polled batch 20", () => r.batches.length === 1);
  assert.deepEqual(r.batches[0]!.map((b) => [b.symbol, idx(b)]), [[BTC, 20], [ETH, 20]]);
  assert.deepEqual(r.batches[0]!.map(asBar), [series(60, 100)[20], series(60, 10)[20]]);
});

Deno.test("stream feed: abort ends the iterator without error and closes the sockets", async () => {
  await using r = await rig();
  await subscribed(r);
  r.push(BTC, 20);
  r.push(ETH, 20);
  await r.until("batch 20", () => r.batches.length === 1);
  const t = Date.now();
  r.controller.abort();
  await r.done;
  assert.ok(Date.now() - t < 1_000);
  await r.until("sockets closed", () => r.fake.ws.connections === 0);
  assert.equal(r.feed.stats().mode, "idle");
});

Deno.test("stream feed: starts at the newest closed bar without `after`; trades on request", async () => {
  const trades: Trade[] = [];
  await using r = await rig({ onTrades: (t) => trades.push(...t) }, {}, new Map());
  await r.until("bar 19 from REST", () => r.batches.length === 1);
  assert.deepEqual(r.batches[0]!.map((b) => [b.symbol, idx(b)]), [[BTC, 19], [ETH, 19]]);
  await r.until("trade subscription", () => r.fake.ws.subscribers("btcusdt@trade") > 0);
  r.fake.ws.trade(BTC, { price: 101, qty: 2 });
  await r.until("a trade", () => trades.length === 1);
  assert.deepEqual([trades[0]!.symbol, trades[0]!.price, trades[0]!.amount], [BTC, 101, 2]);
});

Deno.test("stream feed: options are checked up front", () => {
  const base = { symbols: [BTC], timeframe: "1m" };
  assert.throws(() => new CcxtStreamFeed({ ...base, symbols: [] }), /No symbols/);
  assert.throws(() => new CcxtStreamFeed({ ...base, symbols: [BTC, BTC] }), /listed twice/);
  assert.throws(() => new CcxtStreamFeed({ ...base, wsUrl: "http://x" }), /Invalid wsUrl/);
  assert.throws(() => new CcxtStreamFeed({ ...base, apiUrl: "http://x/api" }), /Invalid apiUrl/);
  assert.throws(() => new CcxtStreamFeed({ ...base, fallbackAfter: 0 }), /fallbackAfter 0/);
  assert.throws(() => new CcxtStreamFeed({ ...base, spike: { multiple: -1 } }), /spike multiple -1/);
  assert.throws(() => new CcxtStreamFeed({ ...base, timeframe: "7x" }));
});

Deno.test("stream feed: an unknown symbol throws ExchangeError naming it", async () => {
  const fake = await startFakeExchange({ series: [{ symbol: BTC, timeframe: "1m", bars: series(5, 1) }] });
  try {
    const feed = new CcxtStreamFeed({ symbols: ["NOPE/USDT"], timeframe: "1m", apiUrl: fake.url, wsUrl: fake.ws.url });
    await assert.rejects(async () => {
      for await (const _ of feed.batches({ after: new Map() })) break;
    }, /NOPE\/USDT/);
  } finally {
    await fake.close();
  }
});

Deno.test("stream feed: old messages are reported slow once per slow spell", async () => {
  await using r = await rig({ maxLatencyMs: 1_000 });
  await subscribed(r);
  r.push(BTC, 20, { eventTime: Date.now() - 5_000 });
  r.push(ETH, 20);
  r.push(BTC, 21, { eventTime: Date.now() - 5_000 });
  r.push(ETH, 21);
  await r.until("two batches", () => r.batches.length === 2);
  r.push(BTC, 22);
  r.push(BTC, 23, { eventTime: Date.now() - 5_000 });
  await r.until("BTC 23 received", () => r.feed.stats().symbols[BTC]!.messages === 4);
  const slow = r.problems.filter((p) => p.kind === "slow");
  assert.equal(slow.length, 2, JSON.stringify(slow));
  assert.ok(slow.every((p) => p.kind === "slow" && p.symbol === BTC && p.latencyMs >= 5_000));
  assert.ok(r.feed.stats().symbols[BTC]!.latency.max >= 5_000);
});

Deno.test("stream feed: tickers on request (a bare Binance-like socket serving miniTicker)", async () => {
  const fake = await startFakeExchange({ series: [{ symbol: BTC, timeframe: "1m", bars: series(30, 100) }] });
  const sockets = new Set<WebSocket>();
  const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen() {} }, (req) => {
    const { socket, response } = Deno.upgradeWebSocket(req);
    sockets.add(socket);
    socket.onclose = () => sockets.delete(socket);
    socket.onmessage = (e) => {
      const msg = JSON.parse(e.data) as { method: string; params: string[]; id: number };
      socket.send(JSON.stringify({ result: null, id: msg.id }));
      if (!msg.params.includes("btcusdt@miniTicker")) return;
      const data = {
        e: "24hrMiniTicker",
        E: Date.now(),
        s: "BTCUSDT",
        c: "101.5",
        o: "100",
        h: "102",
        l: "99",
        v: "10",
      };
      setTimeout(() => socket.send(JSON.stringify({ stream: "btcusdt@miniTicker", data: { ...data, q: "1000" } })), 20);
    };
    return response;
  });
  const tickers: number[] = [];
  const controller = new AbortController();
  const feed = new CcxtStreamFeed({
    symbols: [BTC],
    timeframe: "1m",
    apiUrl: fake.url,
    wsUrl: `ws://127.0.0.1:${server.addr.port}/stream/ws`,
    onTickers: (t) => tickers.push(t[BTC]!.last!),
  });
  const run = (async () => {
    for await (const _ of feed.batches({ after: new Map(), signal: controller.signal }));
  })();
  try {
    const end = Date.now() + 5_000;
    while (tickers.length === 0 && Date.now() < end) await new Promise((r) => setTimeout(r, 5));
    assert.deepEqual(tickers, [101.5]);
  } finally {
    controller.abort();
    await run;
    for (const s of sockets) s.close();
    await server.shutdown();
    await fake.close();
  }
});
