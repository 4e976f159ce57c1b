// Real ccxt (binance) against the fake exchange on 127.0.0.1, on a clock the tests move.
import assert from "node:assert/strict";
import { type FakeExchangeOptions, startFakeExchange } from "../testing/fake_exchange.ts";
import { type Bar, ExchangeError, TemporaryExchangeError } from "../types/mod.ts";
import { CcxtPollingFeed, type CcxtPollingFeedOptions, type FeedStatus } from "./ccxt_polling_feed.ts";
import type { FeedBar } from "./feed.ts";
import { nextStep, type SymbolState } from "./_poll_merge.ts";

const M = 60_000;
const T0 = Date.UTC(2024, 0, 1);
const BTC = "BTC/USDT";
const ETH = "ETH/USDT";

function makeBars(count: number, base = 100): Bar[] {
  return Array.from({ length: count }, (_, i) => {
    const p = base + i;
    return { ts: T0 + i * M, open: p, high: p + 1.25, low: p - 0.75, close: p + 0.5, volume: 10 + i };
  });
}

/** Minutes since T0 of a batch, as `SYMBOL@minute` strings (easy to compare). */
function show(batch: FeedBar[]): string[] {
  return batch.map((b) => `${b.symbol.slice(0, 3)}@${(b.ts - T0) / M}`);
}

interface Rig {
  feed: CcxtPollingFeed;
  fake: Awaited<ReturnType<typeof startFakeExchange>>;
  statuses: FeedStatus[];
  sleeps: number[];
  clock: { t: number };
  /** Reads batches until `stop` says so (or 10 000 batches), then stops the feed with the signal. */
  collect(after: Map<string, number>, stop: (batches: string[][]) => boolean): Promise<string[][]>;
}

/**
 * A feed on a fake clock: `sleep` moves the clock instead of waiting (then calls `onTick`), and the fake exchange
 * serves bars up to the same clock, so bars appear as time passes.
 */
async function rig(
  start: number,
  fakeOptions: FakeExchangeOptions,
  options: Partial<CcxtPollingFeedOptions> = {},
  onTick?: (t: number) => void,
): Promise<Rig> {
  const clock = { t: start };
  const fake = await startFakeExchange({ now: () => clock.t, ...fakeOptions });
  const statuses: FeedStatus[] = [];
  const sleeps: number[] = [];
  const feed = new CcxtPollingFeed({
    symbols: [BTC],
    timeframe: "1m",
    apiUrl: fake.url,
    exchangeOptions: { rateLimit: 1 },
    timeoutMs: 2_000,
    now: () => clock.t,
    pollMs: 1_000,
    graceMs: 10_000,
    baseBackoffMs: 1,
    maxBackoffMs: 4,
    random: () => 0.5,
    onStatus: (s) => statuses.push(s),
    sleep: (ms, signal) => {
      signal?.throwIfAborted();
      sleeps.push(ms);
      clock.t += ms;
      onTick?.(clock.t);
      return Promise.resolve();
    },
    ...options,
  });
  const collect = async (after: Map<string, number>, stop: (b: string[][]) => boolean): Promise<string[][]> => {
    const out: string[][] = [];
    const ac = new AbortController();
    for await (const batch of feed.batches({ after, signal: ac.signal })) {
      out.push(show(batch));
      if (stop(out) || out.length >= 10_000) ac.abort();
    }
    return out;
  };
  return { feed, fake, statuses, sleeps, clock, collect };
}

const upTo = (minute: number) => (b: string[][]): boolean => b.flat().some((x) => x.endsWith(`@${minute}`));
const of = <K extends FeedStatus["kind"]>(s: FeedStatus[], kind: K): Extract<FeedStatus, { kind: K }>[] =>
  s.filter((x): x is Extract<FeedStatus, { kind: K }> => x.kind === kind);

Deno.test("CcxtPollingFeed: starts at the newest closed bar, then yields each bar once as it closes", async () => {
  const r = await rig(T0 + 5 * M + 30_000, {
    series: [{ symbol: BTC, timeframe: "1m", bars: makeBars(30) }, {
      symbol: ETH,
      timeframe: "1m",
      bars: makeBars(30, 2000),
    }],
  }, { symbols: [BTC, ETH] });
  try {
    const batches = await r.collect(new Map(), upTo(9));
    // Bar 5 is forming at the start: bar 4 is the newest closed one; the forming bar is never yielded early.
    assert.deepEqual(batches, [4, 5, 6, 7, 8, 9].map((m) => [`BTC@${m}`, `ETH@${m}`]));
    // After the first round it sleeps to the next close plus settleMs (500 ms), not in small steps.
    assert.deepEqual(r.sleeps.slice(0, 2), [30_500, 60_000]);
    const bar = makeBars(30)[6]!;
    const start = of(r.statuses, "start")[0]!;
    assert.deepEqual(start.from, { [BTC]: T0 + 4 * M, [ETH]: T0 + 4 * M });
    assert.equal(of(r.statuses, "retry").length, 0);
    // Values come through as served.
    const seen: FeedBar[] = [];
    const ac = new AbortController();
    for await (
      const b of r.feed.batches({ after: new Map([[BTC, T0 + 5 * M], [ETH, T0 + 6 * M]]), signal: ac.signal })
    ) {
      seen.push(...b);
      ac.abort();
    }
    assert.deepEqual(seen, [{ symbol: BTC, timeframe: "1m", exchange: "binance", ...bar }]);
  } finally {
    await r.fake.close();
  }
});

Deno.test("CcxtPollingFeed: resuming with after yields exactly the bars after it, per symbol", async () => {
  const r = await rig(T0 + 6 * M + 30_000, {
    series: [{ symbol: BTC, timeframe: "1m", bars: makeBars(30) }, {
      symbol: ETH,
      timeframe: "1m",
      bars: makeBars(30, 2000),
    }],
  }, { symbols: [BTC, ETH] });
  try {
    const batches = await r.collect(new Map([[BTC, T0 + 2 * M], [ETH, T0 + 4 * M]]), upTo(7));
    assert.deepEqual(batches, [["BTC@3"], ["BTC@4"], ["BTC@5", "ETH@5"], ["BTC@6", "ETH@6"], ["BTC@7", "ETH@7"]]);
  } finally {
    await r.fake.close();
  }
});

Deno.test("CcxtPollingFeed: 429 with Retry-After and 503s are retried, reported, and lose nothing", async () => {
  const r = await rig(T0 + 5 * M + 30_000, {
    series: [{ symbol: BTC, timeframe: "1m", bars: makeBars(30) }],
    faults: {
      klines: [
        { kind: "rateLimit", retryAfterSec: 2 },
        { kind: "status", status: 503 },
        { kind: "status", status: 503 },
        null,
        { kind: "rateLimit", status: 418 },
      ],
    },
  });
  try {
    const batches = await r.collect(new Map([[BTC, T0 + 2 * M]]), upTo(7));
    assert.deepEqual(batches, [["BTC@3"], ["BTC@4"], ["BTC@5"], ["BTC@6"], ["BTC@7"]]);
    const retries = of(r.statuses, "retry");
    assert.deepEqual(retries.map((x) => [x.cause, x.attempt, x.symbol]), [
      ["rateLimit", 0, BTC], // 429, 503, 503: three failed attempts of one request
      ["transient", 1, BTC],
      ["transient", 2, BTC],
      ["rateLimit", 0, BTC], // 418 on the next request
    ]);
    assert.equal(retries[0]!.retryAfterMs, 2_000);
    assert.equal(retries[0]!.waitMs, 2_000); // Retry-After wins over the tiny backoff
    assert.equal(retries[3]!.retryAfterMs, undefined); // no header: backoff only
    assert.ok(r.sleeps.includes(2_000));
  } finally {
    await r.fake.close();
  }
});

Deno.test("CcxtPollingFeed: a request that times out is retried", async () => {
  const r = await rig(T0 + 5 * M + 30_000, {
    series: [{ symbol: BTC, timeframe: "1m", bars: makeBars(30) }],
    faults: { klines: [{ kind: "delay", ms: 3_000 }] },
  }, { timeoutMs: 150 });
  try {
    const batches = await r.collect(new Map([[BTC, T0 + 3 * M]]), upTo(5));
    assert.deepEqual(batches, [["BTC@4"], ["BTC@5"]]);
    const [retry] = of(r.statuses, "retry");
    assert.equal(retry!.cause, "transient");
    assert.match(retry!.error, /timed out/);
  } finally {
    await r.fake.close(); // wakes the delayed answer
  }
});

Deno.test("CcxtPollingFeed: malformed bodies are retried, malformed candles skipped and reported", async () => {
  const row = (
    i: number,
    low: number | string,
  ): unknown[] => [T0 + i * M, "1", "2", String(low), "1.5", "3", 0, "0", 1];
  const r = await rig(T0 + 7 * M + 30_000, {
    series: [{ symbol: BTC, timeframe: "1m", bars: makeBars(30) }],
    faults: {
      klines: [
        { kind: "malformed", body: "not-json" },
        { kind: "malformed", body: "truncated" },
        // Bar 5 fine, bar 6 has low > high: 6 is skipped and, being the newest, asked for again next poll.
        { kind: "malformed", body: "text", text: JSON.stringify([row(5, 0.5), row(6, 9)]) },
        { kind: "malformed", body: "nulls" },
        { kind: "malformed", body: "wrong-shape" },
      ],
    },
  });
  try {
    const batches = await r.collect(new Map([[BTC, T0 + 4 * M]]), upTo(7));
    assert.deepEqual(batches, [["BTC@5"], ["BTC@6"], ["BTC@7"]]);
    const served = makeBars(30)[6]!;
    assert.equal(of(r.statuses, "retry").length, 2);
    const bad = of(r.statuses, "malformed");
    assert.deepEqual(bad.map((b) => b.problem), [
      "low > high",
      "field 1 is undefined",
      "field 3 is undefined",
      "field 3 is undefined",
    ]);
    assert.ok(bad.every((b) => b.symbol === BTC));
    // The bar yielded for minute 6 is the valid one served later, not the malformed one.
    const ac = new AbortController();
    for await (const b of r.feed.batches({ after: new Map([[BTC, T0 + 5 * M]]), signal: ac.signal })) {
      assert.equal(b[0]!.low, served.low);
      ac.abort();
    }
  } finally {
    await r.fake.close();
  }
});

Deno.test("CcxtPollingFeed: a late bar waits graceMs, then comes alone, in order", async () => {
  const eth = makeBars(30, 2000);
  // ETH serves bar 6 only 15 s after its close (past the 10 s grace) and bar 7 5 s after its close (within it).
  const ethServed = (t: number): Bar[] =>
    eth.filter((b, i) => i <= 5 || (i === 6 && t >= T0 + 7 * M + 15_000) || (i >= 7 && t >= b.ts + M + 5_000));
  const r = await rig(
    T0 + 6 * M + 30_000,
    { series: [{ symbol: BTC, timeframe: "1m", bars: makeBars(30) }, { symbol: ETH, timeframe: "1m", bars: eth }] },
    { symbols: [BTC, ETH] },
    (t) => r.fake.setBars(ETH, "1m", ethServed(t)),
  );
  r.fake.setBars(ETH, "1m", ethServed(r.clock.t));
  try {
    const batches = await r.collect(new Map([[BTC, T0 + 4 * M], [ETH, T0 + 4 * M]]), upTo(8));
    assert.deepEqual(batches, [
      ["BTC@5", "ETH@5"],
      ["BTC@6"],
      ["ETH@6"],
      ["BTC@7", "ETH@7"],
      ["BTC@8", "ETH@8"],
    ]);
    const late = of(r.statuses, "late");
    assert.deepEqual(late.map((l) => [l.symbol, (l.ts - T0) / M]), [[ETH, 6]]);
    assert.ok(late[0]!.waitedMs >= 10_000 && late[0]!.waitedMs < 11_000, `waited ${late[0]!.waitedMs}`);
    // While waiting it polled every pollMs (1 s), not every few ms.
    assert.ok(r.sleeps.every((ms) => ms >= 500), `sleeps ${r.sleeps}`);
  } finally {
    await r.fake.close();
  }
});

Deno.test("CcxtPollingFeed: abort in the middle of a sleep ends the iterator at once", async () => {
  // A real timer sleep: the next close is ~60 s away.
  const fake = await startFakeExchange({
    series: [{ symbol: BTC, timeframe: "1m", bars: makeBars(30) }],
    now: () => T0 + 5 * M + 1,
  });
  try {
    const feed = new CcxtPollingFeed({
      symbols: [BTC],
      timeframe: "1m",
      apiUrl: fake.url,
      exchangeOptions: { rateLimit: 1 },
      now: () => T0 + 5 * M + 1,
    });
    const ac = new AbortController();
    const got: string[][] = [];
    const t = performance.now();
    for await (const b of feed.batches({ after: new Map([[BTC, T0 + 3 * M]]), signal: ac.signal })) {
      got.push(show(b));
      setTimeout(() => ac.abort(), 50);
    }
    assert.deepEqual(got, [["BTC@4"]]);
    assert.ok(performance.now() - t < 3_000);
  } finally {
    await fake.close();
  }
});

Deno.test({
  name: "CcxtPollingFeed: abort in the middle of a request ends the iterator at once",
  // The abandoned request is answered when the fake closes, after the test body.
  sanitizeOps: false,
  sanitizeResources: false,
  fn: async () => {
    const fake = await startFakeExchange({
      series: [{ symbol: BTC, timeframe: "1m", bars: makeBars(30) }],
      faults: { klines: [{ kind: "delay", ms: 5_000 }] },
      now: () => T0 + 5 * M + 1,
    });
    try {
      const feed = new CcxtPollingFeed({
        symbols: [BTC],
        timeframe: "1m",
        apiUrl: fake.url,
        exchangeOptions: { rateLimit: 1 },
        now: () => T0 + 5 * M + 1,
      });
      const ac = new AbortController();
      setTimeout(() => ac.abort(), 200);
      const t = performance.now();
      const got: FeedBar[][] = [];
      for await (const b of feed.batches({ after: new Map([[BTC, T0]]), signal: ac.signal })) got.push(b);
      assert.deepEqual(got, []);
      assert.ok(performance.now() - t < 2_000, `took ${performance.now() - t} ms`);
      assert.equal(fake.requestsTo("klines").length, 1);
    } finally {
      await fake.close();
    }
  },
});

Deno.test("CcxtPollingFeed: an unknown symbol throws an ExchangeError naming it, without retrying", async () => {
  const r = await rig(T0 + 5 * M, { series: [{ symbol: BTC, timeframe: "1m", bars: makeBars(30) }] }, {
    symbols: [BTC, "NOPE/USDT"],
  });
  try {
    await assert.rejects(r.collect(new Map(), () => true), (e: unknown) => {
      assert.ok(e instanceof ExchangeError);
      assert.match(e.message, /NOPE\/USDT/);
      assert.match(e.message, /Check the symbol "NOPE\/USDT"/);
      return true;
    });
    assert.equal(r.fake.requestsTo("klines").length, 0);
    assert.equal(of(r.statuses, "retry").length, 0);
  } finally {
    await r.fake.close();
  }
});

Deno.test("CcxtPollingFeed: retries run out -> TemporaryExchangeError saying how to resume", async () => {
  const r = await rig(T0 + 5 * M, {
    series: [{ symbol: BTC, timeframe: "1m", bars: makeBars(30) }],
    faultFn: ({ endpoint }) => endpoint === "klines" ? { kind: "status", status: 503 } : undefined,
  }, { maxRetries: 2 });
  try {
    await assert.rejects(r.collect(new Map([[BTC, T0]]), () => true), (e: unknown) => {
      assert.ok(e instanceof TemporaryExchangeError);
      assert.match(e.message, /BTC\/USDT.*3 attempts.*after/s);
      return true;
    });
    assert.equal(r.fake.requestsTo("klines").length, 3);
  } finally {
    await r.fake.close();
  }
});

Deno.test("CcxtPollingFeed: pages through a long resume, 1000 bars a request", async () => {
  const r = await rig(T0 + 2_500 * M + 30_000, { series: [{ symbol: BTC, timeframe: "1m", bars: makeBars(2_600) }] });
  try {
    const batches = await r.collect(new Map([[BTC, T0 - M]]), upTo(2_499));
    assert.equal(batches.length, 2_500);
    assert.ok(batches.every((b, i) => b.length === 1 && b[0] === `BTC@${i}`));
    assert.equal(r.fake.requestsTo("klines").length, 3);
  } finally {
    await r.fake.close();
  }
});

Deno.test("CcxtPollingFeed: steps over a gap longer than a page on an exchange answering fixed windows", async () => {
  const bars = makeBars(40).filter((_, i) => i < 10 || i >= 22); // bars 10..21 missing, limit 5
  const r = await rig(T0 + 30 * M + 30_000, {
    series: [{ symbol: BTC, timeframe: "1m", bars }],
    klinesMode: "window",
  }, { limit: 5 });
  try {
    const batches = await r.collect(new Map([[BTC, T0 + 7 * M]]), upTo(29));
    assert.deepEqual(batches.flat(), [8, 9, ...Array.from({ length: 8 }, (_, i) => 22 + i)].map((m) => `BTC@${m}`));
  } finally {
    await r.fake.close();
  }
});

Deno.test("CcxtPollingFeed rejects bad options with RangeError naming the value", () => {
  const base = { symbols: [BTC], timeframe: "1m" };
  assert.throws(() => new CcxtPollingFeed({ ...base, symbols: [] }), /No symbols/);
  assert.throws(() => new CcxtPollingFeed({ ...base, symbols: [BTC, BTC] }), /listed twice/);
  assert.throws(() => new CcxtPollingFeed({ ...base, timeframe: "7x" }), /Invalid timeframe "7x"/);
  assert.throws(() => new CcxtPollingFeed({ ...base, graceMs: -1 }), /Invalid graceMs -1/);
  assert.throws(() => new CcxtPollingFeed({ ...base, pollMs: 0 }), /Invalid pollMs 0/);
  assert.throws(() => new CcxtPollingFeed({ ...base, apiUrl: "http://x/api" }), /Invalid apiUrl/);
  assert.equal(new CcxtPollingFeed(base).exchange, "binance");
});

Deno.test("nextStep: waits for a missing symbol until close + grace, not for one with a gap", () => {
  const bar = (symbol: string, m: number): FeedBar => ({
    symbol,
    timeframe: "1m",
    ts: T0 + m * M,
    open: 1,
    high: 1,
    low: 1,
    close: 1,
    volume: 1,
  });
  const st = (symbol: string, last: number, pending: FeedBar[]): SymbolState => ({
    symbol,
    last: T0 + last * M,
    seen: pending.at(-1)?.ts ?? T0 + last * M,
    pending,
  });
  const states = [st("A", 4, [bar("A", 5), bar("A", 6)]), st("B", 4, [bar("B", 6)]), st("C", 4, [])];
  // C has nothing: wait until bar 5 closed + 10 s. B skipped 5 (gap): nobody waits for it.
  assert.deepEqual(nextStep(states, T0 + 6 * M, M, 10_000), {
    kind: "hold",
    ts: T0 + 5 * M,
    until: T0 + 6 * M + 10_000,
    missing: ["C"],
  });
  const step = nextStep(states, T0 + 6 * M + 10_000, M, 10_000);
  assert.equal(step.kind, "batch");
  assert.deepEqual(step.kind === "batch" && [step.bars.map((b) => b.symbol), step.late], [["A"], ["C"]]);
  assert.equal(states[0]!.last, T0 + 5 * M);
  assert.deepEqual(nextStep([st("A", 4, [])], T0, M, 0), { kind: "idle" });
});
